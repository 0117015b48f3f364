import { describe, expect, it } from 'vitest';
import { hasFlag, invocation, lexCommand, shellQuote } from './shell.js';

const programs = (text: string) => lexCommand(text).map((c) => invocation(c).program);
const values = (text: string, index = 0) => lexCommand(text)[index]!.words.map((w) => w.value);

describe('the lint shell lexer', () => {
  it('splits pipelines and lists, recording the operators between them', () => {
    const commands = lexCommand('kubectl logs x | grep ERROR || true; echo done && ls &');
    expect(commands.map((c) => [c.prev, c.words[0]!.value, c.next])).toEqual([
      ['', 'kubectl', '|'],
      ['|', 'grep', '||'],
      ['||', 'true', ';'],
      [';', 'echo', '&&'],
      ['&&', 'ls', '&'],
    ]);
  });

  it('removes quotes, keeps which characters were unquoted, and records expansions with their quoting', () => {
    const [word] = lexCommand(`x 'a?'"b$HOME"c\\*`)[0]!.words.slice(1);
    expect(word!.value).toBe('a?b$HOMEc*');
    // a ? b $HOME quoted, c bare, \* escaped: only the c is open to the shell.
    expect(word!.unquoted.map((u) => (u ? 'u' : 'q')).join('')).toBe('qqqqqqqquq');
    expect(word!.expansions).toEqual([{ name: 'HOME', raw: '$HOME', quote: 'double' }]);
    expect(lexCommand(`echo '$NOPE' \${YES:-x}`)[0]!.words[2]!.expansions).toEqual([{ name: 'YES', raw: '${YES:-x}', quote: 'none' }]);
    expect(lexCommand(`echo '$NOPE'`)[0]!.words[1]!.expansions).toEqual([]);
  });

  it('reads the commands inside $(…) and keeps the substitution as one word', () => {
    const text = `LATEST=$(aws s3 ls "s3://$BUCKET/" | sort | tail -1)`;
    expect(programs(text)).toEqual(['', 'aws', 'sort', 'tail']);
    expect(values(text)).toEqual([`LATEST=$(aws s3 ls "s3://$BUCKET/" | sort | tail -1)`]);
    expect(invocation(lexCommand(text)[0]!).assigns).toEqual(['LATEST']);
    expect(lexCommand(text)[1]!.nested).toBe(true);
  });

  it('drops redirections, keeps <placeholders> as words, and notes a redirected stdin', () => {
    expect(values('kubectl logs x 2>&1 > /tmp/out')).toEqual(['kubectl', 'logs', 'x']);
    expect(values('kubectl delete pod <affected-pod> -n ns')).toEqual(['kubectl', 'delete', 'pod', '<affected-pod>', '-n', 'ns']);
    expect(lexCommand('psql < /tmp/backup.sql')[0]!.stdinRedirected).toBe(true);
    expect(lexCommand('psql 2> /tmp/err')[0]!.stdinRedirected).toBe(false);
  });

  it('keeps an unquoted URL with parentheses whole, as the author wrote it', () => {
    expect(values('curl -s http://p:9090/api/v1/query?query=rate(x{a="5.."}[5m])')).toEqual([
      'curl',
      '-s',
      'http://p:9090/api/v1/query?query=rate(x{a=5..}[5m])',
    ]);
  });

  it('looks through sudo, env assignments and timeout to the program', () => {
    const call = invocation(lexCommand('sudo A=1 timeout -s INT 30s kubectl logs -f x')[0]!);
    expect(call).toMatchObject({ program: 'kubectl', timeout: '30s', assigns: ['A'] });
    expect(call.args.map((a) => a.value)).toEqual(['logs', '-f', 'x']);
    expect(invocation(lexCommand('/usr/bin/curl x')[0]!).program).toBe('curl');
  });

  it('finds flags in long, inline and short-cluster forms, stopping at --', () => {
    const args = invocation(lexCommand('kubectl exec -it pod --container=x -- ls -w')[0]!).args;
    expect(hasFlag(args, { short: ['t'] })).toBe(true);
    expect(hasFlag(args, { long: ['--container'] })).toBe(true);
    expect(hasFlag(args, { short: ['w'] })).toBe(false);
    expect(hasFlag(invocation(lexCommand('kubectl logs --follow=false x')[0]!).args, { long: ['--follow'] })).toBe(false);
    // `-owide` is `-o wide`: the w is a value, not --watch.
    const get = invocation(lexCommand('kubectl get pods -owide')[0]!).args;
    expect(hasFlag(get, { short: ['w'] }, { takesValue: 'o' })).toBe(false);
    expect(hasFlag(get, { short: ['w'] })).toBe(true);
  });

  it('quotes for the shell only when needed', () => {
    expect(shellQuote('http://x:9090/api/v1/query')).toBe('http://x:9090/api/v1/query');
    expect(shellQuote(`query=up{job="a"}`)).toBe(`'query=up{job="a"}'`);
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
  });
});
