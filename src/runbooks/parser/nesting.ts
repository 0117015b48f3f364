import { RunbookParseError } from './errors.js';

/**
 * Deepest nesting a runbook may use, of block quotes and list items and,
 * separately, of emphasis, links and images. The Markdown parser and the
 * mdast utilities recurse once per level and slow down faster than linearly
 * until the stack overflows (docs/benchmarks/2026-11-27-runbook-parser.md); real
 * runbooks stay under 10.
 */
export const MAX_NESTING = 32;

type Container = { kind: 'quote' } | { kind: 'item'; contentColumn: number };

/**
 * Emphasis and link delimiters in one paragraph. Even unnested, pairing them
 * costs the parser more than linear time (docs/benchmarks/2026-11-27-runbook-parser.md);
 * real paragraphs use a few dozen.
 */
export const MAX_PARAGRAPH_DELIMITERS = 400;

const BULLET = new Set(['-', '*', '+']);
const PUNCTUATION = /[\p{P}\p{S}]/u;
const TAB_STOP = 4;

const isSpace = (char: string | undefined) => char === undefined || char === ' ' || char === '\t' || char === '\r';
const isPunctuation = (char: string | undefined) => char !== undefined && PUNCTUATION.test(char);
const isDigit = (char: string | undefined) => char !== undefined && char >= '0' && char <= '9';

/** Position in one line, with tabs expanded to the next multiple of 4 as CommonMark does. */
class Cursor {
  index = 0;
  column = 0;
  constructor(readonly text: string) {}

  get char(): string | undefined {
    return this.text[this.index];
  }

  advance(): void {
    this.column = this.text[this.index] === '\t' ? this.column + TAB_STOP - (this.column % TAB_STOP) : this.column + 1;
    this.index++;
  }

  skipSpaces(): void {
    while (this.char === ' ' || this.char === '\t') this.advance();
  }
}

/**
 * Refuses, before the Markdown parser sees it, text nested deeper than
 * MAX_NESTING. One pass, linear in the input. It approximates CommonMark
 * from above (a lazy or indented line keeps the containers it might belong
 * to, fences are not special) so it can over-count odd text but never
 * under-counts quotes and list items, whatever the indentation.
 */
export function checkNesting(source: string): void {
  const containers: Container[] = [];
  const inline = new InlineNesting();
  let lineNumber = 0;
  for (let start = 0; start <= source.length; ) {
    const newline = source.indexOf('\n', start);
    const end = newline === -1 ? source.length : newline;
    const line = source.slice(start, end);
    start = end + 1;
    lineNumber++;
    const indent = checkContainers(line, lineNumber, containers);
    inline.line(line, lineNumber, indent);
  }
}

/**
 * Updates `containers` for one line and returns how far the line's text is
 * indented past them (4 or more is code, not a fence), erring high.
 */
function checkContainers(line: string, lineNumber: number, containers: Container[]): number {
  const cursor = new Cursor(line);
  const blank = /^[ \t\r]*$/.test(line);
  let contentColumn = 0;
  let matched = 0;
  for (; matched < containers.length; matched++) {
    const container = containers[matched]!;
    const { index, column } = cursor;
    cursor.skipSpaces();
    if (container.kind === 'quote' && cursor.char === '>') {
      cursor.advance();
      contentColumn = cursor.column;
      continue;
    }
    // A blank line stays inside its list items; a line indented to the item's text is inside it.
    if (container.kind === 'item' && (blank || cursor.column >= container.contentColumn)) {
      contentColumn = container.contentColumn;
      continue;
    }
    cursor.index = index;
    cursor.column = column;
    break;
  }
  cursor.skipSpaces();
  // `- - -` and `* * *` are thematic breaks, not three list items; they and headings end any container not continued.
  if (isThematicBreak(line, cursor.index) || /^#{1,6}(?:[ \t]|$)/.test(line.slice(cursor.index, cursor.index + 7))) {
    containers.length = matched;
    return cursor.column - contentColumn;
  }
  let opened = false;
  for (;;) {
    let container: Container;
    if (cursor.char === '>') {
      cursor.advance();
      container = { kind: 'quote' };
      contentColumn = cursor.column;
    } else {
      const markerEnd = listMarkerEnd(line, cursor.index);
      if (markerEnd === -1) break;
      while (cursor.index < markerEnd) cursor.advance();
      // The smallest column the item's text could start at: more lines count as inside it, never fewer.
      container = { kind: 'item', contentColumn: cursor.column + 1 };
      contentColumn = container.contentColumn;
    }
    if (!opened) containers.length = matched;
    opened = true;
    containers.push(container);
    if (containers.length > MAX_NESTING) {
      throw new RunbookParseError(`Markdown nested deeper than ${MAX_NESTING} levels of block quotes and list items: flatten it`, lineNumber);
    }
    cursor.skipSpaces();
  }
  // Otherwise a non-blank line that matched fewer containers may be a lazy continuation: keep them.
  return cursor.column - contentColumn;
}

/** Index just past a list marker (`-`, `*`, `+`, `1.`, `1)`) starting at `i` and followed by a space or the end, else -1. */
function listMarkerEnd(line: string, i: number): number {
  let end = i;
  if (BULLET.has(line[i]!)) end = i + 1;
  else {
    while (isDigit(line[end]) && end - i < 9) end++;
    if (end === i || (line[end] !== '.' && line[end] !== ')')) return -1;
    end++;
  }
  return isSpace(line[end]) ? end : -1;
}

function isThematicBreak(line: string, i: number): boolean {
  const char = line[i];
  if (char !== '-' && char !== '*' && char !== '_') return false;
  let count = 0;
  for (let k = i; k < line.length; k++) {
    if (line[k] === char) count++;
    else if (!isSpace(line[k])) return false;
  }
  return count >= 3;
}

type InlineKind = '*' | '_' | '~' | '[';

/**
 * Emphasis, strikethrough, links and images still open in the current
 * paragraph (lines up to a blank line), counted per delimiter as CommonMark
 * pairs them: a run that can close closes what is open, otherwise it opens.
 * Fenced code is skipped, and so are code spans, where `*` and `[` are text.
 */
class InlineNesting {
  private open: Record<InlineKind, number> = { '*': 0, _: 0, '~': 0, '[': 0 };
  private delimiters = 0;
  private fence: { char: string; length: number; quotes: number; indent: number } | null = null;
  /** An HTML block's end; a ``` inside one is HTML, not a fence that would hide what follows. */
  private htmlEnd: RegExp | 'blank line' | null = null;

  line(line: string, lineNumber: number, relativeIndent: number): void {
    const prefix = /^(?:[ \t]{0,3}>)*/.exec(line)![0];
    const quotes = prefix.split('>').length - 1;
    const rest = line.slice(prefix.length);
    const indent = /^[ \t]*/.exec(rest)![0].length;
    const fenceRun = /^([ \t]*)(`{3,}|~{3,})(.*)$/.exec(rest);
    if (this.fence) {
      const fence = this.fence;
      const blank = rest.trim() === '';
      // A line outside the fence's quote, or left of the fence, ends it with its container (at worst a little early).
      const leftContainer = !blank && (quotes < fence.quotes || indent < fence.indent);
      const closing = fenceRun !== null && fenceRun[2]![0] === fence.char && fenceRun[2]!.length >= fence.length && fenceRun[3]!.trim() === '';
      if (!leftContainer) {
        if (closing) this.fence = null;
        return;
      }
      this.fence = null;
    }
    if (rest.trim() === '') {
      if (this.htmlEnd === 'blank line') this.htmlEnd = null;
      return this.reset();
    }
    if (this.htmlEnd === null && relativeIndent <= 3) this.htmlEnd = htmlBlockEnd(rest.trimStart());
    if (this.htmlEnd instanceof RegExp && this.htmlEnd.test(rest)) this.htmlEnd = null;
    const info = fenceRun?.[3] ?? '';
    if (fenceRun && this.htmlEnd === null && relativeIndent <= 3 && !(fenceRun[2]![0] === '`' && info.includes('`'))) {
      this.reset();
      this.fence = { char: fenceRun[2]![0]!, length: fenceRun[2]!.length, quotes, indent: fenceRun[1]!.length };
      return;
    }
    this.scan(line, lineNumber);
  }

  private reset(): void {
    this.open = { '*': 0, _: 0, '~': 0, '[': 0 };
    this.delimiters = 0;
  }

  private scan(line: string, lineNumber: number): void {
    const codeSpanEnd = codeSpanEnds(line);
    for (let i = 0; i < line.length; ) {
      const char = line[i]!;
      if (char === '\\') {
        i += 2;
      } else if (char === '`') {
        i = codeSpanEnd.get(i) ?? runEnd(line, i);
      } else if (char === '[' || (char === '!' && line[i + 1] === '[')) {
        this.add('[', 1, lineNumber);
        i += char === '!' ? 2 : 1;
      } else if (char === ']') {
        this.count(lineNumber);
        this.open['['] = Math.max(0, this.open['['] - 1);
        i++;
      } else if (char === '*' || char === '_' || char === '~') {
        const end = runEnd(line, i);
        this.delimiterRun(char, line[i - 1], line[end], end - i, lineNumber);
        i = end;
      } else {
        i++;
      }
    }
  }

  /** Left- and right-flanking as CommonMark defines them; the line's ends count as whitespace. */
  private delimiterRun(char: '*' | '_' | '~', before: string | undefined, after: string | undefined, length: number, lineNumber: number): void {
    // GFM strikethrough is `~` or `~~`; longer runs are text.
    if (char === '~' && length > 2) return;
    const leftFlanking = !isSpace(after) && (!isPunctuation(after) || isSpace(before) || isPunctuation(before));
    const rightFlanking = !isSpace(before) && (!isPunctuation(before) || isSpace(after) || isPunctuation(after));
    // `snake_case`: an underscore inside a word neither opens nor closes.
    const canOpen = char === '_' ? leftFlanking && (!rightFlanking || isPunctuation(before)) : leftFlanking;
    const canClose = char === '_' ? rightFlanking && (!leftFlanking || isPunctuation(after)) : rightFlanking;
    if (canOpen || canClose) this.count(lineNumber);
    if (canClose && this.open[char] > 0) this.open[char] = Math.max(0, this.open[char] - length);
    else if (canOpen) this.add(char, length, lineNumber);
  }

  private count(lineNumber: number): void {
    if (++this.delimiters > MAX_PARAGRAPH_DELIMITERS) {
      throw new RunbookParseError(`a paragraph with more than ${MAX_PARAGRAPH_DELIMITERS} emphasis or link markers: split it with blank lines or use code spans`, lineNumber);
    }
  }

  private add(kind: InlineKind, count: number, lineNumber: number): void {
    if (kind === '[') this.count(lineNumber);
    this.open[kind] += count;
    const depth = this.open['*'] + this.open._ + this.open['~'] + this.open['['];
    if (depth > MAX_NESTING) {
      throw new RunbookParseError(`emphasis, links or images nested deeper than ${MAX_NESTING} levels: close them or use a code span`, lineNumber);
    }
  }
}

/** CommonMark's HTML block kinds: what ends the block a line starts, or null if it starts none. */
function htmlBlockEnd(text: string): RegExp | 'blank line' | null {
  if (!text.startsWith('<')) return null;
  const raw = /^<(script|pre|style|textarea)(?:[\s>]|$)/i.exec(text);
  if (raw) return new RegExp(`</${raw[1]}>`, 'i');
  if (text.startsWith('<!--')) return /-->/;
  if (text.startsWith('<?')) return /\?>/;
  if (text.startsWith('<![CDATA[')) return /\]\]>/;
  if (/^<![A-Za-z]/.test(text)) return />/;
  return /^<\/?[A-Za-z]/.test(text) ? 'blank line' : null;
}

function runEnd(line: string, i: number): number {
  let end = i;
  while (line[end] === line[i]) end++;
  return end;
}

/** Start of each backtick run that opens a code span on this line → index just past its closing run. */
function codeSpanEnds(line: string): Map<number, number> {
  const runs: Array<{ start: number; end: number }> = [];
  for (let i = line.indexOf('`'); i !== -1; i = line.indexOf('`', i)) {
    const end = runEnd(line, i);
    runs.push({ start: i, end });
    i = end;
  }
  // Pair each run with the next one of the same length, right to left so it stays linear.
  const nextOfLength = new Map<number, number>();
  const closer: Array<number | undefined> = [];
  for (let r = runs.length - 1; r >= 0; r--) {
    const length = runs[r]!.end - runs[r]!.start;
    closer[r] = nextOfLength.get(length);
    nextOfLength.set(length, r);
  }
  const ends = new Map<number, number>();
  for (let r = 0; r < runs.length; ) {
    const match = closer[r];
    if (match === undefined) {
      r++;
      continue;
    }
    ends.set(runs[r]!.start, runs[match]!.end);
    r = match + 1;
  }
  return ends;
}
