export const REDACTED = '[redacted]';

/**
 * Shorter values are not redacted: replacing every "abc" would wreck the
 * output while protecting nothing (a 3-character secret is not one).
 */
export const MIN_SECRET_LENGTH = 4;

/** An encoded form shorter than this would match ordinary output by chance. */
const MIN_ENCODED_LENGTH = 8;

/**
 * The forms a command can print a secret in without knowing it is one:
 * base64 (standard and URL-safe) at each of the 3 byte alignments, so the
 * secret is found also inside the encoding of a longer stream
 * (`cat /proc/…/environ | base64`); hex; URL-encoding. Of each base64
 * form only the characters that depend on the secret's bytes alone.
 */
export function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const base64 = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    // Character i covers bits [6i, 6i+6); the secret covers bits [8·pad, 8·(pad+n)).
    const core = base64.slice(Math.ceil((8 * pad) / 6), Math.floor((8 * (pad + bytes.length)) / 6));
    forms.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  const hex = bytes.toString('hex');
  forms.push(hex, hex.toUpperCase());
  const url = encodeURIComponent(value);
  if (url !== value) forms.push(url, url.replace(/%[0-9A-F]{2}/g, (code) => code.toLowerCase()), url.replaceAll('%20', '+'));
  return forms.filter((form) => form.length >= MIN_ENCODED_LENGTH && form !== value);
}

/** The values to redact and their encoded forms, de-duplicated, longest first (so a secret containing another is caught whole). */
export function secretSet(values: Iterable<string>): string[] {
  const unique = new Set<string>();
  const add = (value: string) => {
    if (value.length < MIN_SECRET_LENGTH) return;
    unique.add(value);
    for (const form of encodedForms(value)) unique.add(form);
  };
  for (const value of values) {
    add(value);
    // A value printed with its trailing newline trimmed is still the secret.
    const trimmed = value.trim();
    if (trimmed !== value) add(trimmed);
  }
  return [...unique].sort((a, b) => b.length - a.length);
}

/**
 * Where the secrets are in `text`, as merged [start, end) ranges. A line
 * break may sit between any two characters of a secret: `base64` wraps its
 * output at 76 columns, `xxd -p` at 60, so an encoded secret is usually cut
 * in two lines. So the search runs on the text without its line breaks
 * (plain indexOf, which is fast) and maps the hits back.
 */
function findSecrets(text: string, secrets: readonly string[]): Array<[number, number]> {
  const flat = text.replace(LINE_BREAKS, '');
  const hits: Array<[number, number]> = [];
  for (const secret of secrets) {
    for (let at = flat.indexOf(secret); at !== -1; at = flat.indexOf(secret, at + secret.length)) hits.push([at, at + secret.length]);
  }
  if (hits.length === 0) return hits;
  hits.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of hits) {
    const last = merged[merged.length - 1];
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  if (flat.length === text.length) return merged;
  // Break j (at text position b) would sit before flat position b - j; a flat character moves right by the breaks before it.
  const breaks: number[] = [];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n' || text[i] === '\r') breaks.push(i - breaks.length);
  const original = (flatIndex: number) => {
    let low = 0;
    let high = breaks.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (breaks[mid]! <= flatIndex) low = mid + 1;
      else high = mid;
    }
    return flatIndex + low;
  };
  return merged.map(([start, end]) => [original(start), original(end - 1) + 1]);
}

const LINE_BREAKS = /[\r\n]/g;

export function redactAll(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  const found = findSecrets(text, secrets);
  if (found.length === 0) return text;
  let out = '';
  let from = 0;
  for (const [start, end] of found) {
    out += text.slice(from, start) + REDACTED;
    from = end;
  }
  return out + text.slice(from);
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

  /** Length of the longest suffix of `text` that is a proper prefix of some secret (line breaks inside allowed). */
  private partialSuffix(text: string): number {
    let longest = 0;
    for (const secret of this.secrets) {
      // With a break allowed after each character, a prefix spans at most twice its length.
      const from = Math.max(0, text.length - 2 * secret.length);
      for (let start = text.indexOf(secret[0]!, from); start !== -1 && text.length - start > longest; start = text.indexOf(secret[0]!, start + 1)) {
        if (prefixRunsToEnd(text, start, secret)) {
          longest = text.length - start;
          break;
        }
      }
    }
    return longest;
  }
}

/** Whether text[start..] is a proper prefix of `secret`, line breaks between its characters allowed. */
function prefixRunsToEnd(text: string, start: number, secret: string): boolean {
  let matched = 0;
  let at = start;
  while (at < text.length && matched < secret.length) {
    if (text[at] === secret[matched]) {
      matched++;
      at++;
    } else if (matched > 0 && (text[at] === '\n' || (text[at] === '\r' && (at + 1 === text.length || text[at + 1] === '\n')))) {
      at++;
    } else {
      return false;
    }
  }
  if (at !== text.length || matched === secret.length) return false;
  // A line that merely ends in a secret's first characters is not held back (its newline would be late):
  // only a few characters, and the newline that ends the chunk could be a wrap inside an encoded secret.
  const endsInBreak = text[text.length - 1] === '\n' || text[text.length - 1] === '\r';
  return !endsInBreak || matched >= MIN_HELD_ACROSS_BREAK;
}

/** See prefixRunsToEnd: fewer matched characters before a chunk's final line break are let through. */
const MIN_HELD_ACROSS_BREAK = 8;
