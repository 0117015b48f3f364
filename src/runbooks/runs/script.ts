import type { Placeholder } from '../model.js';

/**
 * Parameters reach a command only through its environment. An `<name>`
 * placeholder in the text becomes a quoted reference to its variable, so the
 * shell expands the value as data and never parses it as code: a value of
 * `$(rm -rf ~)` or `; reboot` is printed, not run. `$VAR` and `${VAR}`
 * placeholders are references already and stay exactly as the author wrote them.
 *
 * The quoting depends on where the placeholder sits: outside quotes it is
 * `"${NAME}"`; inside double quotes `${NAME}`; inside single quotes the
 * quote is closed around it, `'"${NAME}"'`.
 *
 * Quoting is not enough everywhere: bash evaluates a variable's value again
 * in arithmetic (`[[ $N -gt 5 ]]`, `$(( N ))`, `let`), subscripts, `${!N}`,
 * `eval`, `sh -c` and a few more places (../code-contexts.ts), where
 * `N='a[$(id)]'` runs `id`. A parameter may reach those only when its
 * declared type admits digits alone: lint reports any other use as an
 * error and run creation refuses it (params.ts).
 */
export function rewritePlaceholders(text: string, placeholders: readonly Placeholder[]): string {
  const angles = placeholders
    .filter((p) => p.syntax === 'angle' && p.raw.length > 0 && ENV_NAME.test(p.param))
    .sort((a, b) => b.raw.length - a.raw.length);
  if (angles.length === 0) return text;
  let out = '';
  let quote: 'none' | 'single' | 'double' = 'none';
  for (let i = 0; i < text.length; ) {
    const hit = angles.find((p) => text.startsWith(p.raw, i));
    if (hit) {
      out += quote === 'none' ? `"\${${hit.param}}"` : quote === 'double' ? `\${${hit.param}}` : `'"\${${hit.param}}"'`;
      i += hit.raw.length;
      continue;
    }
    const ch = text[i]!;
    if (ch === '\\' && quote !== 'single') {
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (ch === "'" && quote !== 'double') quote = quote === 'single' ? 'none' : 'single';
    else if (ch === '"' && quote !== 'single') quote = quote === 'double' ? 'none' : 'double';
    out += ch;
    i++;
  }
  return out;
}

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * Names a parameter may not take: they would change how the shell itself or
 * the dynamic linker behaves, not what the command is given.
 */
const RESERVED = new Set(['PATH', 'HOME', 'LANG', 'SHELL', 'IFS', 'ENV', 'BASH_ENV', 'SHELLOPTS', 'BASHOPTS', 'PS4', 'PROMPT_COMMAND', 'CDPATH', 'GLOBIGNORE']);

export function isReservedEnvName(name: string): boolean {
  return RESERVED.has(name) || /^(LD_|BASH_|LC_|__nexus)/.test(name);
}

/** Commands that never end by themselves; lint flags them without a timeout, runs stop them at theirs. */
const FOLLOW = [/\b(logs|tail|journalctl)\b[^|;&]*\s(-f|-F|--follow)\b/, /\bwatch\b\s/, /\s--watch\b/, /\bkubectl\b[^|;&]*\sget\b[^|;&]*\s-w\b/];

export function isFollowStyle(text: string): boolean {
  return FOLLOW.some((pattern) => pattern.test(text));
}

/** Variable names that say they hold a secret: their captured values are redacted and never stored in clear. */
export function looksSecret(name: string): boolean {
  return /(KEY|TOKEN|PASSWORD|PASSWD|SECRET|CREDENTIAL)/i.test(name);
}

/** `key=value,key=value` (annotation `runner=`) to the labels a runner must have. */
export function selectorLabels(selector: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of (selector ?? '').split(',')) {
    const [key, ...rest] = part.split('=');
    if (!key?.trim()) continue;
    // A bare `runner=k8s` names a runner kind; it means the label runner=k8s.
    if (rest.length === 0) labels.runner = key.trim();
    else labels[key.trim()] = rest.join('=').trim();
  }
  return labels;
}
