import { finding, isKubectl, kubectlVerbs, type StaticRule } from '../context.js';
import { KUBECTL_SHORT_VALUES, shortLetters, type Invocation, type Word } from '../shell.js';

/**
 * interactive-flag. Runners give commands no stdin and no terminal (DESIGN.md
 * §3). `kubectl exec -it` then prints "Unable to use a TTY" and `docker exec
 * -it` fails with "the input device is not a TTY"; `kubectl edit` waits for
 * an editor nobody sees. Every `kubectl exec -it` in the seed is this.
 */

const DOCKER_VALUE_FLAGS = new Set(
  ['-a', '-c', '-e', '-h', '-l', '-m', '-p', '-u', '-v', '-w', '--name', '--network', '--env', '--env-file', '--entrypoint',
   '--mount', '--volume', '--publish', '--user', '--workdir', '--label', '--memory', '--cpus', '--detach-keys'],
);

/** Option words of `exec`/`run` before the container's own command starts. */
function ownOptions(call: Invocation): Word[] {
  if (isKubectl(call)) {
    const dashes = call.args.findIndex((arg) => arg.value === '--');
    return dashes === -1 ? call.args : call.args.slice(0, dashes);
  }
  // docker exec [OPTIONS] CONTAINER CMD…: options stop at the first positional after the verb.
  const out: Word[] = [];
  for (let k = 1; k < call.args.length; k++) {
    const value = call.args[k]!.value;
    if (!value.startsWith('-')) {
      if (DOCKER_VALUE_FLAGS.has(call.args[k - 1]!.value)) continue;
      break;
    }
    out.push(call.args[k]!);
  }
  return out;
}

/**
 * `-t`/`--tty` always needs a terminal. `-i`/`--stdin` alone is fine when the
 * command's stdin is a file or a pipe (`kubectl exec -i … -- psql < backup.sql`):
 * that is how a runner feeds a container.
 */
function interactiveFlags(options: Word[], hasInput: boolean): string[] {
  const found: string[] = [];
  for (const { value } of options) {
    const long = /^--(stdin|tty|interactive)(=true)?$/.exec(value);
    if (long) {
      if (long[1] === 'tty' || !hasInput) found.push(value);
    } else if (/^-[A-Za-z]/.test(value)) {
      // `-nit` is `-n it` (a namespace), not -i -t: letters after a value-taking option are its value.
      const letters = shortLetters(value, KUBECTL_SHORT_VALUES + 'euw');
      if (letters.includes('t') || (letters.includes('i') && !hasInput)) found.push(value);
    }
  }
  return found;
}

function isExecOrRun(call: Invocation): boolean {
  if (isKubectl(call)) return ['exec', 'run', 'attach', 'debug'].includes(kubectlVerbs(call)[0] ?? '');
  if (call.program === 'docker' || call.program === 'podman') return ['exec', 'run'].includes(call.args[0]?.value ?? '');
  return false;
}

const HINT =
  'drop -i/-t: a runner has no terminal and no stdin. Pass input as arguments (psql -c "…", redis-cli INFO) and keep the command non-interactive';

export const interactiveFlag: StaticRule = (target) =>
  target.calls.flatMap((call) => {
    if (isKubectl(call) && kubectlVerbs(call)[0] === 'edit') {
      return [finding(target, 'interactive-flag', 'error', `${call.program} edit opens an editor, which a runner cannot show`, 'use kubectl patch or kubectl apply -f with the change written out')];
    }
    if (!isExecOrRun(call)) return [];
    const hasInput = call.command.stdinRedirected || call.command.prev === '|';
    const flags = interactiveFlags(ownOptions(call), hasInput);
    if (flags.length === 0) return [];
    const verb = isKubectl(call) ? kubectlVerbs(call)[0] : call.args[0]?.value;
    return [finding(target, 'interactive-flag', 'error', `${call.program} ${verb} ${flags.join(' ')} asks for a terminal/stdin that a runner cannot provide`, HINT)];
  });
