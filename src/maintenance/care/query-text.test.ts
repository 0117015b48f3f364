import { describe, expect, it } from 'vitest';
import { redactQueryText } from './query-text.js';

describe('showing another session’s SQL', () => {
  it('hides a password set on a role', () => {
    expect(redactQueryText("ALTER ROLE app PASSWORD 'hunter2-s3cret'")).toBe("ALTER ROLE app PASSWORD '…'");
  });

  it('hides quotes doubled or escaped inside a literal, and E-strings', () => {
    const shown = redactQueryText("SELECT 'it''s secret', E'don\\'t tell key=abc', x FROM t");
    expect(shown).toBe("SELECT '…', E'…', x FROM t");
  });

  it('hides dollar-quoted bodies, tagged or not', () => {
    expect(redactQueryText("DO $$ BEGIN PERFORM set_config('a', 'pw1', false); END $$")).toBe("DO '…'");
    expect(redactQueryText('SELECT $body$ token=xyz $body$, $1')).toBe("SELECT '…', $1");
  });

  it('drops comments, which may hold anything', () => {
    expect(redactQueryText('SELECT 1 -- password=abc\n/* key: zzz */ FROM t')).toBe('SELECT 1 FROM t');
  });

  it('hides a literal left open by a truncated statement to its end', () => {
    expect(redactQueryText("SELECT dblink_connect('host=db password=topsecr")).toBe("SELECT dblink_connect('…'");
  });

  it('keeps quoted identifiers, and cuts long text after redacting', () => {
    expect(redactQueryText('SELECT "Password" FROM "Users"')).toBe('SELECT "Password" FROM "Users"');
    const long = `SELECT ${'a, '.repeat(100)}'secret-at-the-end'`;
    const shown = redactQueryText(long, 40);
    expect(shown).toHaveLength(40);
    expect(shown.endsWith('…')).toBe(true);
    expect(redactQueryText(`SELECT '${'s'.repeat(500)}'`, 40)).toBe("SELECT '…'");
  });
});
