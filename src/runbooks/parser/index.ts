import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { ParsedRunbook } from '../model.js';
import { RunbookBuilder } from './builder.js';
import { RunbookParseError } from './errors.js';
import { checkNesting } from './nesting.js';

export { RunbookParseError } from './errors.js';
export { MAX_NESTING } from './nesting.js';
export { slugify } from './slug.js';

// GFM for task lists (`- [ ]`) and autolinked e-mail addresses; YAML front matter.
const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).freeze();

/**
 * The Markdown parser's time grows faster than the input
 * (docs/benchmarks/2026-11-27-runbook-parser.md), and lint is open to
 * viewers, so a size bound keeps one request from holding the event loop.
 * Real runbooks are a few hundred to a few thousand lines.
 */
export const MAX_RUNBOOK_LINES = 20_000;

function countLines(source: string): number {
  let lines = 1;
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) lines++;
  return lines;
}

/**
 * Markdown runbook → the model in ../model.ts. Pure and synchronous; throws
 * RunbookParseError (with the line) only for bad front matter, a malformed
 * `nexus:` annotation, or text too large or too deeply nested to parse safely.
 */
export function parseRunbook(source: string): ParsedRunbook {
  const lines = countLines(source);
  if (lines > MAX_RUNBOOK_LINES) {
    throw new RunbookParseError(`the runbook has ${lines} lines; the limit is ${MAX_RUNBOOK_LINES}: split it into several runbooks`, MAX_RUNBOOK_LINES + 1);
  }
  // Deep nesting makes the parser recurse and slow down superlinearly: refuse it first.
  checkNesting(source);
  const tree = processor.parse(source) as Root;
  return new RunbookBuilder(source).build(tree.children);
}
