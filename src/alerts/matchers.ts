import { createHash } from 'node:crypto';
import v8 from 'node:v8';
import { InputError } from '../platform/errors.js';
import type { Matcher } from './schema.js';

export type Labels = Record<string, string>;

/**
 * Matcher regexes run on V8's linear-time engine (the `l` flag), as
 * Alertmanager's run on RE2: a rule such as `(a+)+$` must not let a sender
 * hold the event loop with a crafted label value (on the backtracking engine,
 * each character more doubles the time: docs/benchmarks/2026-11-27-alerts.md). Like RE2, that engine
 * has no backreferences or lookaround, and such a pattern is refused when the
 * rule is written. The flag only makes V8 accept `l`; other regexes are as
 * before.
 */
v8.setFlagsFromString('--enable-experimental-regexp-engine');
const LINEAR_FLAG = (() => {
  try {
    // eslint-disable-next-line no-invalid-regexp -- `l` exists only with the flag set above
    new RegExp('a', 'l');
    return 'l';
  } catch {
    return null;
  }
})();

/** Whether matcher regexes run in linear time in this process (a test checks it; Node might drop the flag). */
export const linearRegexEngine = LINEAR_FLAG !== null;

/**
 * The linear engine costs many times what the backtracking one does per test
 * (docs/benchmarks/2026-11-27-alerts.md), and
 * routing tests every alert: answers for short values are remembered per
 * regex, since the same alertnames and services come back all the time.
 */
const MEMO_VALUE_MAX = 256;
const MEMO_SIZE = 4096;

class AnchoredRegex {
  private readonly memo = new Map<string, boolean>();
  constructor(private readonly re: RegExp) {}

  test(value: string): boolean {
    if (value.length > MEMO_VALUE_MAX) return this.re.test(value);
    let answer = this.memo.get(value);
    if (answer === undefined) {
      answer = this.re.test(value);
      if (this.memo.size >= MEMO_SIZE) this.memo.clear();
      this.memo.set(value, answer);
    }
    return answer;
  }
}

const compiled = new Map<string, AnchoredRegex>();
const CACHE_LIMIT = 1000;

/**
 * Alertmanager anchors matcher regexes at both ends (`=~"5.."` does not match
 * "500x"), so `^(?:…)$` here. The cache is bounded because rule values come
 * from users.
 */
function anchored(source: string): AnchoredRegex {
  let re = compiled.get(source);
  if (!re) {
    re = new AnchoredRegex(new RegExp(`^(?:${source})$`, LINEAR_FLAG ?? ''));
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
