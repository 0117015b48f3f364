import { Type, type Static, type TSchema } from 'typebox';
import { InputError } from '../errors.js';
import { isUuid } from '../uuid.js';

/** `{ error: { code, message, details } }`: the only shape an error ever has. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse' },
);

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
export type IdParams = Static<typeof IdParams>;

/** For POST routes that take no input: nothing, `{}` or `null`, and nothing else. */
export const NoBody = Type.Union([Type.Object({}, { additionalProperties: false }), Type.Null()]);

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 512, pattern: '^[A-Za-z0-9_-]+$' })),
};

/** Every list answers `{ items, next }`; `next` is an opaque cursor or null. */
export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), next: Type.Union([Type.String(), Type.Null()]) });
}

/**
 * Keyset cursors: the sort key of the last row, base64url-encoded. Unlike
 * offsets they stay correct while rows are inserted during paging.
 */
export function encodeCursor(key: Array<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** What one part of a cursor holds: timestamps and ids are checked here, so a forged cursor is a 400 and never reaches SQL. */
export type CursorPart = 'string' | 'number' | 'timestamp' | 'uuid';

/** `toISOString()`, or the microsecond form some lists sort by. */
const CURSOR_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;

function isCursorPart(part: unknown, kind: CursorPart): boolean {
  switch (kind) {
    case 'string':
      return typeof part === 'string';
    case 'number':
      return typeof part === 'number' && Number.isFinite(part);
    case 'timestamp':
      return typeof part === 'string' && CURSOR_TIMESTAMP.test(part) && !Number.isNaN(new Date(part).getTime());
    case 'uuid':
      return typeof part === 'string' && isUuid(part);
  }
}

export function decodeCursor(cursor: string | undefined, shape: CursorPart[]): Array<string | number> | null {
  if (cursor === undefined) return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError('query/cursor is not a cursor this API issued');
  }
  const valid = Array.isArray(key) && key.length === shape.length && key.every((part, i) => isCursorPart(part, shape[i]!));
  if (!valid) throw new InputError('query/cursor is not a cursor this API issued');
  return key as Array<string | number>;
}

/** Takes `limit + 1` rows and turns the extra one into the `next` cursor. */
export function toPage<R, I>(rows: R[], limit: number, toItem: (row: R) => I, keyOf: (row: R) => Array<string | number>) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(toItem),
    next: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}

/**
 * Years 1970–9999. The drivers read years 0–99 back as 1900–1999 (JavaScript's
 * two-digit-year rule), so an earlier date would not be stored as sent; a later
 * one has no ISO 8601 form in JavaScript.
 */
export const TIMESTAMP_YEARS_PATTERN = '^(?:19[7-9][0-9]|[2-9][0-9]{3})-';
export const Timestamp = Type.String({ format: 'date-time', pattern: TIMESTAMP_YEARS_PATTERN });
/**
 * Responses only (every input date is a `Timestamp`). No year pattern: a union
 * is checked when the response is written, and a row stored before the
 * pattern existed must not turn its read into a 500.
 */
export const NullableTimestamp = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
