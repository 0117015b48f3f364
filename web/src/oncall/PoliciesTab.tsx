import { ActionIcon, Button, Card, Checkbox, Fieldset, Group, NativeSelect, NumberInput, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { CrudForm, EditModal, RowActions, useEditing } from '../common/crud.js';
import { ListPanel } from '../common/ListPanel.js';
import { CrossIcon } from '../shell/icons.js';
import { describeDelay, describeTarget, RESPONSE_TIME, type Directory, type EscalationLevel, type EscalationPolicy, type PolicyTarget } from './describe.js';
import { usePolicies, useSavePolicy } from './queries.js';

type TargetType = PolicyTarget['type'];
const CATEGORY = /^[a-z0-9][a-z0-9_-]*$/;

/** Who a level (or "always") notifies: contacts, rotations (whoever is on call) and channels, each optionally only for one category. */
function TargetsEditor({ value, onChange, directory, label }: { value: PolicyTarget[]; onChange: (next: PolicyTarget[]) => void; directory: Directory; label: string }) {
  const optionsFor = (type: TargetType, current: string): Array<{ value: string; label: string }> => {
    const source = type === 'contact' ? directory.contacts : type === 'rotation' ? directory.rotations : directory.channels;
    const options = [...(source ?? new Map<string, string>()).entries()].map(([id, name]) => ({ value: id, label: name }));
    // A channel an operator may not list still shows, by id, so it is kept.
    if (current && !options.some((o) => o.value === current)) options.push({ value: current, label: describeTarget({ type, id: current }, directory) });
    return options;
  };
  const types: TargetType[] = directory.channels ? ['rotation', 'contact', 'channel'] : ['rotation', 'contact'];
  const update = (i: number, change: Partial<PolicyTarget>) => onChange(value.map((t, j) => (j === i ? { ...t, ...change } : t)));
  return (
    <Stack gap={6} role="group" aria-label={label}>
      {value.map((target, i) => {
        const n = i + 1;
        return (
          <Group key={i} gap="xs" wrap="wrap" align="flex-start" data-testid="policy-target-row">
            <NativeSelect
              aria-label={`${label}: kind of target ${n}`}
              data={target.type === 'channel' && !directory.channels ? [...types, 'channel'] : types}
              value={target.type}
              onChange={(e) => update(i, { type: e.currentTarget.value as TargetType, id: '' })}
              style={{ flex: '0 1 8rem' }}
            />
            <NativeSelect
              aria-label={`${label}: target ${n}`}
              data={[{ value: '', label: 'Choose…' }, ...optionsFor(target.type, target.id)]}
              value={target.id}
              onChange={(e) => update(i, { id: e.currentTarget.value })}
              style={{ flex: '2 1 10rem' }}
            />
            <TextInput
              aria-label={`${label}: only for category, target ${n}`}
              placeholder="any category"
              value={target.whenCategory ?? ''}
              onChange={(e) => {
                const category = e.currentTarget.value.trim();
                const { whenCategory: _old, ...rest } = target;
                onChange(value.map((t, j) => (j === i ? (category ? { ...rest, whenCategory: category } : rest) : t)));
              }}
              error={target.whenCategory && !CATEGORY.test(target.whenCategory) ? 'lowercase letters, digits, - and _' : null}
              style={{ flex: '1 1 8rem' }}
            />
            <ActionIcon variant="subtle" color="red" size="lg" onClick={() => onChange(value.filter((_, j) => j !== i))} aria-label={`${label}: remove target ${n}`}>
              <CrossIcon />
            </ActionIcon>
          </Group>
        );
      })}
      <Button variant="default" size="xs" onClick={() => onChange([...value, { type: 'rotation', id: '' }])} style={{ alignSelf: 'flex-start' }}>
        Add a target
      </Button>
    </Stack>
  );
}

const targetsReady = (targets: PolicyTarget[]) => targets.every((t) => t.id !== '' && (t.whenCategory === undefined || CATEGORY.test(t.whenCategory)));

function PolicyForm({ policy, directory, onClose }: { policy: EscalationPolicy | null; directory: Directory; onClose: () => void }) {
  const [name, setName] = useState(policy?.name ?? '');
  const [description, setDescription] = useState(policy?.description ?? '');
  const [levels, setLevels] = useState<EscalationLevel[]>(policy?.levels ?? [{ delay: 0, targets: [{ type: 'rotation', id: '' }] }]);
  const [always, setAlways] = useState<PolicyTarget[]>(policy?.always ?? []);
  const save = useSavePolicy();
  const submit = () => {
    const body = { name: name.trim(), levels, always };
    if (policy) save.mutate({ item: policy, body: { ...body, description: description.trim() || null } }, { onSuccess: onClose });
    else save.mutate({ item: null, body: { ...body, ...(description.trim() ? { description: description.trim() } : {}) } }, { onSuccess: onClose });
  };
  const setLevel = (i: number, level: EscalationLevel) => setLevels(levels.map((l, j) => (j === i ? level : l)));
  const ready = name.trim() !== '' && levels.length > 0 && levels.every((l) => l.targets.length > 0 && targetsReady(l.targets)) && targetsReady(always);

  return (
    <CrudForm ready={ready} onSubmit={submit} onCancel={onClose} submitLabel={policy ? 'Save' : 'Create the policy'} action={save} errorTitle="Could not save the policy">
      <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
      <Textarea label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={1} maxLength={2000} />
      {levels.map((level, i) => {
        const responseTime = level.delay === RESPONSE_TIME;
        return (
          <Fieldset key={i} legend={`Level ${i + 1}`} data-testid="policy-level-editor">
            <Stack gap="xs">
              {i === 0 ? (
                <Text size="sm" c="dimmed">
                  At the trigger: the first level always pages at once.
                </Text>
              ) : (
                <Group gap="sm" wrap="wrap" align="flex-end">
                  <NumberInput
                    label="Minutes after the incident opens"
                    min={0}
                    max={10_080}
                    value={responseTime ? '' : level.delay}
                    onChange={(v) => setLevel(i, { ...level, delay: typeof v === 'number' ? v : 0 })}
                    disabled={responseTime}
                    style={{ flex: '1 1 12rem' }}
                  />
                  <Checkbox
                    label="At the incident's response time instead"
                    checked={responseTime}
                    onChange={(e) => setLevel(i, { ...level, delay: e.currentTarget.checked ? RESPONSE_TIME : 0 })}
                    mb={8}
                  />
                </Group>
              )}
              <TargetsEditor label={`Level ${i + 1} targets`} value={level.targets} onChange={(targets) => setLevel(i, { ...level, targets })} directory={directory} />
              {i > 0 && (
                <Button variant="subtle" color="red" size="xs" onClick={() => setLevels(levels.filter((_, j) => j !== i))} style={{ alignSelf: 'flex-start' }}>
                  Remove level {i + 1}
                </Button>
              )}
            </Stack>
          </Fieldset>
        );
      })}
      <Button variant="default" size="xs" onClick={() => setLevels([...levels, { delay: 15, targets: [{ type: 'rotation', id: '' }] }])} style={{ alignSelf: 'flex-start' }}>
        Add a level
      </Button>
      <Fieldset legend="Always notified (with the first level, at the trigger)">
        <TargetsEditor label="Always notified" value={always} onChange={setAlways} directory={directory} />
      </Fieldset>
    </CrudForm>
  );
}

function PolicyCard({ policy, directory, onEdit }: { policy: EscalationPolicy; directory: Directory; onEdit: (() => void) | null }) {
  return (
    <Card withBorder padding="sm" component="article" aria-label={`Escalation policy ${policy.name}`} data-testid="policy" data-policy-id={policy.id}>
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text fw={700}>{policy.name}</Text>
          {onEdit && <RowActions name={`policy ${policy.name}`} onEdit={onEdit} />}
        </Group>
        {policy.description && <Text size="sm">{policy.description}</Text>}
        <Stack component="ol" gap={4} style={{ margin: 0, paddingLeft: '1.25rem' }} aria-label={`Levels of ${policy.name}`}>
          {policy.levels.map((level, i) => (
            <Text component="li" size="sm" key={i} data-testid="policy-level" data-delay={String(level.delay)}>
              <strong>{describeDelay(level.delay)}</strong>: {level.targets.map((t) => describeTarget(t, directory)).join('; ')}
            </Text>
          ))}
        </Stack>
        {policy.always.length > 0 && (
          <Text size="sm">
            <strong>Always:</strong> {policy.always.map((t) => describeTarget(t, directory)).join('; ')}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

/** Who is paged when, until someone acknowledges. Operators create and change policies. */
export function PoliciesTab({ canEdit, directory }: { canEdit: boolean; directory: Directory }) {
  const policies = usePolicies();
  const form = useEditing<EscalationPolicy>();
  const items = policies.data?.items ?? [];
  return (
    <ListPanel title="Escalation policies" testId="policy-list" query={policies} count={items.length} noun="escalation policies" addLabel="New policy" onAdd={canEdit ? form.create : null}
      note={`Levels page in turn until the incident is acknowledged; a rotation target pages whoever is on call then.${canEdit ? '' : ' Changing policies needs the operator role.'}`}
      emptyText="No escalation policy yet." skeletonHeight={80}>
      {items.map((policy) => (
        <PolicyCard key={policy.id} policy={policy} directory={directory} onEdit={canEdit ? () => form.edit(policy) : null} />
      ))}
      <EditModal editing={form.editing} onClose={form.close} title={(policy) => (policy ? `Edit ${policy.name}` : 'New escalation policy')} size="xl">
        {(policy) => <PolicyForm policy={policy} directory={directory} onClose={form.close} />}
      </EditModal>
    </ListPanel>
  );
}
