/**
 * A small, quote-aware reading of one shell command, enough for lint rules
 * to ask "which program, which flags, which words were quoted, which
 * variables expand here". It is not a shell parser: `bash -n` is the syntax
 * authority (rules/shell-syntax.ts); this lexer never fails, it reads what
 * it can, so rules can still explain a command that bash refuses.
 */

export interface Expansion {
  /** Variable name without `$`/`${}`. */
  name: string;
  /** As written: `$BLUE_IP`, `${S3_BUCKET}`. */
  raw: string;
  /** Where the shell expands it: outside quotes or inside double quotes (single quotes never expand). */
  quote: 'none' | 'double';
}

export interface Word {
  /** Source text of the word, quotes included. */
  raw: string;
  /** After quote removal; `$(…)` and `$VAR` are kept as written. */
  value: string;
  /** For each character of `value`: true when it stood outside any quotes. */
  unquoted: boolean[];
  /** Offsets of the word in the command text. */
  start: number;
  end: number;
  expansions: Expansion[];
}

export interface SimpleCommand {
  words: Word[];
  start: number;
  end: number;
  /** Control operator before and after: `|`, `||`, `&&`, `;`, `&`, or '' at either end. */
  prev: string;
  next: string;
  /** Inside `$(…)` or backticks of another command. */
  nested: boolean;
  /** The text that `start`/`end` and word offsets index into. */
  source: string;
  /** stdin comes from a redirection (`< file`, here-doc, here-string) rather than the runner's (empty) stdin. */
  stdinRedirected: boolean;
}

const OPERATORS = ['||', '&&', '|&', ';;', '|', ';', '&'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

class Lexer {
  private i = 0;
  private word: Word | null = null;
  private parenDepth = 0;
  private skipNextWord = false;
  private current: SimpleCommand;
  readonly commands: SimpleCommand[] = [];

  constructor(
    private readonly text: string,
    private readonly base: number,
    private readonly nested: boolean,
    private readonly source: string,
  ) {
    this.current = this.newCommand('');
  }

  private newCommand(prev: string): SimpleCommand {
    return { words: [], start: this.base + this.i, end: this.base + this.i, prev, next: '', nested: this.nested, source: this.source, stdinRedirected: false };
  }

  run(): SimpleCommand[] {
    while (this.i < this.text.length) this.step();
    this.endCommand('');
    return this.commands;
  }

  private step(): void {
    const c = this.text[this.i]!;
    if (c === '\\' && this.text[this.i + 1] === '\n') {
      this.i += 2; // line continuation: the two lines are one
      return;
    }
    if (c === ' ' || c === '\t') return this.endWordAndAdvance(1);
    if (c === '\n') return this.operator(';', 1);
    if (c === '#' && !this.word) return this.skipComment();
    if ((c === '<' || c === '>') || (c === '&' && this.text[this.i + 1] === '>')) return this.redirect();
    const op = this.word && this.parenDepth > 0 ? undefined : OPERATORS.find((o) => this.text.startsWith(o, this.i));
    if (op) return this.operator(op, op.length);
    if (c === '(' && !this.word) return this.endWordAndAdvance(1); // subshell: the words inside still count
    if (c === ')' && this.parenDepth === 0) return this.endWordAndAdvance(1);
    this.wordChar(c);
  }

  private wordChar(c: string): void {
    if (c === "'") return this.singleQuoted();
    if (c === '"') return this.doubleQuoted();
    if (c === '\\') {
      this.push(this.text[this.i + 1] ?? '', false, 2);
      return;
    }
    if (c === '$' && this.text[this.i + 1] === "'") return this.ansiQuoted();
    if (c === '$' || c === '`') return this.dollar('none');
    if (c === '(') this.parenDepth++;
    if (c === ')') this.parenDepth--;
    this.push(c, true, 1);
  }

  private ensureWord(): Word {
    this.word ??= { raw: '', value: '', unquoted: [], start: this.base + this.i, end: this.base + this.i, expansions: [] };
    return this.word;
  }

  private push(value: string, unquoted: boolean, advance: number): void {
    const word = this.ensureWord();
    word.value += value;
    for (let k = 0; k < value.length; k++) word.unquoted.push(unquoted);
    this.i += advance;
  }

  private singleQuoted(): void {
    const close = this.text.indexOf("'", this.i + 1);
    const end = close === -1 ? this.text.length : close;
    this.ensureWord();
    this.push(this.text.slice(this.i + 1, end), false, end + 1 - this.i);
  }

  private ansiQuoted(): void {
    this.i += 1;
    this.singleQuoted();
  }

  private doubleQuoted(): void {
    this.ensureWord();
    this.i += 1;
    while (this.i < this.text.length && this.text[this.i] !== '"') {
      const c = this.text[this.i]!;
      if (c === '\\' && '"\\$`\n'.includes(this.text[this.i + 1] ?? '')) this.push(this.text[this.i + 1]!, false, 2);
      else if (c === '$' || c === '`') this.dollar('double');
      else this.push(c, false, 1);
    }
    this.i += 1;
  }

  /** `$NAME`, `${NAME…}`, `$(…)`, `$((…))` or a backtick substitution. */
  private dollar(quote: 'none' | 'double'): void {
    const rest = this.text.slice(this.i);
    const word = this.ensureWord();
    const unquoted = quote === 'none';
    if (rest.startsWith('$(') || rest.startsWith('`')) return this.substitution(unquoted);
    const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}/.exec(rest);
    const plain = braced ? null : /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    const match = braced ?? plain;
    if (match) {
      word.expansions.push({ name: match[1]!, raw: match[0], quote });
      return this.push(match[0], unquoted, match[0].length);
    }
    this.push('$', unquoted, 1);
  }

  private substitution(unquoted: boolean): void {
    const backtick = this.text[this.i] === '`';
    const open = backtick ? 1 : 2;
    const close = backtick ? this.text.indexOf('`', this.i + 1) : matchingParen(this.text, this.i + 1);
    const end = close === -1 ? this.text.length : close;
    const body = this.text.slice(this.i + open, end);
    if (!body.startsWith('(')) this.commands.push(...new Lexer(body, this.base + this.i + open, true, this.source).run());
    this.push(this.text.slice(this.i, end + 1), unquoted, end + 1 - this.i);
  }

  private redirect(): void {
    // Runbook placeholders like `<affected-pod>` stand for a value, not two redirections.
    const placeholder = /^<[A-Za-z][A-Za-z0-9_.-]*>/.exec(this.text.slice(this.i));
    if (placeholder) return this.push(placeholder[0], true, placeholder[0].length);
    // A word of digits right before `>` is the file descriptor (2>&1), not an argument.
    const sofar = this.word ? this.text.slice(this.word.start - this.base, this.i) : '';
    if (/^\d+$/.test(sofar)) this.word = null;
    else this.endWord();
    const op = /^(&>>?|<<<|<<-?|>>|<>|>\||[<>]&?(\d+|-)?)/.exec(this.text.slice(this.i))![0];
    this.i += op.length;
    const fd = /^\d+$/.test(sofar) ? sofar : '';
    if (op.startsWith('<') && (fd === '' || fd === '0')) this.current.stdinRedirected = true;
    // `>&2` or `<&-` name their target inside the operator; the others take the next word.
    this.skipNextWord = !/&(\d+|-)$/.test(op);
  }

  private skipComment(): void {
    const nl = this.text.indexOf('\n', this.i);
    this.i = nl === -1 ? this.text.length : nl;
  }

  private endWordAndAdvance(n: number): void {
    this.endWord();
    this.i += n;
  }

  private endWord(): void {
    if (!this.word) return;
    this.word.end = this.base + this.i;
    this.word.raw = this.text.slice(this.word.start - this.base, this.i);
    if (this.skipNextWord) this.skipNextWord = false;
    else this.current.words.push(this.word);
    this.word = null;
    this.parenDepth = 0;
  }

  private operator(op: string, length: number): void {
    this.endWord();
    this.endCommand(op);
    this.i += length;
    this.current = this.newCommand(op);
  }

  private endCommand(next: string): void {
    this.endWord();
    this.current.next = next;
    this.current.end = this.base + this.i;
    if (this.current.words.length > 0) this.commands.push(this.current);
  }
}

/** Index of the `)` closing the `(` at `open`, skipping quoted text; -1 when unbalanced. */
function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close === -1) return -1;
      i = close;
    } else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Every simple command of a command line, nested ones (from `$(…)`) included, in source order. */
export function lexCommand(text: string): SimpleCommand[] {
  return new Lexer(text, 0, false, text).run().sort((a, b) => a.start - b.start);
}

/** `NAME=value` before the program: an assignment, not an argument. */
export function assignmentName(word: Word): string | null {
  const match = NAME.exec(word.value);
  return match && word.value[match[0].length] === '=' && word.unquoted[0] ? match[0] : null;
}

export interface Invocation {
  /** Basename of the program: `kubectl`, `curl`. Empty when the command is only assignments. */
  program: string;
  /** Words after the program. */
  args: Word[];
  /** `timeout 30s cmd` / `timeout -s INT 5m cmd`: the duration given. */
  timeout: string | null;
  /** Variables assigned by `NAME=value` words before the program. */
  assigns: string[];
  command: SimpleCommand;
  /** Where it runs: on the runner, inside a container (`kubectl exec … --`), or in an `sh -c` script. */
  where: 'runner' | 'container' | 'script';
}

const TRANSPARENT = new Set(['sudo', 'env', 'nice', 'nohup', 'time', 'command', 'exec', 'xargs', '{', '}', '!', 'then', 'do', 'else', 'if', 'while', 'until']);
const TIMEOUT_VALUE_FLAGS = new Set(['-s', '--signal', '-k', '--kill-after']);

/** What a simple command runs, looking through `sudo`, `env A=B`, `timeout 30s` and the like. */
export function invocation(command: SimpleCommand, where: Invocation['where'] = 'runner'): Invocation {
  const words = command.words;
  const assigns: string[] = [];
  let timeout: string | null = null;
  let k = 0;
  for (; k < words.length; k++) {
    const value = words[k]!.value;
    const name = assignmentName(words[k]!);
    if (name) assigns.push(name);
    else if (value === 'timeout') k = skipTimeout(words, k, (duration) => (timeout = duration));
    else if (!TRANSPARENT.has(value) && !(value.startsWith('-') && k > 0 && TRANSPARENT.has(words[k - 1]!.value))) break;
  }
  const program = words[k]?.value.split('/').pop() ?? '';
  return { program, args: words.slice(k + 1), timeout, assigns, command, where };
}

function skipTimeout(words: Word[], at: number, found: (duration: string) => void): number {
  let k = at + 1;
  while (k < words.length && words[k]!.value.startsWith('-')) k += TIMEOUT_VALUE_FLAGS.has(words[k]!.value) ? 2 : 1;
  if (k < words.length) found(words[k]!.value);
  return k;
}

/** Words that are not options, skipping the values of options that take one. */
export function positionals(args: Word[], flagsWithValue: ReadonlySet<string>): Word[] {
  const out: Word[] = [];
  for (let k = 0; k < args.length; k++) {
    const value = args[k]!.value;
    if (value === '--') break;
    if (value.startsWith('-') && value.length > 1) {
      if (flagsWithValue.has(value)) k++;
      continue;
    }
    out.push(args[k]!);
  }
  return out;
}

interface FlagOptions {
  /** Short options that take a value: in `-owide`, everything after the `o` is its value, not flags. */
  takesValue?: string;
}

/** The flag letters of a short cluster: `-it` → i, t; `-owide` with `o` taking a value → o. */
export function shortLetters(value: string, takesValue: string): string {
  let letters = '';
  for (const letter of value.slice(1)) {
    letters += letter;
    if (takesValue.includes(letter)) break;
  }
  return letters;
}

/** True when one of `names` is given (`--follow`, `--follow=true`, or a short flag inside a cluster like `-fp`), before any `--`. */
export function hasFlag(args: Word[], names: { long?: string[]; short?: string[] }, options: FlagOptions = {}): boolean {
  for (const arg of args) {
    const value = arg.value;
    if (value === '--') return false;
    if (value.startsWith('--')) {
      const [name, setting] = value.split('=', 2);
      if (names.long?.includes(name!) && setting !== 'false') return true;
    } else if (/^-[A-Za-z]/.test(value)) {
      const letters = shortLetters(value, options.takesValue ?? '');
      if (names.short?.some((s) => letters.includes(s))) return true;
    }
  }
  return false;
}

/** Short kubectl options that take a value (`-n ns`, `-owide`, `-lapp=x`, `-c ctr`, `-s server`). */
export const KUBECTL_SHORT_VALUES = 'nlcos';
/** Short curl options that take a value, so `-sXPOST` or `-ofile` is not read as more flags. */
export const CURL_SHORT_VALUES = 'oduXHwAbcmTFKrxeECYyzPQt';
/** Short grep options that take a value. */
export const GREP_SHORT_VALUES = 'efmABCd';

/** Quotes text for a POSIX shell so it stays one literal word. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
