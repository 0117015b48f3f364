/**
 * What a run parameter may hold, as the runbook's front matter declares it:
 *
 * ```yaml
 * parameters:
 *   - name: REPLICAS
 *     type: integer            # -?[0-9]{1,18}
 *   - name: ENVIRONMENT
 *     values: [staging, production]   # one of the list (type: enum)
 *   - name: POD
 *     pattern: '[a-z0-9-]{1,63}'      # the whole value must match (type: pattern)
 *   - name: REASON                    # no type: free text (type: text)
 * ```
 *
 * A map keyed by name (`parameters: {REPLICAS: {type: integer}}`) and a bare
 * list of names work too. Values are checked when a run is created, and only
 * integers (or a list of integers) may reach a place where bash evaluates a
 * value as arithmetic (code-contexts.ts): a pattern cannot be proven to admit
 * digits only, so it counts as text there.
 */

import isSafeRegex from 'safe-regex2';

export type ParamType = 'text' | 'integer' | 'enum' | 'pattern';

export interface ParamSpec {
  /** The environment name the run passes it in: `<affected-pod>` → AFFECTED_POD. */
  name: string;
  type: ParamType;
  /** type enum: the accepted values. */
  values?: string[];
  /** type pattern: the regular expression, matched against the whole value. */
  pattern?: string;
}

const TYPES: readonly ParamType[] = ['text', 'integer', 'enum', 'pattern'];
/** 18 digits: always a 64-bit integer in bash, never wraps into a surprise. */
export const INTEGER = /^-?[0-9]{1,18}$/;
/** A runbook author writes patterns, a responder's value is tested against them: keep them small. */
const MAX_PATTERN_LENGTH = 200;
const MAX_VALUES = 200;

/** `$S3_BUCKET`, `${S3_BUCKET}`, `<affected-pod>`, `affected-pod` → `S3_BUCKET`, `AFFECTED_POD`. */
export function toParamName(name: string): string {
  return name
    .replace(/^\$\{?|\}$/g, '')
    .replace(/^<|>$/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '_');
}

function entriesOf(raw: unknown): Array<[string, Record<string, unknown>]> {
  if (Array.isArray(raw)) {
    return raw.flatMap((entry): Array<[string, Record<string, unknown>]> => {
      if (typeof entry === 'string') return [[entry, {}]];
      if (entry && typeof entry === 'object' && typeof (entry as { name?: unknown }).name === 'string') {
        return [[(entry as { name: string }).name, entry as Record<string, unknown>]];
      }
      return [];
    });
  }
  if (raw && typeof raw === 'object') {
    return Object.entries(raw).map(([name, value]): [string, Record<string, unknown>] => [
      name,
      value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {},
    ]);
  }
  return [];
}

function specOf(name: string, entry: Record<string, unknown>): ParamSpec {
  const declared = entry.type;
  if (declared !== undefined && !TYPES.includes(declared as ParamType)) {
    throw new Error(`parameter ${name}: type ${JSON.stringify(declared)} must be one of ${TYPES.join(', ')}`);
  }
  const type: ParamType = (declared as ParamType | undefined) ?? (entry.values !== undefined ? 'enum' : entry.pattern !== undefined ? 'pattern' : 'text');
  if (type === 'enum') {
    const values = entry.values;
    if (!Array.isArray(values) || values.length === 0 || values.length > MAX_VALUES || !values.every((v) => typeof v === 'string' || typeof v === 'number')) {
      throw new Error(`parameter ${name}: type enum needs values: a list of 1 to ${MAX_VALUES} strings or numbers`);
    }
    return { name, type, values: values.map(String) };
  }
  if (type === 'pattern') {
    const pattern = entry.pattern;
    if (typeof pattern !== 'string' || pattern === '' || pattern.length > MAX_PATTERN_LENGTH) {
      throw new Error(`parameter ${name}: type pattern needs pattern: a regular expression of at most ${MAX_PATTERN_LENGTH} characters`);
    }
    try {
      new RegExp(pattern, 'u');
    } catch (error) {
      throw new Error(`parameter ${name}: pattern is not a valid regular expression (${(error as Error).message})`);
    }
    // Values are tested on the server's event loop: a pattern that can backtrack for ever would freeze it.
    if (!isSafeRegex(pattern)) {
      throw new Error(`parameter ${name}: pattern may take exponential time on some values (nested or repeated quantifiers); simplify it`);
    }
    return { name, type, pattern };
  }
  return { name, type };
}

/**
 * The declared parameters of a runbook by environment name. Throws an Error
 * naming the parameter when a declaration is malformed (the parser turns it
 * into a RunbookParseError on the front matter's line).
 */
export function parameterSpecs(frontMatter: Record<string, unknown>): Map<string, ParamSpec> {
  const specs = new Map<string, ParamSpec>();
  for (const [raw, entry] of entriesOf(frontMatter.parameters)) {
    const name = toParamName(raw);
    specs.set(name, specOf(name, entry));
  }
  return specs;
}

/** The spec of an undeclared parameter: free text. */
export function specFor(specs: ReadonlyMap<string, ParamSpec>, name: string): ParamSpec {
  return specs.get(name) ?? { name, type: 'text' };
}

/** Why `value` is not acceptable for `spec`, or null when it is. */
export function valueProblem(spec: ParamSpec, value: string): string | null {
  switch (spec.type) {
    case 'integer':
      return INTEGER.test(value) ? null : `${spec.name} must be an integer (-?[0-9]{1,18})`;
    case 'enum':
      return spec.values!.includes(value) ? null : `${spec.name} must be one of: ${spec.values!.join(', ')}`;
    case 'pattern':
      // Anchored here, whatever the author wrote: `[a-z]+` must not accept `a; rm -rf /`.
      return new RegExp(`^(?:${spec.pattern!})$`, 'u').test(value) ? null : `${spec.name} must match the pattern ${spec.pattern}`;
    case 'text':
      return null;
  }
}

/**
 * Whether every value the spec accepts is digits only, so bash evaluating
 * it as arithmetic cannot run anything: integers, and lists of integers.
 */
export function safeAsArithmetic(spec: ParamSpec): boolean {
  return spec.type === 'integer' || (spec.type === 'enum' && spec.values!.every((v) => INTEGER.test(v)));
}
