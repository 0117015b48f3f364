import type { List, ListItem, Nodes, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';

/** 1-based source line of a node (mdast positions); 1 for generated nodes. */
export function lineOf(node: { position?: { start: { line: number } } | undefined }): number {
  return node.position?.start.line ?? 1;
}

/** Plain text with runs of whitespace collapsed: titles, symptoms, checks. */
export function plain(node: Nodes): string {
  return toString(node).replace(/\s+/g, ' ').trim();
}

/**
 * The Markdown of a node exactly as written, with the indentation of its
 * list item removed from continuation lines so nested prose reads naturally.
 */
export function markdownOf(source: string, node: Nodes): string {
  const start = node.position?.start;
  const end = node.position?.end;
  if (start?.offset === undefined || end?.offset === undefined) return toString(node);
  const indent = start.column - 1;
  const lines = source.slice(start.offset, end.offset).split('\n');
  return lines
    .map((line, i) => (i === 0 ? line : line.replace(new RegExp(`^ {0,${indent}}`), '')))
    .join('\n')
    .trimEnd();
}

/** Does any node below contain a node matching `test`? */
export function contains(node: Nodes, test: (n: Nodes) => boolean): boolean {
  // A work list, not recursion: the tree's depth is bounded elsewhere, but the stack need not rely on it.
  const pending: Nodes[] = [node];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (test(next)) return true;
    if ('children' in next) pending.push(...(next.children as Nodes[]));
  }
  return false;
}

/** `- [ ]` / `- [x]` (GFM). A plain boolean, not a type guard: a non-task item is still a ListItem. */
export function isTaskItem(node: Nodes): boolean {
  return node.type === 'listItem' && typeof node.checked === 'boolean';
}

/** "1. **Check Logs**": the item's first paragraph starts with bold text. */
export function boldTitle(item: ListItem): { title: string; rest: string | null } | null {
  const first = item.children[0];
  if (first?.type !== 'paragraph') return null;
  const lead = first.children.findIndex((n) => !(n.type === 'text' && n.value.trim() === ''));
  const strong = first.children[lead];
  if (strong?.type !== 'strong') return null;
  const title = plain(strong).replace(/[:.]$/, '').trim();
  const restNodes = first.children.slice(lead + 1);
  const restText = restNodes.map((n) => toString(n)).join('').replace(/^[\s:.—–-]+/, '').trim();
  return { title, rest: restText === '' ? null : restText };
}

/** The number an ordered list shows for its `index`-th item. */
export function itemNumber(list: List, index: number): number | null {
  return list.ordered ? (list.start ?? 1) + index : null;
}

export type Block = RootContent;
