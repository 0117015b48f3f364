import { finding, type StaticRule } from '../context.js';
import { CURL_SHORT_VALUES, hasFlag, shellQuote, type Invocation, type Word } from '../shell.js';

/**
 * curl-url-unquoted. The seed's
 *   curl -s http://prometheus:9090/api/v1/query?query=rate(http_requests_total{status=~"5.."}[5m])
 * never reaches Prometheus: bash stops at the `(`, and even quoted, curl
 * reads `{…}` and `[5m]` as its own URL globs ("bad range in URL").
 */

const URL_WORD = /^[a-z][a-z0-9+.-]*:\/\//i;
/** Variable expansions inside a word: their braces and parentheses are not globs. */
const EXPANSION = /\$\{[^}]*\}|\$\((?:[^()]|\([^()]*\))*\)|\$[A-Za-z_]\w*/g;
const SHELL_SPECIAL = /[?*[\]{}()]/;
const CURL_GLOB = /[[\]{}]/;

export interface PrometheusQuery {
  /** The PromQL expression the author meant. */
  expr: string;
  /** `http://prometheus:9090/api/v1/query` (no query string), when the query came from a URL. */
  endpoint: string | null;
}

/** The word's value with expansions blanked out, and which characters were outside quotes. */
function literalChars(word: Word): Array<{ char: string; unquoted: boolean }> {
  const out: Array<{ char: string; unquoted: boolean }> = [];
  const blanked = word.value.replace(EXPANSION, (m) => '\u0000'.repeat(m.length));
  for (let i = 0; i < blanked.length; i++) {
    if (blanked[i] !== '\u0000') out.push({ char: blanked[i]!, unquoted: word.unquoted[i] ?? true });
  }
  return out;
}

const uniq = (chars: string[]) => [...new Set(chars)].join(' ');

function urlWords(call: Invocation): Word[] {
  return call.args.filter((arg, k) => URL_WORD.test(arg.value) || call.args[k - 1]?.value === '--url');
}

function urlProblems(call: Invocation, word: Word): string[] {
  const chars = literalChars(word);
  const problems: string[] = [];
  const shell = chars.filter((c) => c.unquoted && SHELL_SPECIAL.test(c.char)).map((c) => c.char);
  if (shell.length > 0) problems.push(`the shell reads the unquoted ${uniq(shell)} as glob, brace or syntax characters`);
  const globoff = hasFlag(call.args, { long: ['--globoff'], short: ['g'] }, { takesValue: CURL_SHORT_VALUES });
  const glob = call.program === 'curl' && !globoff ? chars.filter((c) => CURL_GLOB.test(c.char)).map((c) => c.char) : [];
  if (glob.length > 0) problems.push(`curl expands ${uniq(glob)} in a URL as its own glob ([5m] is "bad range in URL")`);
  if (chars.some((c) => c.char === ' ' || c.char === '\t')) problems.push('the URL contains a space, which curl rejects');
  const open = chars.filter((c) => c.unquoted && c.char === '(').length;
  if (open > chars.filter((c) => c.unquoted && c.char === ')').length) problems.push('an unquoted space cuts the URL in two arguments');
  return problems;
}

/** Raw source of the command from `from` to the end of its simple command: what the author typed. */
function rawTail(text: string, from: number, end: number): string {
  return text.slice(from, end).trim();
}

/** `query=…` of a Prometheus HTTP API call, from `--data-urlencode`/`-d`, or from the URL. */
export function prometheusQueries(call: Invocation): PrometheusQuery[] {
  if (call.program !== 'curl' && call.program !== 'wget') return [];
  const found: PrometheusQuery[] = [];
  call.args.forEach((arg, k) => {
    const option = call.args[k - 1]?.value ?? '';
    if (['--data-urlencode', '-d', '--data', '--data-raw'].includes(option) && arg.value.startsWith('query=')) {
      const endpoint = urlWords(call).find((w) => /\/api\/v1\/query(_range)?\b/.test(w.value));
      found.push({ expr: arg.value.slice('query='.length), endpoint: endpoint ? endpoint.value.split('?')[0]! : null });
    }
  });
  for (const word of urlWords(call)) {
    const at = word.value.indexOf('query=');
    if (!/\/api\/v1\/query(_range)?\?/.test(word.value) || at === -1) continue;
    const endpoint = word.value.slice(0, word.value.indexOf('?'));
    const broken = literalChars(word).some((c) => c.unquoted && SHELL_SPECIAL.test(c.char));
    let expr: string | null;
    if (broken) {
      // The shell would mangle it; the author's intent is the text as written.
      const rawAt = word.start + word.raw.indexOf('query=') + 'query='.length;
      expr = rawTail(call.command.source, rawAt, call.command.end).split(/&[A-Za-z_]+=/)[0]!;
    } else {
      expr = new URLSearchParams(word.value.slice(word.value.indexOf('?') + 1)).get('query');
    }
    if (expr) found.push({ expr, endpoint });
  }
  return found;
}

/** The command as it should be written: quoted endpoint, query URL-encoded by curl. */
export function prometheusCurl(query: PrometheusQuery): string {
  const endpoint = query.endpoint ?? 'http://prometheus:9090/api/v1/query';
  return `curl -s -G '${endpoint.replace(/'/g, `'\\''`)}' --data-urlencode ${shellQuote(`query=${query.expr}`)}`;
}

function hintFor(call: Invocation, word: Word): string {
  const query = prometheusQueries(call).find((q) => q.endpoint && word.value.startsWith(q.endpoint));
  if (query) return `write it as: ${prometheusCurl(query)}`;
  return "quote the URL in single quotes and add --globoff (-g), or pass parameters with -G --data-urlencode 'name=value'";
}

export const curlUrlUnquoted: StaticRule = (target) =>
  target.calls.flatMap((call) => {
    if (call.program !== 'curl' && call.program !== 'wget') return [];
    return urlWords(call).flatMap((word) => {
      const problems = urlProblems(call, word);
      if (problems.length === 0) return [];
      const shown = word.raw.length > 60 ? `${word.raw.slice(0, 57)}...` : word.raw;
      return [finding(target, 'curl-url-unquoted', 'error', `${call.program} URL ${shown}: ${problems.join('; ')}`, hintFor(call, word))];
    });
  });
