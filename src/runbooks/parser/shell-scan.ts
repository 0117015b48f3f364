/**
 * A small, tolerant scanner for the shell text of one command. It is not a
 * shell parser: it tracks quotes, `$( … )`, `( … )` and `${ … }` well enough
 * to tell where a command ends, which `$VAR`s the shell would expand, and
 * where the top-level simple commands (split at `;`, `&&`, `||`, `|`, `&`)
 * begin. Documentation commands are often not quite valid shell (the seed's
 * unquoted PromQL URLs), so nothing here ever throws.
 */

export interface DollarRef {
  name: string;
  raw: string;
  syntax: 'dollar' | 'braces';
  offset: number;
}

export interface Heredoc {
  word: string;
  /** `<<-`: the terminator may be indented with tabs. */
  stripTabs: boolean;
}

export interface ShellScan {
  refs: DollarRef[];
  /** Top-level simple commands, as written. */
  segments: string[];
  /** Still inside a quote, `$(`, `(` or `${` at the end of the text. */
  open: boolean;
  /** Ends with an unescaped `\`, `|`, `&&` or `||`: the command continues on the next line. */
  continues: boolean;
  heredocs: Heredoc[];
}

type Context = 'top' | 'sq' | 'dq' | 'cmd' | 'paren' | 'brace' | 'tick';

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const HEREDOC = /^<<(-?)\s*(['"]?)([A-Za-z_][\w.-]*)\2/;

class Scanner {
  readonly refs: DollarRef[] = [];
  readonly segments: string[] = [];
  readonly heredocs: Heredoc[] = [];
  private readonly stack: Context[] = ['top'];
  private segmentStart = 0;
  private i = 0;

  constructor(private readonly text: string) {}

  private get ctx(): Context {
    return this.stack[this.stack.length - 1]!;
  }

  private get atTop(): boolean {
    return this.stack.length === 1;
  }

  run(): ShellScan {
    const { text } = this;
    while (this.i < text.length) {
      const c = text[this.i]!;
      if (this.ctx === 'sq') {
        if (c === "'") this.stack.pop();
        this.i++;
      } else if (c === '\\') this.i += 2;
      else if (c === '$') this.dollar();
      else if (this.ctx === 'dq') {
        if (c === '"') this.stack.pop();
        else if (c === '`') this.stack.push('tick');
        this.i++;
      } else this.unquoted(c);
    }
    this.cut(text.length, 0);
    return {
      refs: this.refs,
      segments: this.segments,
      open: !this.atTop,
      continues: this.atTop && endsContinued(text),
      heredocs: this.heredocs,
    };
  }

  private unquoted(c: string): void {
    const { text } = this;
    if (c === "'") this.stack.push('sq');
    else if (c === '"') this.stack.push('dq');
    else if (c === '`') {
      if (this.ctx === 'tick') this.stack.pop();
      else this.stack.push('tick');
    } else if (c === '(') this.stack.push('paren');
    else if (c === ')' && (this.ctx === 'cmd' || this.ctx === 'paren')) this.stack.pop();
    else if (c === '}' && this.ctx === 'brace') this.stack.pop();
    else if (c === '#' && (this.i === 0 || /\s/.test(text[this.i - 1]!))) {
      // A comment runs to the end of the line; its quotes and `$` mean nothing.
      const end = text.indexOf('\n', this.i);
      this.i = end === -1 ? text.length : end;
      return;
    } else if (c === '<' && text[this.i + 1] === '<' && text[this.i + 2] !== '<') {
      const match = HEREDOC.exec(text.slice(this.i));
      if (match) {
        this.heredocs.push({ word: match[3]!, stripTabs: match[1] === '-' });
        this.i += match[0].length;
        return;
      }
    } else if (c === '&' && (text[this.i - 1] === '>' || text[this.i - 1] === '<' || text[this.i + 1] === '>')) {
      // `2>&1`, `&>file`: redirections, not a command separator.
    } else if (this.atTop && (c === ';' || c === '|' || c === '&' || c === '\n')) {
      const width = (c === '|' || c === '&') && text[this.i + 1] === c ? 2 : 1;
      this.cut(this.i, width);
      return;
    }
    this.i++;
  }

  private cut(at: number, width: number): void {
    const segment = this.text.slice(this.segmentStart, at).trim();
    if (segment !== '') this.segments.push(segment);
    this.i = at + width;
    this.segmentStart = this.i;
  }

  private dollar(): void {
    const { text } = this;
    const next = text[this.i + 1] ?? '';
    if (next === '(') {
      this.stack.push('cmd');
      this.i += 2;
    } else if (next === '{') {
      let j = this.i + 2;
      while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
      const name = text.slice(this.i + 2, j);
      if (name !== '' && NAME_START.test(name[0]!) && text[j] === '}') {
        this.refs.push({ name, raw: text.slice(this.i, j + 1), syntax: 'braces', offset: this.i });
      } else if (name !== '' && NAME_START.test(name[0]!)) {
        // `${VAR:-default}`: still a value the run must supply (or accept the default of).
        this.refs.push({ name, raw: text.slice(this.i, closingBrace(text, j) + 1), syntax: 'braces', offset: this.i });
      }
      this.stack.push('brace');
      this.i = j;
    } else if (NAME_START.test(next)) {
      let j = this.i + 1;
      while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
      this.refs.push({ name: text.slice(this.i + 1, j), raw: text.slice(this.i, j), syntax: 'dollar', offset: this.i });
      this.i = j;
    } else this.i++;
  }
}

/** Index of the `}` closing a `${` whose name ends at `from` (nested `${…}` counted); the text's end if none. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return text.length - 1;
}

/** A trailing `\` (odd count), `|`, `&&` or `||` means the next line is more of this command. */
function endsContinued(text: string): boolean {
  const trimmed = text.replace(/[ \t]+$/, '');
  const slashes = /\\+$/.exec(trimmed)?.[0].length ?? 0;
  if (slashes % 2 === 1) return true;
  return /(\|\||&&|\|)$/.test(trimmed);
}

export function scanShell(text: string): ShellScan {
  return new Scanner(text).run();
}

/** Splits a simple command into words, keeping quoted parts together (quotes kept). */
export function shellWords(segment: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | null = null;
  let depth = 0;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') current += segment[i++] ?? '';
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') current += segment[i++] ?? '';
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (/\s/.test(c) && depth === 0) {
      if (current !== '') words.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  if (current !== '') words.push(current);
  return words;
}
