import { ConflictError } from '../../platform/errors.js';
import type { Placeholder } from '../model.js';
import { SECRET_MARK } from './params.js';
import { isReservedEnvName, looksSecret } from './script.js';
import type { SecretSealer } from '../../platform/secrets.js';
import type { RunRow, RunStore, StepRow } from './store.js';

export interface StepEnvironment {
  /** Parameters and captured variables, by name (the runner adds its own base: PATH, HOME, LANG). */
  env: Record<string, string>;
  /** Secret values of the run, for the runner to redact. */
  secrets: string[];
}

const referenced = (row: StepRow) => new Set((row.placeholders as Placeholder[]).map((p) => p.param));

/**
 * The run's values as commands get them. Plain parameters and variables
 * come from the run row; secret ones from `run_secrets`, opened only here,
 * only for the step about to run, and given only to commands that name them.
 */
export class SecretVault {
  constructor(
    private readonly store: RunStore,
    private readonly sealer: SecretSealer,
  ) {}

  /** 409 naming the secrets a step needs that can no longer be opened, before anything is queued. */
  async assertHeld(run: RunRow, rows: StepRow[]): Promise<void> {
    const missing = new Set<string>();
    for (const row of rows) {
      const result = await this.environment(run, row);
      if ('missing' in result) result.missing.forEach((name) => missing.add(name));
    }
    if (missing.size) throw new ConflictError(missingMessage(run.id, [...missing]), { missing: [...missing] });
  }

  async environment(run: RunRow, row: StepRow): Promise<StepEnvironment | { missing: string[] }> {
    const wanted = referenced(row);
    const env: Record<string, string> = {};
    const params = run.parameters as Record<string, string>;
    const variables = run.variables as Record<string, string>;
    const secretNames = new Set<string>();
    for (const [name, value] of [...Object.entries(params), ...Object.entries(variables)]) {
      if (value === SECRET_MARK) secretNames.add(name);
      else env[name] = value;
    }
    const opened = new Map<string, string>();
    // Most runs have no secrets: no query for them on the dispatch path.
    const sealed = secretNames.size ? await this.store.secrets(run.id) : [];
    for (const entry of sealed) {
      const value = this.sealer.open([run.id, entry.name], entry.sealed);
      if (value !== null) opened.set(entry.name, value);
    }
    const missing = [...secretNames].filter((name) => wanted.has(name) && !opened.has(name));
    if (missing.length) return { missing };
    for (const name of wanted) {
      const value = opened.get(name);
      if (value !== undefined) env[name] = value;
    }
    return { env, secrets: [...opened.values(), ...secretParts([...opened.values()])] };
  }

  /** Captured variables: secret-looking names sealed like secret parameters, the rest stored plainly. */
  async storeVariables(run: RunRow, captured: Record<string, string>): Promise<void> {
    const plain: Record<string, string> = {};
    const sealed: Array<{ name: string; kind: 'variable'; sealed: string }> = [];
    for (const [name, value] of Object.entries(captured)) {
      // A command may well set PATH or LD_PRELOAD for itself; later commands must not inherit that.
      if (isReservedEnvName(name)) continue;
      if (looksSecret(name) || (run.parameters as Record<string, string>)[name] === SECRET_MARK) {
        plain[name] = SECRET_MARK;
        sealed.push({ name, kind: 'variable', sealed: this.sealer.seal([run.id, name], value) });
      } else plain[name] = value;
    }
    await this.store.putSecrets(run.id, sealed);
    if (Object.keys(plain).length) await this.store.mergeVariables(run.id, plain);
  }
}

/** A connection string's password, printed on its own, is the secret too. */
function secretParts(values: string[]): string[] {
  const parts: string[] = [];
  for (const value of values) {
    const url = URL.parse(value.trim());
    if (url?.password) parts.push(decodeURIComponent(url.password));
  }
  return parts;
}

export function missingMessage(runId: string, names: string[]): string {
  return (
    `Secret value${names.length > 1 ? 's' : ''} ${names.join(', ')} can no longer be read (the server key changed, or the run ended); ` +
    `supply ${names.length > 1 ? 'them' : 'it'} again with POST /api/v1/runs/${runId}/secrets, then retry`
  );
}
