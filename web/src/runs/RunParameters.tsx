import { Checkbox, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { looksSecret, parameterBody, type ParameterBody, type ProcedureParameter } from './parameters.js';

/** What the runbook's front matter says about a parameter, if anything. */
export interface ParameterHelp {
  description?: string;
  example?: string;
}

export interface RunParameterState {
  values: Record<string, string>;
  secret: Record<string, boolean>;
  setValue: (name: string, value: string) => void;
  setSecret: (name: string, secret: boolean) => void;
  /** Asked for and still empty: the run cannot start yet. */
  missing: string[];
  /** The parameter fields of the start request. */
  body: () => ParameterBody;
}

/** The values typed for a run's parameters; names that look secret start marked secret. */
export function useRunParameters(parameters: readonly ProcedureParameter[]): RunParameterState {
  const [values, setValues] = useState<Record<string, string>>({});
  const [secret, setSecrets] = useState<Record<string, boolean>>(() => Object.fromEntries(parameters.map(({ name }) => [name, looksSecret(name)])));
  const names = parameters.map(({ name }) => name);
  return {
    values,
    secret,
    setValue: (name, value) => setValues((current) => ({ ...current, [name]: value })),
    setSecret: (name, checked) => setSecrets((current) => ({ ...current, [name]: checked })),
    missing: names.filter((name) => (values[name] ?? '').trim() === ''),
    body: () => parameterBody(names, values, secret),
  };
}

/**
 * The values a run asks for before it starts, each with a box to mark it
 * secret: a secret one is typed masked, stored sealed and shown as [secret]
 * in the run, its output and the audit log.
 */
export function RunParameters({
  parameters,
  help,
  state,
}: {
  parameters: readonly ProcedureParameter[];
  help?: ReadonlyMap<string, ParameterHelp>;
  state: RunParameterState;
}) {
  if (parameters.length === 0) return null;
  return (
    <Stack gap="xs">
      <Text size="sm" fw={600}>
        Parameters
      </Text>
      {parameters.map(({ name, raw }) => {
        const info = help?.get(name);
        const Input = state.secret[name] ? PasswordInput : TextInput;
        return (
          <Stack key={name} gap={4}>
            <Input
              label={name}
              description={info?.description ?? `Used as ${raw} in the commands`}
              placeholder={info?.example ? `e.g. ${info.example}` : undefined}
              required
              value={state.values[name] ?? ''}
              onChange={(event) => state.setValue(name, event.currentTarget.value)}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            <Checkbox
              size="xs"
              label={`Secret: ${name} is stored sealed and shown as [secret]`}
              checked={state.secret[name] ?? false}
              onChange={(event) => state.setSecret(name, event.currentTarget.checked)}
            />
          </Stack>
        );
      })}
    </Stack>
  );
}
