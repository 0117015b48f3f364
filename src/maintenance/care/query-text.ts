/** Longest query text a care task shows of another session's statement. */
export const QUERY_TEXT_LIMIT = 160;

/**
 * Another session's SQL, made safe to show: every string literal (plain,
 * E'…', dollar-quoted) becomes `'…'` and every comment goes, because that
 * is where passwords live (`ALTER ROLE x PASSWORD '…'`, `dblink('password=…')`,
 * `pgp_sym_encrypt(data, 'key')`); then whitespace is collapsed and the text
 * cut to `limit` characters. Redaction runs on the whole text before the
 * cut, and a literal left open (PostgreSQL truncates long statements in
 * pg_stat_activity) is hidden to the end, so no cut can expose half a secret.
 */
export function redactQueryText(sql: string, limit = QUERY_TEXT_LIMIT): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
      out += ' ';
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
      out += ' ';
    } else if (ch === "'") {
      i = skipQuoted(sql, i, (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !isWordChar(sql[i - 2]));
      out += "'…'";
    } else if (ch === '$' && !isWordChar(sql[i - 1])) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? sql.length : end + tag[0].length;
        out += "'…'";
      } else {
        out += ch;
        i += 1;
      }
    } else if (ch === '"') {
      // Identifiers stay: they say which table, never a secret's value.
      const end = sql.indexOf('"', i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else {
      out += ch;
      i += 1;
    }
  }
  const flat = out.replace(/\s+/g, ' ').trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 1)}…`;
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_]/.test(ch);
}

/** Index just past the literal opening at `start`; `''` is a quote inside it, and `\'` too in E'…'. */
function skipQuoted(sql: string, start: number, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (backslashEscapes && ch === '\\') {
      i += 2;
    } else if (ch === "'") {
      if (sql[i + 1] === "'") i += 2;
      else return i + 1;
    } else {
      i += 1;
    }
  }
  return sql.length;
}
