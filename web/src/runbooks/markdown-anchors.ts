import type { Nodes, Root } from 'mdast';

/**
 * A remark plugin for the rendered runbook: every heading gets an `id` (so
 * a table of contents' `[Incident Response](#incident-response)` links
 * work, and lint findings can link to their place), and every top-level
 * block is marked with the source lines it spans, so findings that belong
 * to no command are shown once, after the block that holds their line.
 */

/** GitHub's rule, near enough: lowercase, punctuation dropped, spaces to dashes. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Slugs unique within one document: the second "Immediate Actions" is `immediate-actions-1`. */
export function uniqueSlugger(): (text: string) => string {
  const seen = new Map<string, number>();
  return (text) => {
    const base = slugify(text) || 'section';
    let slug = base;
    let n = seen.get(base) ?? 0;
    while (seen.has(slug)) slug = `${base}-${++n}`;
    seen.set(base, n);
    seen.set(slug, 0);
    return slug;
  };
}

export function plainText(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string' && node.type !== 'html') return node.value;
  if ('children' in node) return (node.children as Nodes[]).map(plainText).join('');
  return '';
}

/** Attribute names the renderer reads back (hast turns `data-block-start` into props of the same name). */
export const BLOCK_START = 'data-block-start';
export const BLOCK_END = 'data-block-end';

type WithData = { data?: { hProperties?: Record<string, unknown> } };

function setProperties(node: Nodes, properties: Record<string, unknown>): void {
  const target = node as WithData;
  target.data = { ...target.data, hProperties: { ...target.data?.hProperties, ...properties } };
}

export function remarkRunbookAnchors() {
  return (tree: Root) => {
    const slug = uniqueSlugger();
    const visit = (node: Nodes) => {
      if (node.type === 'heading') setProperties(node, { id: slug(plainText(node)) });
      if ('children' in node) for (const child of node.children as Nodes[]) visit(child);
    };
    visit(tree);
    for (const block of tree.children) {
      const { start, end } = block.position ?? {};
      if (start && end) setProperties(block, { [BLOCK_START]: start.line, [BLOCK_END]: end.line });
    }
  };
}
