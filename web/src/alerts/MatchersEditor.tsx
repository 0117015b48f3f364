import { ActionIcon, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { CrossIcon } from '../shell/icons.js';
import { MATCH_OP_LABEL, MATCH_OPS, matcherProblem, parseMatchers, type Matcher, type MatchOp } from './matchers.js';

/**
 * Label matchers as rows (name, operator, value), as silences and routing
 * rules take them, plus a box to paste `{alertname="X", service=~"a|b"}`
 * from Alertmanager or a PromQL selector.
 */
export function MatchersEditor({
  value,
  onChange,
  label = 'Matchers',
  allowEmpty = false,
}: {
  value: Matcher[];
  onChange: (next: Matcher[]) => void;
  label?: string;
  /** A routing rule without matchers catches every alert; a silence must have one. */
  allowEmpty?: boolean;
}) {
  const [pasted, setPasted] = useState('');
  const [pasteError, setPasteError] = useState<string | null>(null);
  const update = (i: number, change: Partial<Matcher>) => onChange(value.map((m, j) => (j === i ? { ...m, ...change } : m)));

  return (
    <Stack gap="xs" role="group" aria-label={label}>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      {value.length === 0 && (
        <Text size="sm" c="dimmed">
          None: matches every alert.
        </Text>
      )}
      {value.map((matcher, i) => {
        const problem = matcher.name === '' && matcher.value === '' ? null : matcherProblem(matcher);
        const n = i + 1;
        return (
          <Stack key={i} gap={2} data-testid="matcher-row">
            <Group gap="xs" wrap="wrap" align="flex-start">
              <TextInput
                aria-label={`Label name of matcher ${n}`}
                placeholder="alertname"
                value={matcher.name}
                onChange={(event) => update(i, { name: event.currentTarget.value.trim() })}
                style={{ flex: '1 1 8rem' }}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              />
              <NativeSelect
                aria-label={`Operator of matcher ${n}`}
                data={MATCH_OPS.map((op) => ({ value: op, label: MATCH_OP_LABEL[op] }))}
                value={matcher.op}
                onChange={(e) => update(i, { op: e.currentTarget.value as MatchOp })}
                style={{ flex: '0 1 12rem' }}
              />
              <TextInput
                aria-label={`Value of matcher ${n}`}
                placeholder="HighErrorRate"
                value={matcher.value}
                onChange={(event) => update(i, { value: event.currentTarget.value })}
                style={{ flex: '2 1 10rem' }}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              />
              <ActionIcon
                variant="subtle"
                color="gray"
                size="lg"
                onClick={() => onChange(value.filter((_, j) => j !== i))}
                aria-label={`Remove matcher ${n}`}
                disabled={value.length === 1 && !allowEmpty}
              >
                <CrossIcon />
              </ActionIcon>
            </Group>
            {problem && (
              <Text size="xs" c="var(--mantine-color-error)">
                {problem}
              </Text>
            )}
          </Stack>
        );
      })}
      <Group gap="xs" wrap="wrap" align="flex-end">
        <Button variant="default" size="xs" onClick={() => onChange([...value, { name: '', op: '=', value: '' }])}>
          Add a matcher
        </Button>
        <TextInput
          label="Or paste matchers"
          placeholder='{alertname="HighErrorRate", service=~"api|web"}'
          size="xs"
          value={pasted}
          onChange={(event) => {
            setPasted(event.currentTarget.value);
            setPasteError(null);
          }}
          error={pasteError}
          style={{ flex: '1 1 14rem' }}
        />
        <Button
          variant="default"
          size="xs"
          disabled={pasted.trim() === ''}
          onClick={() => {
            const parsed = parseMatchers(pasted);
            if (parsed.error) setPasteError(parsed.error);
            else {
              onChange(parsed.matchers);
              setPasted('');
            }
          }}
        >
          Use these
        </Button>
      </Group>
    </Stack>
  );
}

/** The matchers are ready to send: at least one (unless `allowEmpty`), each with a name and, for regexes, a pattern that compiles. */
export function matchersReady(matchers: readonly Matcher[], allowEmpty = false): boolean {
  return (allowEmpty || matchers.length > 0) && matchers.every((m) => matcherProblem(m) === null);
}
