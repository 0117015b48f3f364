import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { ParsedRunbook } from '../model.js';
import { RunbookBuilder } from './builder.js';

export { RunbookParseError } from './errors.js';
export { slugify } from './slug.js';

// GFM for task lists (`- [ ]`) and autolinked e-mail addresses; YAML front matter.
const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).freeze();

/**
 * Markdown runbook → the model in ../model.ts. Pure and synchronous; throws
 * RunbookParseError (with the line) only for bad front matter or a malformed
 * `nexus:` annotation.
 */
export function parseRunbook(source: string): ParsedRunbook {
  const tree = processor.parse(source) as Root;
  return new RunbookBuilder(source).build(tree.children);
}
