import type { PhrasingContent, Paragraph } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Contact, Duration, ProcedureMetadata } from '../model.js';

export interface Field {
  key: string;
  value: string;
  /** The value's inline nodes, for contacts written as links. */
  nodes: PhrasingContent[];
  line: number;
}

/** Splits a paragraph's inline content into source lines (soft breaks and hard breaks). */
function inlineLines(nodes: PhrasingContent[], firstLine: number): Array<{ nodes: PhrasingContent[]; line: number }> {
  const lines: Array<{ nodes: PhrasingContent[]; line: number }> = [{ nodes: [], line: firstLine }];
  for (const node of nodes) {
    if (node.type === 'break') {
      lines.push({ nodes: [], line: (node.position?.end.line ?? lines[lines.length - 1]!.line) });
      continue;
    }
    if (node.type !== 'text' || !node.value.includes('\n')) {
      lines[lines.length - 1]!.nodes.push(node);
      continue;
    }
    const pieces = node.value.split('\n');
    pieces.forEach((piece, k) => {
      if (k > 0) lines.push({ nodes: [], line: lines[lines.length - 1]!.line + 1 });
      if (piece !== '') lines[lines.length - 1]!.nodes.push({ type: 'text', value: piece });
    });
  }
  return lines.filter((l) => l.nodes.some((n) => toString(n).trim() !== ''));
}

/** `**Key**: value` or `**Key:** value` at the start of a line, else null. */
export function fieldOf(nodes: PhrasingContent[], line: number): Field | null {
  const start = nodes.findIndex((n) => !(n.type === 'text' && n.value.trim() === ''));
  const strong = nodes[start];
  if (!strong || strong.type !== 'strong') return null;
  const label = toString(strong).trim();
  const rest = nodes.slice(start + 1);
  const restText = rest.map((n) => toString(n)).join('');
  const colonInLabel = label.endsWith(':');
  if (!colonInLabel && !restText.trimStart().startsWith(':')) return null;
  const key = label.replace(/:$/, '').trim();
  const value = colonInLabel ? restText.trim() : restText.trimStart().slice(1).trim();
  return key === '' ? null : { key, value, nodes: rest, line };
}

/** A paragraph made only of `**Key**: value` lines (the seed's severity block), else null. */
export function fieldsOf(paragraph: Paragraph): Field[] | null {
  const lines = inlineLines(paragraph.children, paragraph.position?.start.line ?? 1);
  const fields = lines.map((l) => fieldOf(l.nodes, l.line));
  return fields.length > 0 && fields.every((f) => f !== null) ? (fields as Field[]) : null;
}

const UNIT = /(\d+(?:\.\d+)?)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d)(?![a-z])/gi;
const MINUTES: Record<string, number> = { s: 1 / 60, m: 1, h: 60, d: 1440 };

/** "15 minutes", "1 hour", "30 min", "1h30m", "1.5 hours" → minutes; null when there is no number with a unit. */
export function parseDuration(text: string): Duration | null {
  let minutes = 0;
  let matched = false;
  for (const match of text.matchAll(UNIT)) {
    const unit = match[2]!.toLowerCase();
    // "min…" and "m" are minutes; "mo…" never reaches here (no unit matches it).
    const key = unit.startsWith('mi') || unit === 'm' ? 'm' : unit[0]!;
    minutes += Number(match[1]) * (MINUTES[key] ?? 0);
    matched = true;
  }
  return matched ? { text, minutes: Math.round(minutes * 1000) / 1000 } : null;
}

const SEVERITY_PRIORITY: Record<string, 'P1' | 'P2' | 'P3'> = {
  critical: 'P1',
  high: 'P2',
  medium: 'P3',
  moderate: 'P3',
};

/** P1/P2/P3 from a "P1 - …" title, else from the severity word (Critical → P1, High → P2, Medium → P3). */
export function priorityOf(title: string, severity: string | null): ProcedureMetadata['priority'] {
  const fromTitle = /^P([123])\b/i.exec(title.trim());
  if (fromTitle) return `P${fromTitle[1]}` as 'P1' | 'P2' | 'P3';
  if (severity === null) return null;
  const word = severity.trim().toLowerCase();
  const explicit = /^(?:p|sev-?|severity\s*)([123])\b/.exec(word);
  if (explicit) return `P${explicit[1]}` as 'P1' | 'P2' | 'P3';
  return SEVERITY_PRIORITY[word.split(/[\s(,;-]/)[0] ?? ''] ?? null;
}

/** Applies one `**Key**: value` field to a procedure's metadata. */
export function applyField(metadata: ProcedureMetadata, field: Field): void {
  const key = field.key.toLowerCase().replace(/\s+/g, ' ');
  if (key === 'severity') metadata.severity = field.value;
  else if (key === 'response time' || key === 'response') {
    metadata.responseTime = parseDuration(field.value);
    if (!metadata.responseTime) metadata.extra[field.key] = field.value;
  } else if (key === 'resolution time' || key === 'resolution') {
    metadata.resolutionTime = parseDuration(field.value);
    if (!metadata.resolutionTime) metadata.extra[field.key] = field.value;
  } else metadata.extra[field.key] = field.value;
}

const CONTACT_GROUP = /^(contacts?|contact (information|info|details|list)|(emergency|escalation) contacts?|on-?call( (contacts?|rotation|engineers?))?|who to (call|contact))$/i;

export function isContactsTitle(title: string): boolean {
  return CONTACT_GROUP.test(title.trim());
}

export function contactKind(value: string): Contact['kind'] {
  const v = value.trim();
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return 'email';
  if (/^\+?\d[\d\s().-]{5,}\d$/.test(v)) return 'phone';
  if (/^[#@][\w.-]+$/.test(v) || /slack\.com\//i.test(v)) return 'slack';
  if (/^https?:\/\//i.test(v)) return 'url';
  return 'other';
}

/** A contact's value: a lone link's target (mailto:/tel: stripped), else the text as written. */
export function contactValue(field: Field): string {
  const meaningful = field.nodes.filter((n) => !(n.type === 'text' && /^[\s:]*$/.test(n.value)));
  const only = meaningful[0];
  if (meaningful.length === 1 && only?.type === 'link') return only.url.replace(/^(mailto|tel):/i, '');
  return field.value;
}
