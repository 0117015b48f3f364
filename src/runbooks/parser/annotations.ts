import type { CommandAnnotations, RiskClass } from '../model.js';
import { RunbookParseError } from './errors.js';

const RISKS: readonly RiskClass[] = ['read', 'change', 'destructive'];
const KEYS = new Set(['timeout', 'risk', 'runner', 'expect', 'approval']);
/** `key`, `key=value`, `key="quoted value"` or `key='quoted value'`. */
const TOKEN = /([A-Za-z][\w-]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

function unquote(value: string): string {
  if (value.startsWith('"')) return value.slice(1, -1).replace(/\\(.)/g, '$1');
  if (value.startsWith("'")) return value.slice(1, -1);
  return value;
}

function timeoutSeconds(value: string, line: number): number {
  const match = DURATION.exec(value);
  const seconds = match ? Number(match[1]) * (UNIT_SECONDS[match[2] ?? 's'] ?? 1) : NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new RunbookParseError(`annotation timeout=${value} is not a duration (30, 30s, 5m, 1h)`, line);
  }
  return Math.ceil(seconds);
}

function apply(target: CommandAnnotations, key: string, value: string | undefined, line: number): void {
  if (key === 'approval') {
    target.approval = value === undefined || !/^(false|no|0)$/i.test(value);
    return;
  }
  if (value === undefined || value === '') throw new RunbookParseError(`annotation ${key} needs a value (${key}=…)`, line);
  if (key === 'timeout') target.timeoutSeconds = timeoutSeconds(value, line);
  else if (key === 'risk') {
    if (!RISKS.includes(value as RiskClass)) {
      throw new RunbookParseError(`annotation risk=${value} must be one of ${RISKS.join(', ')}`, line);
    }
    target.risk = value as RiskClass;
  } else if (key === 'runner') target.runner = value;
  else target.expect = value;
}

/**
 * Reads `timeout=30s risk=read runner=region=eu expect="ok" approval`.
 * `strict` (a `nexus:` comment, written for NEXUS only) refuses unknown keys
 * so a typo like `timout=` is not silently ignored; a fence's info string is
 * shared with other tools (`title="deploy.sh"`), so there they are skipped.
 */
export function parseAnnotations(text: string, line: number, strict: boolean): CommandAnnotations {
  const result: CommandAnnotations = {};
  for (const match of text.matchAll(TOKEN)) {
    const key = match[1]!.toLowerCase();
    if (!KEYS.has(key)) {
      if (strict) throw new RunbookParseError(`unknown annotation "${match[1]}" (known: ${[...KEYS].join(', ')})`, line);
      continue;
    }
    apply(result, key, match[2] === undefined ? undefined : unquote(match[2]), line);
  }
  return result;
}

const COMMENT = /^<!--\s*nexus:([\s\S]*?)-->\s*$/i;

/** The annotation text of `<!-- nexus: … -->`, or null for any other HTML. */
export function annotationComment(html: string): string | null {
  return COMMENT.exec(html.trim())?.[1] ?? null;
}
