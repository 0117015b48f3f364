import { finding, isKubectl, kubectlVerbs, type LintTarget, type StaticRule } from '../context.js';
import { GREP_SHORT_VALUES, hasFlag, KUBECTL_SHORT_VALUES, type Invocation } from '../shell.js';

/**
 * How a command ends. A runner executes each command and waits for it to
 * exit: `kubectl logs -f … | grep ERROR` (seed, P2 and Daily Tasks) never
 * exits, so the step hangs until something kills it. And a pipeline ending
 * in `grep` exits 1 when nothing matched, so a healthy system fails the step.
 */

/** `# nexus: timeout=60s` inside the block sets one command's timeout; the HTML comment above the block sets all. */
export const TIMEOUT_ANNOTATION = '`# nexus: timeout=60s` above the command';

interface Endless {
  what: string;
  hint: string;
}

const LOGS_HINT = `read a bounded window instead: --since=10m or --tail=200 without -f; or keep -f and add ${TIMEOUT_ANNOTATION}`;

function kubectlEndless(call: Invocation): Endless | null {
  const [verb] = kubectlVerbs(call);
  const kubectlFlags = { takesValue: KUBECTL_SHORT_VALUES };
  if (verb === 'logs' && hasFlag(call.args, { long: ['--follow'], short: ['f'] }, kubectlFlags)) {
    return { what: `${call.program} logs -f follows the log`, hint: LOGS_HINT };
  }
  if (['get', 'events'].includes(verb ?? '') && hasFlag(call.args, { long: ['--watch', '--watch-only'], short: ['w'] }, kubectlFlags)) {
    return { what: `${call.program} ${verb} --watch streams changes`, hint: `drop --watch to list once, or add ${TIMEOUT_ANNOTATION}` };
  }
  if (verb === 'port-forward' || verb === 'attach' || verb === 'proxy') {
    return { what: `${call.program} ${verb} serves until stopped`, hint: `a runner step cannot keep it open for you; add ${TIMEOUT_ANNOTATION} or run it by hand` };
  }
  return null;
}

function dockerEndless(call: Invocation): Endless | null {
  const verb = call.args[0]?.value;
  if (verb === 'logs' && hasFlag(call.args, { long: ['--follow'], short: ['f'] }, { takesValue: 'n' })) {
    return { what: `${call.program} logs -f follows the log`, hint: LOGS_HINT };
  }
  if (verb === 'stats' && !hasFlag(call.args, { long: ['--no-stream'] })) {
    return { what: `${call.program} stats streams until stopped`, hint: 'add --no-stream' };
  }
  if (verb === 'events' && !call.args.some((arg) => arg.value.startsWith('--until'))) {
    return { what: `${call.program} events streams until stopped`, hint: '--since=10m --until=0s prints past events and exits' };
  }
  return null;
}

const REDIS_STREAMING = new Set(['monitor', 'subscribe', 'psubscribe', '--stat', '--latency', '--latency-history']);

function otherEndless(call: Invocation): Endless | null {
  const args = call.args.map((arg) => arg.value);
  switch (call.program) {
    case 'tail':
      if (args.some((a) => a === '--follow' || a.startsWith('--follow=') || /^-[^-]*[fF]/.test(a))) {
        return { what: 'tail -f follows the file', hint: `use tail -n 200 without -f, or add ${TIMEOUT_ANNOTATION}` };
      }
      return null;
    case 'journalctl':
      return hasFlag(call.args, { long: ['--follow'], short: ['f'] }, { takesValue: 'unSUpt' })
        ? { what: 'journalctl -f follows the journal', hint: `use --since=-10m --no-pager without -f, or add ${TIMEOUT_ANNOTATION}` }
        : null;
    case 'watch':
      return { what: 'watch repeats its command forever', hint: `run the command once, or add ${TIMEOUT_ANNOTATION}` };
    case 'top':
      return args.includes('-b') && args.some((a) => a === '-n' || /^-n\d+$/.test(a))
        ? null
        : { what: 'top is interactive and refreshes forever', hint: 'top -b -n 1 prints one snapshot and exits' };
    case 'htop':
    case 'iotop':
      return { what: `${call.program} is interactive and refreshes forever`, hint: 'use top -b -n 1 or ps for a snapshot' };
    case 'ping':
      return args.some((a) => /^-[^-]*[cw]/.test(a)) ? null : { what: 'ping without -c pings forever', hint: 'ping -c 3' };
    case 'redis-cli':
      return args.some((a) => REDIS_STREAMING.has(a.toLowerCase()))
        ? { what: 'redis-cli streams (monitor/subscribe/--stat) until stopped', hint: `add ${TIMEOUT_ANNOTATION}` }
        : null;
    case 'sleep':
      return args[0] === 'infinity' ? { what: 'sleep infinity never ends', hint: 'sleep for a bounded time' } : null;
    default:
      return null;
  }
}

function endless(call: Invocation): Endless | null {
  if (isKubectl(call)) return kubectlEndless(call);
  if (call.program === 'docker' || call.program === 'podman') return dockerEndless(call);
  return otherEndless(call);
}

function hasTimeout(target: LintTarget, call: Invocation): boolean {
  return target.command.annotations.timeoutSeconds !== undefined || call.timeout !== null;
}

export const neverEnds: StaticRule = (target) =>
  target.calls.flatMap((call) => {
    const found = endless(call);
    if (!found || hasTimeout(target, call)) return [];
    return [finding(target, 'never-ends', 'error', `${found.what} and never exits on its own, so the step hangs with no timeout`, found.hint)];
  });

const GREP = new Set(['grep', 'egrep', 'fgrep', 'zgrep']);
/** What after `grep … ||` makes every failure a success, not only grep's "no match". */
const SWALLOWS = new Set(['true', ':', 'echo', 'printf']);

/** The simple command right after `call` in the same command line, if any. */
function following(target: LintTarget, call: Invocation): Invocation | null {
  const { source, nested, end } = call.command;
  return target.calls.find((c) => c.command.source === source && c.command.nested === nested && c.command.start >= end) ?? null;
}

/**
 * Steps run under `bash -o pipefail` (src/runners/exec.ts), so a pipeline
 * fails when any member does: `… | grep X` fails on no match wherever grep
 * stands in it, and `… | grep X || true` hides every failure of the
 * pipeline, `kubectl` failing to reach the cluster included (issue 16: the
 * P2 step showed green over "connection refused"). The form that accepts
 * only grep's exit 1 keeps the rest visible.
 */
export const grepExitStatus: StaticRule = (target) =>
  target.calls.flatMap((call) => {
    if (!GREP.has(call.program) || call.command.prev !== '|') return [];
    // -q asks for the exit status on purpose: the author wants the step to fail on no match.
    if (hasFlag(call.args, { long: ['--quiet', '--silent'], short: ['q'] }, { takesValue: GREP_SHORT_VALUES })) return [];
    const grep = call.command.words
      .map((word) => word.raw)
      .filter((raw) => raw !== '{')
      .join(' ');
    const hint = `if no match is good news, accept grep's exit 1 only: \`| { ${grep} || [ $? -eq 1 ]; }\` (a failure before grep still fails the step)`;
    if (call.command.next !== '||') {
      return [finding(target, 'grep-exit-status', 'info', 'grep exits 1 when nothing matches, so this step fails exactly when the output is clean', hint)];
    }
    const after = following(target, call);
    // `|| { echo …; exit 1; }` decides for itself; only a bare `|| true` (or a bare echo) ends in success.
    if (!after || !SWALLOWS.has(after.program) || after.command.words[0]?.value !== after.program) return [];
    return [
      finding(
        target,
        'grep-exit-status',
        'warning',
        `\`|| ${after.program}\` after grep turns every failure of the pipeline into success, not only "no match": a command before grep that fails (kubectl cannot reach the cluster) shows green`,
        hint,
      ),
    ];
  });
