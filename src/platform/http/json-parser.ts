import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { AppError } from '../errors.js';

/** Deeper than any body NEXUS accepts; stops stack exhaustion before JSON.parse. */
export const MAX_JSON_DEPTH = 32;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

class InvalidJsonError extends AppError {
  constructor(message: string) {
    super(400, 'invalid_json', message);
  }
}

/**
 * Nesting depth of a JSON text, ignoring brackets inside strings. O(n), no
 * allocation. Strings are skipped with indexOf, which is most of a webhook
 * body (label values, annotations): a character loop over them showed in the
 * alert receivers' CPU profile (docs/benchmarks/2026-11-27-alerts.md).
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // The closing quote is the next one not escaped by an odd run of backslashes.
      let end = text.indexOf('"', i + 1);
      while (end !== -1 && escaped(text, end)) end = text.indexOf('"', end + 1);
      // Unterminated: JSON.parse rejects it; nothing after it can nest.
      if (end === -1) return max;
      i = end;
    } else if (c === 123 || c === 91 /* { [ */) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 125 || c === 93 /* } ] */) depth--;
  }
  return max;
}

function escaped(text: string, quote: number): boolean {
  let backslashes = 0;
  for (let j = quote - 1; j >= 0 && text.charCodeAt(j) === 92 /* \ */; j--) backslashes++;
  return backslashes % 2 === 1;
}

/** The first string (key or value) that `bad` refuses, or undefined. */
function findString(value: unknown, bad: (text: string) => boolean): string | undefined {
  if (typeof value === 'string') return bad(value) ? value : undefined;
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (bad(key)) return key;
      const found = findString(inner, bad);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const hasNul = (text: string) => text.includes('\0');
/** A lone UTF-16 surrogate (`\ud800` without its pair) is not text: PostgreSQL's jsonb refuses it, and other columns store U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const hasLoneSurrogate = (text: string) => LONE_SURROGATE.test(text);

/**
 * Replaces Fastify's JSON parser: the default decodes invalid UTF-8 into
 * U+FFFD silently and lets pathological nesting reach JSON.parse. Here both
 * are a clear 400, and `__proto__` keys are refused (secure-json-parse).
 */
export function installJsonParser(app: FastifyInstance): void {
  // JSON only: a text/plain body is refused with 415 instead of reaching a handler as a string.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    let text: string;
    try {
      text = strictUtf8.decode(body);
    } catch {
      done(new InvalidJsonError('Body is not valid UTF-8'), undefined);
      return;
    }
    if (text.trim() === '') {
      done(new InvalidJsonError('Body is empty but Content-Type is application/json'), undefined);
      return;
    }
    if (jsonDepth(text) > MAX_JSON_DEPTH) {
      done(new InvalidJsonError(`JSON is nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    let value: unknown;
    try {
      value = parseJsonText(text);
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    // Outside the try: `done` runs the rest of the request (validation, handler) synchronously,
    // and an error thrown there must not come back here as a second `done`.
    done(null, value);
  });
}

/** One regex for both words: one V8 search costs less than two `includes` (docs/benchmarks/2026-11-27-alerts.md). */
const SUSPECT_WORDS = /__proto__|constructor/;

/**
 * JSON.parse, refusing `__proto__` and `constructor.prototype` keys and NUL
 * characters. A key or a NUL can only be spelt with those letters or with a
 * `\u` escape, so a text with neither is parsed as is: secure-json-parse's
 * two scans for every spelling, and the NUL scan, are skipped for it (the
 * checks here cost a fraction of those scans: docs/benchmarks/2026-11-27-alerts.md).
 */
export function parseJsonText(text: string): unknown {
  const escapes = text.includes('\\u');
  const suspect = escapes || SUSPECT_WORDS.test(text);
  let value: unknown;
  try {
    value = suspect ? secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }) : JSON.parse(text);
  } catch (error) {
    throw new InvalidJsonError(`Body is not valid JSON: ${(error as Error).message}`);
  }
  // PostgreSQL text cannot hold NUL; refuse it here, named, rather than fail at the database.
  if (escapes && /\\u0000/i.test(text) && findString(value, hasNul) !== undefined) {
    throw new InvalidJsonError('Strings must not contain the NUL character (\\u0000)');
  }
  // Valid UTF-8 cannot spell a surrogate, so only a `\uD800`–`\uDFFF` escape can.
  if (escapes && /\\u[dD][89a-fA-F]/.test(text) && findString(value, hasLoneSurrogate) !== undefined) {
    throw new InvalidJsonError('Strings must not contain a lone UTF-16 surrogate (such as \\ud800 without its pair)');
  }
  return value;
}
