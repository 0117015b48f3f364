import { Anchor, VisuallyHidden } from '@mantine/core';
import { createElement, type ReactNode } from 'react';

/**
 * Renders the Markdown a post-mortem is written in, as React elements (no
 * HTML strings, so nothing in the text can inject markup): headings,
 * paragraphs, bullet, numbered and task lists, pipe tables, fenced code,
 * and inline code, bold, italics and links. That is what the generated
 * draft uses and what people add to it; anything else shows as text. A
 * Markdown library would do more, at a cost this one page does not need.
 *
 * `headingOffset` shifts heading levels so the document sits under the
 * page's own headings (`#` becomes an <h2> with the default of 1).
 */

type Block =
  | { type: 'heading'; level: number; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'list'; ordered: boolean; items: Array<{ text: string; task: boolean | null }> }
  | { type: 'table'; header: string[]; rows: string[][] }
  | { type: 'code'; text: string };

const HEADING = /^(#{1,6})\s+(.*)$/;
const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s+(.*)$/;
const TASK = /^\[([ xX])\]\s+(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/** Splits a table row on unescaped pipes. */
function cells(line: string): string[] {
  const trimmed = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

export function parseBlocks(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i += 1;
      continue;
    }
    if (line.trimStart().startsWith('```')) {
      const code: string[] = [];
      i += 1;
      while (i < lines.length && !lines[i]!.trimStart().startsWith('```')) code.push(lines[i++]!);
      i += 1;
      blocks.push({ type: 'code', text: code.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ type: 'heading', level: heading[1]!.length, text: heading[2]!.trim() });
      i += 1;
      continue;
    }
    if (line.trimStart().startsWith('|') && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1]!)) {
      const header = cells(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && lines[i]!.trimStart().startsWith('|')) rows.push(cells(lines[i++]!));
      blocks.push({ type: 'table', header, rows });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const ordered = /\d/.test(item[1]!);
      const items: Array<{ text: string; task: boolean | null }> = [];
      while (i < lines.length) {
        const next = LIST_ITEM.exec(lines[i]!);
        if (!next) break;
        const task = TASK.exec(next[2]!);
        items.push(task ? { text: task[2]!, task: task[1] !== ' ' } : { text: next[2]!, task: null });
        i += 1;
      }
      blocks.push({ type: 'list', ordered, items });
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !HEADING.test(lines[i]!) && !LIST_ITEM.test(lines[i]!) && !lines[i]!.trimStart().startsWith('```')) {
      paragraph.push(lines[i++]!.trim());
    }
    blocks.push({ type: 'paragraph', text: paragraph.join(' ') });
  }
  return blocks;
}

const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|\b_([^_\s][^_]*)_\b|\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g;

/** Inline code, bold, italics and http(s) links; everything else is text. */
export function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let key = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > last) out.push(text.slice(last, match.index));
    const [, code, bold1, bold2, em1, em2, linkText, href] = match;
    if (code !== undefined) out.push(<code key={key++}>{code}</code>);
    else if (bold1 !== undefined || bold2 !== undefined) out.push(<strong key={key++}>{inline(bold1 ?? bold2 ?? '')}</strong>);
    else if (em1 !== undefined || em2 !== undefined) out.push(<em key={key++}>{inline(em1 ?? em2 ?? '')}</em>);
    else if (linkText !== undefined && href !== undefined) {
      out.push(
        <Anchor key={key++} href={href} underline="always" target="_blank" rel="noreferrer noopener">
          {linkText}
        </Anchor>,
      );
    }
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

const isShortWord = (cell: string) => cell.length <= 32 && !/\s/.test(cell);

function renderBlock(block: Block, key: number, headingOffset: number, label: string): ReactNode {
  switch (block.type) {
    case 'heading':
      return createElement(`h${Math.min(6, block.level + headingOffset)}`, { key }, inline(block.text));
    case 'paragraph':
      return <p key={key}>{inline(block.text)}</p>;
    case 'code':
      return (
        <pre key={key} className="output-block" tabIndex={0}>
          {block.text}
        </pre>
      );
    case 'list': {
      const isTasks = block.items.every((item) => item.task !== null);
      const items = block.items.map((item, index) => (
        <li key={index}>
          {item.task !== null && (
            <>
              <span aria-hidden="true">{item.task ? '☑ ' : '☐ '}</span>
              <VisuallyHidden>{item.task ? 'Done: ' : 'To do: '}</VisuallyHidden>
            </>
          )}
          {inline(item.text)}
        </li>
      ));
      return block.ordered ? <ol key={key}>{items}</ol> : <ul key={key} className={isTasks ? 'task-list' : undefined}>{items}</ul>;
    }
    case 'table':
      return (
        <div key={key} className="markdown-table" tabIndex={0} role="region" aria-label={label}>
          <table>
            <thead>
              <tr>
                {block.header.map((cell, index) => (
                  <th key={index} scope="col">
                    {inline(cell)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {block.header.map((_, index) => (
                    // A cell of one short word (a timestamp, a number) stays on one line: "2026-11-26T21:39:18Z" breaks badly.
                    <td key={index} className={isShortWord(row[index] ?? '') ? 'nowrap' : undefined}>
                      {inline(row[index] ?? '')}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
}

/** `label` names the document; each table's scroll region is named after the heading above it. */
export function Markdown({ source, headingOffset = 1, label }: { source: string; headingOffset?: number; label: string }) {
  const nodes: ReactNode[] = [];
  let section = label;
  for (const [index, block] of parseBlocks(source).entries()) {
    if (block.type === 'heading') section = block.text;
    nodes.push(renderBlock(block, index, headingOffset, `${section} (table)`));
  }
  return <div className="markdown">{nodes}</div>;
}
