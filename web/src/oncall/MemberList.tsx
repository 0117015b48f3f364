import { ActionIcon, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { ArrowIcon, CrossIcon } from '../shell/icons.js';

/** An ordered list of contacts (a rotation's members take turns in this order), with add, move and remove. */
export function MemberList({
  value,
  onChange,
  contacts,
}: {
  value: string[];
  onChange: (next: string[]) => void;
  contacts: ReadonlyArray<{ id: string; name: string }>;
}) {
  const name = (id: string) => contacts.find((c) => c.id === id)?.name ?? id;
  const move = (i: number, by: number) => {
    const next = [...value];
    const [item] = next.splice(i, 1);
    next.splice(i + by, 0, item!);
    onChange(next);
  };
  return (
    <Stack gap={6} role="group" aria-label="Members in turn order">
      <Text size="sm" fw={500}>
        Members, in turn order
      </Text>
      {value.length === 0 && (
        <Text size="sm" c="dimmed">
          No one yet.
        </Text>
      )}
      <Stack component="ol" gap={4} style={{ margin: 0, paddingLeft: '1.5rem' }}>
        {value.map((id, i) => (
          <li key={id}>
            <Group gap={4} justify="space-between" wrap="nowrap">
              <Text size="sm">{name(id)}</Text>
              <Group gap={2} wrap="nowrap">
                <ActionIcon variant="subtle" color="gray" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move ${name(id)} up`}>
                  <ArrowIcon up />
                </ActionIcon>
                <ActionIcon variant="subtle" color="gray" onClick={() => move(i, 1)} disabled={i === value.length - 1} aria-label={`Move ${name(id)} down`}>
                  <ArrowIcon up={false} />
                </ActionIcon>
                <ActionIcon variant="subtle" color="red" onClick={() => onChange(value.filter((m) => m !== id))} aria-label={`Remove ${name(id)}`}>
                  <CrossIcon />
                </ActionIcon>
              </Group>
            </Group>
          </li>
        ))}
      </Stack>
      <NativeSelect
        label="Add a member"
        data={[{ value: '', label: 'Choose a contact…' }, ...contacts.filter((c) => !value.includes(c.id)).map((c) => ({ value: c.id, label: c.name }))]}
        value=""
        onChange={(e) => {
          const id = e.currentTarget.value;
          if (id) onChange([...value, id]);
        }}
      />
    </Stack>
  );
}
