import type { RequestBodyOf } from '../api/types.js';

/** A label matcher as silences and routing rules take it (src/alerts/schema.ts Matcher). */
export type Matcher = RequestBodyOf<'/api/v1/silences', 'post'>['matchers'][number];
export type MatchOp = Matcher['op'];

export const MATCH_OPS: readonly MatchOp[] = ['=', '!=', '=~', '!~'];
export const MATCH_OP_LABEL: Record<MatchOp, string> = {
  '=': '= equals',
  '!=': '!= differs from',
  '=~': '=~ matches regex',
  '!~': '!~ does not match regex',
};

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `alertname="HighErrorRate"` as Alertmanager and Prometheus write it. */
export function formatMatcher(matcher: Matcher): string {
  return `${matcher.name}${matcher.op}${JSON.stringify(matcher.value)}`;
}

/** Why a matcher cannot be sent, in words, or null when it is fine. */
export function matcherProblem(matcher: Matcher): string | null {
  if (matcher.name === '') return 'Give the label a name.';
  if (!LABEL_NAME.test(matcher.name)) return `"${matcher.name}" is not a label name: letters, digits and _, not starting with a digit.`;
  if (matcher.op === '=~' || matcher.op === '!~') {
    try {
      new RegExp(`^(?:${matcher.value})$`);
    } catch {
      return `"${matcher.value}" is not a valid regular expression.`;
    }
  }
  return null;
}

const ONE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^,"'\s}]*))\s*/;

/** `\"` and `\\` are escapes inside double quotes; any other backslash (`5\..`, a regex escape) stays as written. */
function unescape(quoted: string): string {
  return quoted.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/**
 * Reads matchers as people paste them from Alertmanager or a PromQL
 * selector: `{alertname="HighErrorRate", service=~"api|web"}`, with or
 * without braces, separated by commas or new lines, values quoted or not.
 */
export function parseMatchers(text: string): { matchers: Matcher[]; error: string | null } {
  let rest = text.trim();
  if (rest.startsWith('{') && rest.endsWith('}')) rest = rest.slice(1, -1);
  const matchers: Matcher[] = [];
  while (rest.trim() !== '') {
    const found = ONE.exec(rest);
    if (!found) return { matchers, error: `Cannot read a matcher at "${rest.trim().slice(0, 40)}": write it as name="value", name!="value", name=~"regex" or name!~"regex".` };
    const [whole, name, op, doubleQuoted, singleQuoted, bare] = found;
    const value = doubleQuoted !== undefined ? unescape(doubleQuoted) : (singleQuoted ?? bare ?? '');
    matchers.push({ name: name!, op: op as MatchOp, value });
    rest = rest.slice(whole.length).replace(/^[,\n;]\s*/, '');
  }
  if (matchers.length === 0) return { matchers, error: 'Write at least one matcher, such as alertname="HighErrorRate".' };
  return { matchers, error: null };
}

/** Alertmanager's semantics: a missing label is the empty string; regexes are anchored at both ends. */
export function matches(matcher: Matcher, labels: Record<string, string>): boolean {
  const value = labels[matcher.name] ?? '';
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
    case '!~': {
      let re: RegExp;
      try {
        re = new RegExp(`^(?:${matcher.value})$`);
      } catch {
        return false;
      }
      return re.test(value) === (matcher.op === '=~');
    }
  }
}

export function matchesAll(matchers: readonly Matcher[], labels: Record<string, string>): boolean {
  return matchers.every((matcher) => matches(matcher, labels));
}

/** Labels that name an alert well enough to silence it and little else: what "Silence this alert" starts from. */
export function silenceMatchersFor(labels: Record<string, string>): Matcher[] {
  const keys = ['alertname', 'service', 'job', 'instance', 'namespace'].filter((key) => labels[key] !== undefined);
  const chosen = keys.length > 0 ? keys : Object.keys(labels).slice(0, 3);
  return chosen.map((name) => ({ name, op: '=', value: labels[name]! }));
}
