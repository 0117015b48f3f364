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

/** Nesting depth of a JSON text, ignoring brackets inside strings. O(n), no allocation. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91 /* { [ */) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 125 || c === 93 /* } ] */) depth--;
  }
  return max;
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([key, inner]) => key.includes('\0') || containsNul(inner));
  }
  return false;
}

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
      value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch (error) {
      done(new InvalidJsonError(`Body is not valid JSON: ${(error as Error).message}`), undefined);
      return;
    }
    // PostgreSQL text cannot hold NUL; refuse it here, named, rather than fail at the database.
    if (/\\u0000/i.test(text) && containsNul(value)) {
      done(new InvalidJsonError('Strings must not contain the NUL character (\\u0000)'), undefined);
      return;
    }
    done(null, value);
  });
}
