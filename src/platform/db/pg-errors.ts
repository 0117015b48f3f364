// Drizzle wraps driver errors (pg and PGlite alike); the SQLSTATE is on the cause.
function sqlState(error: unknown): unknown {
  const source = ((error as { cause?: unknown } | null)?.cause ?? error) as { code?: unknown } | null;
  return source?.code;
}

/** 23505: a unique constraint refused the row (a concurrent insert of the same key, or a duplicate name). */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

/** 23503: the row refers to something that does not exist (anymore). */
export function isForeignKeyViolation(error: unknown): boolean {
  return sqlState(error) === '23503';
}
