import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { REDACTED, StreamRedactor, encodedForms, redactAll, secretSet } from './redact.js';

// Shaped like NEXUS's own: a 48-byte base64url key (the embedded JWT key), a URL with a password.
const JWT_KEY = randomBytes(48).toString('base64url');
const DATABASE_URL = `postgres://nexus:${encodeURIComponent('p@ss w/rd+' + randomBytes(6).toString('hex'))}@db:5432/nexus`;

/** Wraps like GNU base64 (76 columns) or xxd -p (60). */
const wrap = (text: string, width: number) => text.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n') + '\n';

/** The secret is nowhere in what a reader could decode from the output. */
function decodable(output: string): string {
  const flat = output.replace(/\s/g, '');
  return [Buffer.from(flat, 'base64').toString('latin1'), Buffer.from(flat, 'base64url').toString('latin1'), Buffer.from(flat.replace(/[^0-9a-f]/gi, ''), 'hex').toString('latin1')].join('\n');
}

describe('redacting secrets in the forms a command prints them', () => {
  const secrets = secretSet([JWT_KEY, DATABASE_URL]);

  it('catches a secret base64-encoded inside a longer stream, at every alignment, wrapped at 76 columns', () => {
    for (const before of ['', 'A', 'AB', 'PATH=/usr/bin\0HOME=/root\0JWT_SECRET_KEY=']) {
      for (const secret of [JWT_KEY, DATABASE_URL]) {
        const stream = Buffer.from(`${before}${secret}\0LANG=C.UTF-8\0`);
        for (const encoded of [stream.toString('base64'), stream.toString('base64url')]) {
          for (const printed of [encoded, wrap(encoded, 76)]) {
            const out = redactAll(printed, secrets);
            expect(out).toContain(REDACTED);
            expect(decodable(out)).not.toContain(secret);
          }
        }
      }
    }
  });

  it('catches hex (either case, wrapped like xxd -p) and URL-encoded forms', () => {
    const hex = Buffer.from(JWT_KEY).toString('hex');
    for (const printed of [hex, hex.toUpperCase(), wrap(hex, 60)]) expect(redactAll(`x ${printed} y`, secrets)).toBe(`x ${REDACTED}${printed.endsWith('\n') ? '\n' : ''} y`);
    const password = decodeURIComponent(new URL(DATABASE_URL).password);
    const withPassword = secretSet([password]);
    const url = encodeURIComponent(password);
    for (const printed of [url, url.replace(/%[0-9A-F]{2}/g, (code) => code.toLowerCase()), url.replaceAll('%20', '+')]) {
      expect(redactAll(`?p=${printed}&`, withPassword)).toBe(`?p=${REDACTED}&`);
    }
  });

  it('holds back only what may be the start of a secret, also of a wrapped encoded one, across chunks', () => {
    const encoded = wrap(Buffer.from(`K=${JWT_KEY}\0`).toString('base64'), 76);
    for (let cut = 1; cut < encoded.length; cut += 7) {
      const redactor = new StreamRedactor(secrets);
      const out = redactor.push(encoded.slice(0, cut)) + redactor.push(encoded.slice(cut)) + redactor.flush();
      expect(decodable(out)).not.toContain(JWT_KEY);
    }
    const plain = new StreamRedactor(secrets);
    expect(plain.push('progress 10%\n')).toBe('progress 10%\n');
    // A line ending in the first characters of a secret is not held back either.
    const lines = new StreamRedactor(secretSet(['test-key-0123456789']));
    expect(lines.push('first\n')).toBe('first\n');
    expect(lines.push('a tes')).toBe('a ');
  });

  it('gives no encoded form short enough to match ordinary output', () => {
    expect(encodedForms('abcd').every((form) => form.length >= 8)).toBe(true);
    expect(secretSet(['abc'])).toEqual([]);
  });
});
