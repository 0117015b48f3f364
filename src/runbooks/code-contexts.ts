import { commandsOf, type Command, type Procedure } from './model.js';
import { assignmentName, invocation, lexCommand, type SimpleCommand, type Word } from './lint/shell.js';

/**
 * Where bash evaluates the *value* of a variable as code. Parameters reach
 * commands as `"${NAME}"`, which expands as data, but bash evaluates
 * variable contents again in these places, so `N='a[$(id)]'` runs `id`:
 *
 * - arithmetic: `$(( … ))`, `$[ … ]`, `(( … ))` (and `for (( … ))`), `let`,
 *   the operands of `-eq -ne -lt -le -gt -ge` inside `[[ … ]]`, array
 *   subscripts (`${a[…]}`, `a[…]=`), substring offsets (`${x:…:…}`) — there a
 *   bare `N` is evaluated as well as `$N`;
 * - names: `${!N}`, `printf -v`, `read`, `declare`/`export`/`local` names,
 *   `declare -i/-n/-a/-A`, `[[ -v … ]]`/`test -v`, `${N@P}`;
 * - code: `eval`, `source`/`.`, `trap`, `sh -c`/`bash -c` (also through
 *   `kubectl exec`, `sudo`, `xargs`), a script piped into a shell, `ssh`
 *   (the remote shell parses its command line), `watch` (runs `sh -c`).
 *
 * `[ "$N" -gt 5 ]`, `test`, `printf %d`, `case`, `shift`, here-documents and
 * `[[ "$N" == … ]]` only compare or print the value: they are not listed.
 * The reading is deliberately wide (a name anywhere in such a place counts),
 * so an unusual spelling errs towards refusing, not towards running.
 */

export interface CodeContext {
  /** How the place reads in a message: `$(( … ))`, `[[ … -gt … ]]`, `eval`. */
  context: string;
  /** Variable names whose values bash evaluates there. */
  names: Set<string>;
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/;
const REF = /\$\{?[#!]?([A-Za-z_][A-Za-z0-9_]*)/g;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;
const ARITH_OPS = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'mksh', 'busybox', 'su']);
const DECLARE = new Set(['declare', 'typeset', 'local', 'export', 'readonly']);
const CODE_BUILTINS = new Set(['eval', 'source', '.', 'trap']);
const MAX_DEPTH = 3;

/** `$X`, `${X…}` in `text`; with `bare`, every identifier too (arithmetic evaluates bare names). */
function namesIn(text: string, bare: boolean): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(REF)) names.add(match[1]!);
  if (bare) for (const match of text.matchAll(IDENT)) names.add(match[0]);
  return names;
}

const CLOSER_OF: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * For each `(`, `[` and `{` of `text`, the index just past the bracket that
 * closes it, found in one pass (text length when it never closes). Text in
 * single quotes is skipped; a closer that does not match the innermost open
 * bracket is ignored, which can only make a region longer. One pass, so a
 * pathological command (lint is open to viewers) costs linear time.
 */
function bracketEnds(text: string): Int32Array {
  const ends = new Int32Array(text.length).fill(text.length);
  const stack: number[] = [];
  let double = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') i++;
    else if (c === '"') double = !double;
    else if (c === "'" && !double) {
      const end = text.indexOf("'", i + 1);
      i = end === -1 ? text.length : end;
    } else if (c === '(' || c === '[' || c === '{') stack.push(i);
    else if (CLOSER_OF[c] !== undefined && stack.length > 0 && text[stack[stack.length - 1]!] === CLOSER_OF[c]) ends[stack.pop()!] = i + 1;
  }
  return ends;
}

const atWordStart = (text: string, i: number) => i === 0 || /[\s;&|(!`]/.test(text[i - 1]!);
const BRACE_HEAD = /([!#]?)([A-Za-z_][A-Za-z0-9_]*|[@*]|\d+)/y;
const ARRAY_ASSIGN = /([A-Za-z_][A-Za-z0-9_]*)\[/y;

/**
 * `${…}` forms that evaluate: indirection, subscripts, substring offsets,
 * prompt expansion. Returns where scanning goes on: past a region whose
 * names were all taken (nested forms inside it add nothing), else just in.
 */
function braceContexts(text: string, at: number, ends: Int32Array, out: CodeContext[]): number {
  const end = ends[at + 1]!;
  BRACE_HEAD.lastIndex = at + 2;
  const head = BRACE_HEAD.exec(text);
  if (!head) return at + 1;
  const [whole, prefix, name] = head;
  let rest = at + 2 + whole.length;
  if (prefix === '!' && NAME.test(name!) && !/^(\*|@|\[[@*]\])\}/.test(text.slice(rest, rest + 5))) {
    out.push({ context: '${!NAME} (indirection)', names: new Set([name!]) });
  }
  if (text[rest] === '[') {
    const close = ends[rest]!;
    const subscript = text.slice(rest + 1, close - 1);
    if (subscript !== '@' && subscript !== '*') {
      out.push({ context: '${array[…]} (subscript)', names: namesIn(subscript, true) });
      return close - 1;
    }
    rest = close;
  }
  if (prefix === '' && text[rest] === ':' && !'-=+?'.includes(text[rest + 1] ?? '-')) {
    out.push({ context: '${var:offset:length}', names: namesIn(text.slice(rest + 1, end - 1), true) });
    return end - 1;
  }
  if (prefix === '' && text.startsWith('@P}', rest) && NAME.test(name!)) out.push({ context: '${var@P} (prompt expansion)', names: new Set([name!]) });
  return at + 1;
}

/** `[[ … ]]`: the operands of arithmetic comparisons, and `-v` names. */
function testContexts(inner: string, out: CodeContext[]): void {
  for (const simple of lexCommand(inner)) {
    const words = simple.words;
    words.forEach((word, k) => {
      if (ARITH_OPS.has(word.value)) {
        const operands = [words[k - 1], words[k + 1]].filter((w): w is Word => w !== undefined);
        out.push({ context: `[[ … ${word.value} … ]]`, names: namesIn(operands.map((w) => w.raw).join(' '), true) });
      } else if (word.value === '-v' && words[k + 1]) {
        out.push({ context: '[[ -v … ]]', names: namesIn(words[k + 1]!.raw, words[k + 1]!.raw.includes('[')) });
      }
    });
  }
}

/**
 * Arithmetic and `${…}` places, read character by character (single-quoted
 * text is literal). An arithmetic region takes every name inside it, so the
 * scan jumps past it: each character is read a bounded number of times.
 */
function scanText(text: string, out: CodeContext[]): void {
  const ends = bracketEnds(text);
  let double = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === "'" && !double) {
      const end = text.indexOf("'", i + 1);
      i = end === -1 ? text.length : end;
      continue;
    }
    if (c === '"') double = !double;
    else if (text.startsWith('$((', i)) {
      const end = ends[i + 1]!;
      out.push({ context: '$(( … ))', names: namesIn(text.slice(i + 3, end), true) });
      i = end - 1;
    } else if (text.startsWith('$[', i)) {
      const end = ends[i + 1]!;
      out.push({ context: '$[ … ]', names: namesIn(text.slice(i + 2, end), true) });
      i = end - 1;
    } else if (text.startsWith('${', i)) i = braceContexts(text, i, ends, out);
    else if (double) continue;
    else if (text.startsWith('((', i) && text[i - 1] !== '$' && text[i - 1] !== '(') {
      const end = ends[i]!;
      out.push({ context: '(( … ))', names: namesIn(text.slice(i + 2, end), true) });
      i = end - 1;
    } else if (text.startsWith('[[', i) && atWordStart(text, i)) {
      const close = text.indexOf(']]', i + 2);
      const end = close === -1 ? text.length : close;
      testContexts(text.slice(i + 2, end), out);
      i = end;
    } else if (atWordStart(text, i)) {
      ARRAY_ASSIGN.lastIndex = i;
      const assign = ARRAY_ASSIGN.exec(text);
      if (!assign) continue;
      const open = i + assign[1]!.length;
      const close = ends[open]!;
      if (text.startsWith('=', close) || text.startsWith('+=', close)) {
        out.push({ context: 'array[…]= (subscript)', names: namesIn(text.slice(open + 1, close - 1), true) });
        i = close - 1;
      }
    }
  }
}

/** Builtins and programs that take a name or a piece of code as an argument. */
function commandContexts(text: string, simples: SimpleCommand[], depth: number, out: CodeContext[]): void {
  let everyName: Set<string> | undefined;
  for (const simple of simples) {
    const call = invocation(simple);
    const args = call.args;
    const refsOf = (words: Word[]) => namesIn(words.map((w) => w.raw).join(' '), false);
    const program = call.program;
    if (program === 'let') out.push({ context: 'let', names: namesIn(args.map((w) => w.raw).join(' '), true) });
    else if (CODE_BUILTINS.has(program)) {
      out.push({ context: program, names: refsOf(args) });
      if (program === 'eval' || program === 'trap') nested(args.map((w) => w.value).join(' '), depth, out);
    } else if (program === 'printf') {
      const at = args.findIndex((w) => w.value === '-v');
      if (at !== -1 && args[at + 1]) out.push({ context: 'printf -v', names: refsOf([args[at + 1]!]) });
    } else if (program === 'read') out.push({ context: 'read NAME', names: refsOf(args) });
    else if (program === 'test' || program === '[') {
      const at = args.findIndex((w) => w.value === '-v');
      if (at !== -1 && args[at + 1]) out.push({ context: 'test -v', names: namesIn(args[at + 1]!.raw, args[at + 1]!.raw.includes('[')) });
    } else if (DECLARE.has(program)) {
      const flags = args.filter((w) => /^[-+][a-zA-Z]+$/.test(w.value)).map((w) => w.value).join('');
      if (/[inaA]/.test(flags)) out.push({ context: `${program} -${flags.replace(/[-+]/g, '')}`, names: refsOf(args) });
      const names = args.filter((w) => !/^[-+]/.test(w.value)).map((w) => w.raw.split('=')[0]!);
      out.push({ context: `${program} NAME`, names: namesIn(names.join(' '), false) });
    } else if (program === 'ssh') out.push({ context: 'ssh (the remote shell parses the command)', names: refsOf(args) });
    else if (program === 'watch') {
      out.push({ context: 'watch (runs its command with sh -c)', names: refsOf(args) });
      nested(args.map((w) => w.value).join(' '), depth, out);
    } else if (SHELLS.has(program) && !args.some((w) => /^-[a-z]*c[a-z]*$/.test(w.value)) && (simple.prev === '|' || simple.stdinRedirected)) {
      everyName ??= namesIn(text, false);
      out.push({ context: 'a script piped into a shell', names: everyName });
    }
    shellScripts(simple.words, depth, out);
  }
}

/** `sh -c SCRIPT` anywhere in a command (after sudo, xargs, `kubectl exec … --`): the script is code. */
function shellScripts(words: Word[], depth: number, out: CodeContext[]): void {
  let shell: string | null = null;
  for (let k = 0; k < words.length; k++) {
    const value = words[k]!.value;
    if (SHELLS.has(value.split('/').pop()!)) shell = value;
    else if (shell !== null && /^-[a-z]*c[a-z]*$/.test(value) && words[k + 1]) {
      const script = words[++k]!;
      out.push({ context: `${shell} -c`, names: namesIn(script.raw.replace(/'[^']*'/g, ''), false) });
      nested(script.value, depth, out);
      shell = null;
    }
  }
}

function nested(script: string, depth: number, out: CodeContext[]): void {
  if (depth < MAX_DEPTH) out.push(...codeContexts(script, depth + 1));
}

/** Every place in one command's text where bash evaluates a variable's value as code. */
export function codeContexts(text: string, depth = 0, simples?: SimpleCommand[]): CodeContext[] {
  const out: CodeContext[] = [];
  try {
    scanText(text, out);
    commandContexts(text, simples ?? lexCommand(text), depth, out);
  } catch (error) {
    // Nesting deep enough to exhaust the stack: read the whole command as one such place.
    if (!(error instanceof RangeError)) throw error;
    return [{ context: 'a command nested too deeply to read', names: namesIn(text, true) }];
  }
  return out.filter((c) => c.names.size > 0);
}

/** `<affected-pod>` is the variable AFFECTED_POD wherever it sits. */
export function withPlaceholdersAsVariables(command: Pick<Command, 'text' | 'placeholders'>): string {
  let text = command.text;
  for (const p of command.placeholders) if (p.syntax === 'angle') text = text.split(p.raw).join(`\${${p.param}}`);
  return text;
}

/** `text` without the bodies of `$(…)` and backticks: what a command prints is output, not the value copied. */
function withoutSubstitutions(text: string): string {
  const ends = bracketEnds(text);
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('$(', i) && !text.startsWith('$((', i)) i = ends[i + 1]! - 1;
    else if (text[i] === '`') i = Math.max(i, text.indexOf('`', i + 1));
    else out += text[i];
  }
  return out;
}

/**
 * Variables a command gives a value copied from one of `tainted`: `X="$N"`,
 * `declare X=${N:-1}`, `for X in $N`, `read X <<< "$N"`, `printf -v X %s "$N"`.
 */
function copiesOf(text: string, simples: SimpleCommand[], tainted: (name: string) => string | undefined): Map<string, string> {
  const copies = new Map<string, string>();
  const source = (rhs: string) => [...namesIn(withoutSubstitutions(rhs), false)].map(tainted).find((p) => p !== undefined);
  let fromWholeText: string | undefined | null = null;
  for (const simple of simples) {
    const call = invocation(simple);
    const whole = simple.words.map((w) => w.raw).join(' ');
    for (const word of simple.words) {
      const name = assignmentName(word) ?? (DECLARE.has(call.program) ? /^([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]]*\])?\+?=/.exec(word.value)?.[1] : undefined);
      const from = name ? source(word.raw.slice(word.raw.indexOf('=') + 1)) : undefined;
      if (name && from) copies.set(name, from);
    }
    const readers = ['read', 'mapfile', 'readarray', 'printf', 'for', 'select'];
    if (!readers.includes(call.program)) continue;
    // Whatever feeds them (a here-string, a pipe, the list) may carry the value: the whole command line counts.
    if (fromWholeText === null) fromWholeText = source(text);
    const from = fromWholeText ?? source(whole);
    if (!from) continue;
    const names = call.program === 'for' || call.program === 'select' ? call.args.slice(0, 1) : call.args.filter((w) => !w.value.startsWith('-'));
    for (const word of names) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(word.value)?.[0];
      if (name) copies.set(name, from);
    }
  }
  return copies;
}

export interface EvaluatedParameter {
  commandId: string;
  line: number;
  /** The parameter whose value reaches the place (directly or through a variable copied from it). */
  parameter: string;
  /** The variable bash evaluates there: the parameter itself, or a copy of it. */
  via: string;
  context: string;
}

/**
 * Each place in a procedure where the value of one of `sources` (parameters
 * whose values are not known to be digits only) is evaluated as code. A
 * variable given a copy of a source carries it on (`X="$N"` then
 * `(( X > 5 ))`), within the command and to later commands, since runs pass
 * captured variables forward. What a command prints is its output, not the
 * value: `X=$(wc -l < "$FILE")` does not carry FILE.
 */
export function parametersEvaluatedAsCode(procedure: Procedure, sources: ReadonlySet<string>): EvaluatedParameter[] {
  /** Tainted variable → the source parameter it came from. */
  const origin = new Map<string, string>([...sources].map((name) => [name, name]));
  return commandsOf(procedure).flatMap(({ command }) => commandEvaluations(command, origin));
}

/**
 * One command's share of parametersEvaluatedAsCode: where it evaluates a
 * tainted variable (`origin`: variable → source parameter). Adds the
 * variables this command copies from tainted ones to `origin`.
 */
export function commandEvaluations(
  command: Pick<Command, 'id' | 'line' | 'text' | 'placeholders'>,
  origin: Map<string, string>,
): EvaluatedParameter[] {
  const found: EvaluatedParameter[] = [];
  const text = withPlaceholdersAsVariables(command);
  let simples: SimpleCommand[];
  try {
    simples = lexCommand(text);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    simples = [];
  }
  for (const [name, parameter] of copiesOf(text, simples, (n) => origin.get(n))) if (!origin.has(name)) origin.set(name, parameter);
  const seen = new Set<string>();
  for (const { context, names } of codeContexts(text, 0, simples.length ? simples : undefined)) {
    for (const name of names) {
      const parameter = origin.get(name);
      const key = `${name}\0${context}`;
      if (parameter === undefined || seen.has(key)) continue;
      seen.add(key);
      found.push({ commandId: command.id, line: command.line, parameter, via: name, context });
    }
  }
  return found;
}
