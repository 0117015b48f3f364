import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createLogger, lazyChild } from './logger.js';

function capture(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger(level, sink), lines };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('a request logger', () => {
  it('is made only when a line is written at an enabled level, and carries its bindings then', async () => {
    const { logger, lines } = capture('warn');
    const child = vi.spyOn(logger, 'child');
    const request = lazyChild(logger, { reqId: 'req-1' });
    request.info('not written');
    request.debug({ token: 'x' }, 'not written either');
    expect(child).not.toHaveBeenCalled();
    expect(request.level).toBe('warn');
    request.warn({ token: 'secret-value' }, 'written');
    request.error('also written');
    await flush();
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines.map((l) => [l.reqId, l.msg])).toEqual([
      ['req-1', 'written'],
      ['req-1', 'also written'],
    ]);
    // Redaction still applies to what the child writes.
    expect(lines[0]!.token).toBe('[redacted]');
  });

  it('child() of it binds both sets of fields', async () => {
    const { logger, lines } = capture('info');
    lazyChild(logger, { reqId: 'req-2' }).child({ step: 's1' }).info('hello');
    await flush();
    expect(lines[0]).toMatchObject({ reqId: 'req-2', step: 's1', msg: 'hello' });
  });
});
