import { looksSecret, requiredParameters as procedureParameters } from '../runs/parameters.js';
import type { Procedure } from './model.js';

/**
 * The values a run of a procedure asks for before it starts. The server
 * decides (src/runbooks/runs/params.ts) and answers a 400 naming what is
 * missing; the console works out the same list so it can ask first.
 */

/** The names alone, in the order the run form asks for them. */
export function requiredParameters(procedure: Procedure): string[] {
  return procedureParameters(procedure).map((parameter) => parameter.name);
}

export { looksSecret };

export interface ParameterInfo {
  description?: string;
  example?: string;
}

/** `${S3_BUCKET}`, `<affected-pod>`, `affected-pod` → `S3_BUCKET`, `AFFECTED_POD` (src/runbooks/lint/context.ts toParam). */
export function toParam(name: string): string {
  return name
    .replace(/^\$\{?|\}$/g, '')
    .replace(/^<|>$/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '_');
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : undefined);

/**
 * What the front matter's `parameters:` says about each one (a list of
 * names, a list of `{ name, description, example }`, or a map by name), by
 * the environment name a run passes it in.
 */
export function declaredParameters(frontMatter: Record<string, unknown>): Map<string, ParameterInfo> {
  const raw = frontMatter.parameters;
  const found = new Map<string, ParameterInfo>();
  const add = (name: string, info: unknown) => {
    const fields = info && typeof info === 'object' ? (info as Record<string, unknown>) : {};
    const entry: ParameterInfo = {};
    const description = text(fields.description) ?? (typeof info === 'string' ? info : undefined);
    const example = text(fields.example) ?? text(fields.default);
    if (description) entry.description = description;
    if (example) entry.example = example;
    found.set(toParam(name), entry);
  };
  if (Array.isArray(raw)) {
    for (const item of raw) {
      if (typeof item === 'string') add(item, {});
      else if (item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string') add((item as { name: string }).name, item);
    }
  } else if (raw && typeof raw === 'object') {
    for (const [name, info] of Object.entries(raw)) add(name, info);
  }
  return found;
}
