import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { parseTime } from '../../src/cli/args.js';
import { exitCodeForStatus } from '../../src/cli/client.js';
import { isIdOrPrefix, matchPrefix } from '../../src/cli/ids.js';
import { EXIT } from '../../src/cli/output.js';
import { promptHidden, readPasswordFromStdin, type PasswordInput } from '../../src/cli/password.js';

/** A terminal in the shape promptHidden uses: it records raw mode and what was echoed. */
function fakeTerminal() {
  const input = Object.assign(new EventEmitter(), {
    isTTY: true,
    raw: [] as boolean[],
    setRawMode(mode: boolean) {
      this.raw.push(mode);
    },
    setEncoding: () => undefined,
    resume: () => undefined,
    pause: () => undefined,
  }) satisfies PasswordInput;
  const written: string[] = [];
  return { input, output: { write: (s: string) => written.push(s) }, written };
}

describe('reading a password', () => {
  it('a prompt reads a line in raw mode, honours backspace, and echoes nothing of the password', async () => {
    const { input, output, written } = fakeTerminal();
    const answer = promptHidden('Password: ', input, output);
    input.emit('data', 'secretXX\u007f\u007f');
    input.emit('data', '-value\r');
    expect(await answer).toBe('secret-value');
    expect(written).toEqual(['Password: ', '\n']);
    expect(input.raw).toEqual([true, false]);
  });

  it('Ctrl-C at the prompt gives up with exit code 130 and restores the terminal', async () => {
    const { input, output } = fakeTerminal();
    const answer = promptHidden('Password: ', input, output);
    input.emit('data', 'abc\u0003');
    await expect(answer).rejects.toMatchObject({ exitCode: 130, message: 'interrupted' });
    expect(input.raw).toEqual([true, false]);
  });

  it('without a terminal there is no prompt: a usage error, not a hang', async () => {
    const { input, output, written } = fakeTerminal();
    input.isTTY = false;
    await expect(promptHidden('Password: ', input, output)).rejects.toMatchObject({ exitCode: EXIT.usage });
    expect(written).toEqual([]);
  });

  it('--password-stdin drops exactly one trailing newline and refuses empty input', async () => {
    expect(await readPasswordFromStdin([Buffer.from('pass word \r\n')])).toBe('pass word ');
    expect(await readPasswordFromStdin(['two\n', 'lines\n\n'])).toBe('two\nlines\n');
    await expect(readPasswordFromStdin(['\n'])).rejects.toMatchObject({ exitCode: EXIT.usage });
  });
});

describe('arguments and statuses', () => {
  const now = () => new Date('2025-03-10T12:00:00Z');

  it('--since/--until take ISO dates (UTC unless an offset is given) or an age', () => {
    expect(parseTime('2025-03-01', now)).toBe('2025-03-01T00:00:00.000Z');
    expect(parseTime('2025-03-01T08:30', now)).toBe('2025-03-01T08:30:00.000Z');
    expect(parseTime('2025-03-01T08:30:00+02:00', now)).toBe('2025-03-01T06:30:00.000Z');
    expect(parseTime('90m', now)).toBe('2025-03-10T10:30:00.000Z');
    expect(parseTime('7d', now)).toBe('2025-03-03T12:00:00.000Z');
    for (const bad of ['yesterday', '2025-02-30', '2025-03-01T24:61', '10w']) expect(() => parseTime(bad, now)).toThrow();
  });

  it('HTTP statuses map to the documented exit codes', () => {
    const codes = [400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 418].map(exitCodeForStatus);
    expect(codes).toEqual([
      EXIT.usage,
      EXIT.unauthorized,
      EXIT.unauthorized,
      EXIT.notFound,
      EXIT.conflict,
      EXIT.usage,
      EXIT.unavailable,
      EXIT.unavailable,
      EXIT.unavailable,
      EXIT.unavailable,
      EXIT.failure,
    ]);
  });
});

describe('id prefixes', () => {
  const ids = [
    { id: '5f0c1a2b-0000-4000-8000-000000000001', label: 'P1 triggered API errors' },
    { id: '5f0c1a2b-0000-4000-8000-000000000002', label: 'P2 resolved Slow checkout' },
    { id: '7a00beef-0000-4000-8000-000000000003', label: 'P3 closed Disk' },
  ];

  it('a prefix is at least 4 hex digits, with or without the dashes, and never a whole word', () => {
    for (const good of ['5f0c', '5F0C1A2B', '5f0c1a2b-00', '5f0c1a2b00', ids[0]!.id]) expect(isIdOrPrefix(good)).toBe(true);
    for (const bad of ['5f0', 'alice', '5f0c--1', '-5f0c', '5f0c1a2b-0000-4000-8000-0000000000011', '']) expect(isIdOrPrefix(bad)).toBe(false);
  });

  it('one match is the id; none is exit 5; several are exit 2 listing them', async () => {
    expect(await matchPrefix('incident', '7a00', ids)).toBe(ids[2]!.id);
    expect(await matchPrefix('incident', '7A00BEEF0000', ids)).toBe(ids[2]!.id);
    await expect(matchPrefix('incident', 'ffff', ids)).rejects.toMatchObject({ exitCode: EXIT.notFound, message: 'no incident id starts with ffff' });
    await expect(matchPrefix('incident', '5f0c', ids)).rejects.toMatchObject({
      exitCode: EXIT.usage,
      message: `5f0c is the start of 2 incident ids:\n  ${ids[0]!.id}  P1 triggered API errors\n  ${ids[1]!.id}  P2 resolved Slow checkout`,
      hint: 'give more of the id',
    });
  });
});
