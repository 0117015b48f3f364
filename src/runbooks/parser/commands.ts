import type { CommandAnnotations, Placeholder } from '../model.js';
import { parseAnnotations } from './annotations.js';
import { scanShell, shellWords, type Heredoc } from './shell-scan.js';

/** Fence languages whose lines are commands to run. */
const SHELL_LANGUAGES = new Set(['bash', 'sh', 'shell', 'zsh', 'ksh', 'console', 'shell-session', 'shellsession', 'terminal']);
/** First words that make an unlabelled fence look like shell. */
const SHELL_WORDS = new Set([
  'kubectl', 'helm', 'istioctl', 'docker', 'podman', 'curl', 'wget', 'psql', 'pg_dump', 'pg_restore', 'redis-cli',
  'aws', 'gcloud', 'az', 'terraform', 'systemctl', 'journalctl', 'service', 'sudo', 'ssh', 'scp', 'git', 'npm', 'npx',
  'node', 'nexus', 'cd', 'ls', 'cat', 'tail', 'head', 'grep', 'echo', 'export', 'mkdir', 'rm', 'cp', 'mv', 'tar',
  'openssl', 'dig', 'nslookup', 'ping', 'ps', 'top', 'df', 'du', 'free', 'trivy', 'make', 'bash', 'sh', 'watch',
]);
/** Variables every shell or runner already has: never something to ask the operator for. */
const SHELL_VARIABLES = new Set([
  'HOME', 'PATH', 'PWD', 'OLDPWD', 'USER', 'LOGNAME', 'SHELL', 'HOSTNAME', 'RANDOM', 'UID', 'EUID', 'PPID', 'SECONDS',
  'LINENO', 'IFS', 'TERM', 'TMPDIR', 'REPLY', 'OPTARG', 'OPTIND', 'PIPESTATUS', 'BASH_SOURCE', 'BASH_VERSION', 'FUNCNAME',
]);
/** Tags people write in commands that are not placeholders (`grep '<title>'`). */
const HTML_TAGS = new Set(['html', 'head', 'body', 'title', 'div', 'span', 'p', 'a', 'b', 'i', 'br', 'script', 'style', 'pre', 'code']);
const ANGLE = /(^|[^<\w$\\])<([A-Za-z][A-Za-z0-9_-]*)>/g;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?\+?=/;
const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);
const PROMPT = /^\s*\$ /;

export interface RawCommand {
  text: string;
  line: number;
  endLine: number;
  description: string | null;
  annotations: CommandAnnotations;
  placeholders: Placeholder[];
  assigns: string[];
}

export function isShellFence(language: string | null | undefined, value: string): boolean {
  if (language) return SHELL_LANGUAGES.has(language.toLowerCase());
  const first = value
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('#'));
  if (first === undefined) return false;
  const word = first.replace(/^\$\s+/, '').split(/\s+/)[0] ?? '';
  return PROMPT.test(first) || SHELL_WORDS.has(word) || word.startsWith('./') || ASSIGNMENT.test(word);
}

interface Cursor {
  lines: string[];
  i: number;
  transcript: boolean;
}

/**
 * Each non-empty, non-comment line is one command; a command continues while
 * its line ends in `\`, `|`, `&&` or `||`, a quote or `$(` is still open, or
 * a here-document has not reached its terminator. `# comment` lines name the
 * commands below them until a blank line; `# nexus: …` annotates the next one.
 * When any line starts with a `$ ` prompt (a transcript, usually `console`),
 * only prompted lines are commands and the rest is output.
 */
export function splitCommands(value: string, firstLine: number): RawCommand[] {
  const lines = value.split('\n');
  // A `console` fence without a single `$ ` prompt is someone's plain command list, not a transcript.
  const cursor: Cursor = { lines, i: 0, transcript: lines.some((l) => PROMPT.test(l)) };
  const commands: RawCommand[] = [];
  let description: string[] = [];
  let afterCommand = false;
  let lineAnnotations: CommandAnnotations = {};
  for (; cursor.i < lines.length; cursor.i++) {
    const raw = lines[cursor.i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || (cursor.transcript && !PROMPT.test(raw) && !trimmed.startsWith('#'))) {
      // A blank line (or, in a transcript, a line of output) ends the comment's reach.
      description = [];
      afterCommand = false;
      continue;
    }
    if (trimmed.startsWith('#')) {
      if (trimmed.startsWith('#!') && cursor.i === 0) continue;
      const body = trimmed.replace(/^#+\s*/, '');
      if (/^nexus:/i.test(body)) lineAnnotations = parseAnnotations(body.slice(6), firstLine + cursor.i, true);
      else {
        if (afterCommand) description = [];
        description.push(body);
        afterCommand = false;
      }
      continue;
    }
    const start = cursor.i;
    const text = takeCommand(cursor);
    const { placeholders, assigns } = analyzeCommand(text, firstLine + start);
    commands.push({
      text,
      line: firstLine + start,
      endLine: firstLine + cursor.i,
      description: description.length > 0 ? description.join(' ') : null,
      annotations: lineAnnotations,
      placeholders,
      assigns,
    });
    lineAnnotations = {};
    afterCommand = true;
  }
  return commands;
}

function stripPrompt(line: string, transcript: boolean, first: boolean): string {
  if (!transcript) return first ? line.trimStart() : line;
  if (first) return line.replace(PROMPT, '');
  // Shells print `> ` before continuation lines in a transcript.
  return line.replace(/^\s*> ?/, '');
}

/** Consumes the lines of one command starting at `cursor.i`; leaves `cursor.i` on its last line. */
function takeCommand(cursor: Cursor): string {
  const { lines } = cursor;
  const start = cursor.i;
  const parts = [stripPrompt(lines[start]!, cursor.transcript, true)];
  let scan = scanShell(parts[0]!);
  while ((scan.continues || scan.open) && cursor.i + 1 < lines.length) {
    cursor.i++;
    parts.push(stripPrompt(lines[cursor.i]!, cursor.transcript, false));
    scan = scanShell(parts.join('\n'));
  }
  if (scan.open) {
    // An unmatched quote would swallow the rest of the block: keep the line on its own.
    cursor.i = start;
    return parts[0]!.trimEnd();
  }
  takeHeredocs(cursor, parts, scan.heredocs);
  return parts.join('\n').trimEnd();
}

function takeHeredocs(cursor: Cursor, parts: string[], heredocs: Heredoc[]): void {
  for (const heredoc of heredocs) {
    while (cursor.i + 1 < cursor.lines.length) {
      cursor.i++;
      const line = cursor.lines[cursor.i]!;
      parts.push(line);
      const candidate = heredoc.stripTabs ? line.replace(/^\t+/, '') : line;
      if (candidate.trimEnd() === heredoc.word) break;
    }
  }
}

/** Names a command sets for the commands after it, and loop variables it only uses itself. */
function assignmentsOf(segments: string[]): { assigns: string[]; local: Set<string> } {
  const assigns: string[] = [];
  const local = new Set<string>();
  for (const segment of segments) {
    const words = shellWords(segment);
    const first = words[0] ?? '';
    if (DECLARATIONS.has(first)) {
      for (const word of words.slice(1)) {
        const name = ASSIGNMENT.exec(word)?.[1];
        if (name) assigns.push(name);
      }
    } else if (first === 'read') {
      assigns.push(...words.slice(1).filter((w) => /^[A-Za-z_]\w*$/.test(w)));
    } else if ((first === 'for' || first === 'select') && words[2] === 'in' && words[1]) {
      local.add(words[1]);
    } else if (words.length > 0 && words.every((w) => ASSIGNMENT.test(w))) {
      // `A=1 cmd` only sets A for cmd; a segment of nothing but assignments sets shell variables.
      for (const word of words) assigns.push(ASSIGNMENT.exec(word)![1]!);
    }
  }
  return { assigns: [...new Set(assigns)], local };
}

function lineAt(text: string, offset: number, firstLine: number): number {
  let line = firstLine;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function angleParam(name: string): string {
  const param = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^\d/.test(param) ? `_${param}` : param;
}

/** `$VAR`, `${VAR}` (not in single quotes, not `$(…)`, `$1`, `$?`, `$$`) and `<name>` placeholders, in order. */
export function analyzeCommand(text: string, firstLine: number): { placeholders: Placeholder[]; assigns: string[] } {
  const scan = scanShell(text);
  const { assigns, local } = assignmentsOf(scan.segments);
  const found: Array<Placeholder & { offset: number }> = [];
  for (const ref of scan.refs) {
    if (SHELL_VARIABLES.has(ref.name) || local.has(ref.name) || assigns.includes(ref.name)) continue;
    found.push({ raw: ref.raw, syntax: ref.syntax, param: ref.name, line: lineAt(text, ref.offset, firstLine), offset: ref.offset });
  }
  for (const match of text.matchAll(ANGLE)) {
    const name = match[2]!;
    if (HTML_TAGS.has(name.toLowerCase())) continue;
    const offset = match.index + match[1]!.length;
    found.push({ raw: `<${name}>`, syntax: 'angle', param: angleParam(name), line: lineAt(text, offset, firstLine), offset });
  }
  found.sort((a, b) => a.offset - b.offset);
  return { placeholders: found.map(({ offset: _offset, ...placeholder }) => placeholder), assigns };
}
