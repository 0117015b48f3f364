import { describe, expect, it } from 'vitest';
import { jsonDepth, parseJsonText } from './json-parser.js';

/** The plain definition: one character at a time, tracking whether it is inside a string. */
function depthByCharacter(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

/** Deterministic pseudo-random JSON values with strings full of quotes, backslashes and brackets. */
function* values(seed: number, count: number): Generator<unknown> {
  let state = seed;
  const next = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 1;
    return state % n;
  };
  const pieces = ['"', '\\', '\\\\', '\\"', '[', ']', '{', '}', 'a', ' ', 'é', '😀', '\u0001'];
  const string = () => Array.from({ length: next(8) }, () => pieces[next(pieces.length)]).join('');
  const value = (level: number): unknown => {
    // Containers are likelier near the top, so many values nest several levels deep.
    const kind = level > 8 ? next(3) : next(9);
    if (kind === 0) return string();
    if (kind === 1) return next(1000);
    if (kind === 2) return null;
    if (kind < 6) return Array.from({ length: 1 + next(3) }, () => value(level + 1));
    return Object.fromEntries(Array.from({ length: 1 + next(3) }, () => [string(), value(level + 1)]));
  };
  for (let i = 0; i < count; i++) yield value(0);
}

describe('jsonDepth', () => {
  it('agrees with a character-by-character scan on JSON whose strings hold quotes, backslashes and brackets', () => {
    let deepest = 0;
    for (const value of values(7, 2000)) {
      const text = JSON.stringify(value);
      const expected = depthByCharacter(text);
      deepest = Math.max(deepest, expected);
      expect(jsonDepth(text), text).toBe(expected);
    }
    // The generator must reach real nesting for the comparison to mean something.
    expect(deepest).toBeGreaterThanOrEqual(5);
  });

  it('counts brackets outside strings only, whatever run of backslashes ends a string', () => {
    expect(jsonDepth('{"a":"\\\\"}')).toBe(1);
    expect(jsonDepth('{"a":"\\\\\\"[[["}')).toBe(1);
    expect(jsonDepth('[[{"x":"]]]}"}]]')).toBe(3);
    expect(jsonDepth('[' + '"\\""'.repeat(3) + ',[[]]]')).toBe(3);
  });

  it('stops at an unterminated string (JSON.parse refuses the text anyway)', () => {
    expect(jsonDepth('[[ "never closed [[[[')).toBe(2);
  });
});

describe('parseJsonText', () => {
  it('parses what JSON.parse parses, escapes or not', () => {
    for (const value of values(11, 500)) {
      const text = JSON.stringify(value);
      expect(parseJsonText(text), text).toEqual(JSON.parse(text));
    }
    expect(parseJsonText('{"constructor":"a label value","note":"__proto__ in a value"}')).toEqual({ constructor: 'a label value', note: '__proto__ in a value' });
    expect(parseJsonText('{"path":"C:\\\\u0000x"}')).toEqual({ path: 'C:\\u0000x' });
  });

  it('refuses __proto__ and constructor.prototype keys however they are spelt', () => {
    for (const text of [
      '{"__proto__":{"admin":true}}',
      '{"a":[{"\\u005f_proto__":{"admin":true}}]}',
      '{"\\u005F\\u005Fproto\\u005f\\u005f":{}}',
      '{"a":{"constructor":{"prototype":{"admin":true}}}}',
      '{"constr\\u0075ctor":{"prototype":{"admin":true}}}',
    ]) {
      expect(() => parseJsonText(text), text).toThrow(/not valid JSON/);
    }
  });

  it('refuses a NUL character, which PostgreSQL text cannot hold', () => {
    expect(() => parseJsonText('{"a":"x\\u0000y"}')).toThrow(/NUL/);
    expect(() => parseJsonText('{"a\\u0000":1}')).toThrow(/NUL/);
    expect(() => parseJsonText('{"a":"x')).toThrow(/not valid JSON/);
  });

  it('refuses a lone UTF-16 surrogate, in a value or a key, and keeps pairs and escaped backslashes', () => {
    expect(() => parseJsonText('{"title":"new \\ud800 title"}')).toThrow(/lone UTF-16 surrogate/);
    expect(() => parseJsonText('{"a":["ok","\\uDC00"]}')).toThrow(/lone UTF-16 surrogate/);
    expect(() => parseJsonText('{"\\udbff":1}')).toThrow(/lone UTF-16 surrogate/);
    expect(() => parseJsonText('{"a":"\\ud800\\ud800\\udc00"}')).toThrow(/lone UTF-16 surrogate/);
    // A pair is one character (😀), and `\\ud800` spelt with an escaped backslash is plain text.
    expect(parseJsonText('{"a":"\\ud83d\\ude00"}')).toEqual({ a: '😀' });
    expect(parseJsonText('{"a":"\\\\ud800"}')).toEqual({ a: '\\ud800' });
  });
});
