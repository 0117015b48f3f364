import type { Finding } from '../schema.js';
import { checkSyntax, type SyntaxResult } from '../bash-check.js';
import { finding, type LintTarget } from '../context.js';

/**
 * shell-syntax: what `bash -n` says about each command, checked on its own
 * as a runner runs it. A `for … do` on one line of a block and `done` on
 * another are two broken commands, even though the block as a whole parses.
 */

/** Fence languages whose commands are not bash (or close enough for `bash -n`). */
const NOT_BASH = new Set(['fish', 'powershell', 'pwsh', 'ps1', 'cmd', 'bat', 'nu']);

/**
 * The text a run executes: runs turn `<name>` into a quoted variable
 * reference, so `kubectl logs <pod>` must not be read as a redirection with
 * no target. For a syntax check, `"${NAME}"` is the same in every quoting context.
 */
function runnableText(target: LintTarget): string {
  let text = target.command.text;
  for (const placeholder of target.command.placeholders) {
    if (placeholder.syntax === 'angle') text = text.split(placeholder.raw).join(`"\${${placeholder.param}}"`);
  }
  return text;
}

function syntaxHint(message: string): string {
  if (/unexpected token `[()]'/.test(message)) return 'quote the word that contains ( or ) — in a URL, quote the whole URL';
  if (/unexpected EOF|unexpected end of file/.test(message)) {
    return 'a quote or bracket is not closed on this line; a runner runs each line of a block on its own, so join continued lines with a trailing \\';
  }
  if (/unexpected token `(done|fi|esac|then|do)'/.test(message)) {
    return 'a runner runs each line of a block as its own command: put the whole loop or if on one line, or end each line with \\';
  }
  return 'check quoting: run `bash -n` on the command to see the same error';
}

export async function shellSyntax(targets: LintTarget[], timeoutMs: number): Promise<Finding[]> {
  const checked = targets.filter((t) => !NOT_BASH.has(t.command.language.toLowerCase()));
  let byText: Map<string, SyntaxResult>;
  try {
    byText = await checkSyntax([...new Set(checked.map(runnableText))], timeoutMs);
  } catch (error) {
    const first = checked[0];
    if (!first) return [];
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'bash is not installed' : (error as Error).message;
    return [finding(first, 'shell-syntax', 'info', `shell syntax was not checked: ${reason}`, 'install bash where lint runs')];
  }
  return checked.flatMap((target) => {
    const result = byText.get(runnableText(target))!;
    if (result.ok) return [];
    return [finding(target, 'shell-syntax', 'error', `bash cannot parse this command: ${result.message}`, syntaxHint(result.message))];
  });
}
