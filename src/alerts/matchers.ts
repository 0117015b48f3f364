import { createHash } from 'node:crypto';
import { InputError } from '../platform/errors.js';
import type { Matcher } from './schema.js';

export type Labels = Record<string, string>;

const compiled = new Map<string, RegExp>();
const CACHE_LIMIT = 1000;

/**
 * Alertmanager anchors matcher regexes at both ends (`=~"5.."` does not match
 * "500x"), so `^(?:…)$` here. The cache is bounded because rule values come
 * from users.
 */
function anchored(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) {
    re = new RegExp(`^(?:${source})$`);
    if (compiled.size >= CACHE_LIMIT) compiled.clear();
    compiled.set(source, re);
  }
  return re;
}

/** Throws an InputError naming the matcher whose regex does not compile, so a bad rule is a 400, not a 500 at alert time. */
export function validateMatchers(matchers: Matcher[], where: string): void {
  matchers.forEach((m, i) => {
    if (m.op !== '=~' && m.op !== '!~') return;
    try {
      anchored(m.value);
    } catch (error) {
      throw new InputError(`${where}/${i}/value is not a valid regular expression: ${(error as Error).message}`);
    }
  });
}

/** A missing label matches as the empty string, as in Alertmanager (`foo=""` holds when foo is absent). */
export function matches(m: Matcher, labels: Labels): boolean {
  const value = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return anchored(m.value).test(value);
    case '!~':
      return !anchored(m.value).test(value);
  }
}

/** All must hold; no matchers at all is a catch-all. */
export function matchesAll(matchers: Matcher[], labels: Labels): boolean {
  return matchers.every((m) => matches(m, labels));
}

/**
 * Stable across label order and JSON formatting: labels sorted by name,
 * each name and value length-prefixed so `a="b,c"` and `a="b",c=""` cannot
 * collide. 16 hex digits like Alertmanager's own fingerprints.
 */
export function labelFingerprint(labels: Labels): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(labels).sort()) {
    const value = labels[name]!;
    hash.update(`${name.length}:${name}${value.length}:${value}`);
  }
  return hash.digest('hex').slice(0, 16);
}
