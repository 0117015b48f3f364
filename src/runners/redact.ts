export const REDACTED = '[redacted]';

/**
 * Shorter values are not redacted: replacing every "abc" would wreck the
 * output while protecting nothing (a 3-character secret is not one).
 */
export const MIN_SECRET_LENGTH = 4;

/** The values to redact, de-duplicated, longest first (so a secret containing another is caught whole). */
export function secretSet(values: Iterable<string>): string[] {
  const unique = new Set<string>();
  for (const value of values) {
    if (value.length >= MIN_SECRET_LENGTH) unique.add(value);
    // A value printed with its trailing newline trimmed is still the secret.
    const trimmed = value.trim();
    if (trimmed !== value && trimmed.length >= MIN_SECRET_LENGTH) unique.add(trimmed);
  }
  return [...unique].sort((a, b) => b.length - a.length);
}

export function redactAll(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/**
 * Redacts a stream that arrives in chunks. A secret may straddle two chunks,
 * so the end of a chunk that could be the start of a secret is held back
 * until the next chunk decides it. Only such a partial match is held (not a
 * fixed max-secret-length tail), so ordinary output is never delayed: a
 * progress line shows up the moment the command prints it.
 */
export class StreamRedactor {
  private pending = '';

  constructor(private readonly secrets: readonly string[]) {}

  push(chunk: string): string {
    if (this.secrets.length === 0) return chunk;
    const text = redactAll(this.pending + chunk, this.secrets);
    const hold = this.partialSuffix(text);
    this.pending = text.slice(text.length - hold);
    return text.slice(0, text.length - hold);
  }

  /** The end of the stream: whatever was held back cannot become a secret any more. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }

  /** Length of the longest suffix of `text` that is a proper prefix of some secret. */
  private partialSuffix(text: string): number {
    let longest = 0;
    for (const secret of this.secrets) {
      for (let k = Math.min(secret.length - 1, text.length); k > longest; k--) {
        if (text.endsWith(secret.slice(0, k))) {
          longest = k;
          break;
        }
      }
    }
    return longest;
  }
}
