import { commandsOf, type Command, type ParsedRunbook, type Procedure } from '../model.js';
import { parameterSpecs, toParamName, type ParamSpec } from '../parameters.js';
import type { Finding, Severity } from './schema.js';
import { invocation, lexCommand, positionals, type Invocation, type Word } from './shell.js';

/** One command of the runbook, read once and shared by every rule. */
export interface LintTarget {
  procedure: Procedure;
  command: Command;
  /**
   * Each simple command (pipeline parts and `$(…)` bodies included) and what
   * it runs, followed by what it runs inside containers and `sh -c` scripts.
   */
  calls: Invocation[];
}

export interface LintContext {
  runbook: ParsedRunbook;
  targets: LintTarget[];
  /** Front matter `parameters:` with their types, by the environment names runs pass them in. */
  parameters: Map<string, ParamSpec>;
  /** The runbook drives Kubernetes: then `docker …` on the runner is probably a mistake. */
  usesKubectl: boolean;
}

/** `$S3_BUCKET`, `${S3_BUCKET}`, `<affected-pod>`, `affected-pod` → `S3_BUCKET`, `AFFECTED_POD`. */
export const toParam = toParamName;

/** The front matter's `parameters:` (a list of names, of `{ name, type, … }` objects, or a map keyed by name). */
export function declaredParameters(frontMatter: Record<string, unknown>): Map<string, ParamSpec> {
  return parameterSpecs(frontMatter);
}

export function buildContext(runbook: ParsedRunbook): LintContext {
  const targets = runbook.procedures.flatMap((procedure) =>
    commandsOf(procedure).map(({ command }) => ({
      procedure,
      command,
      calls: expandCalls(lexCommand(command.text).map((simple) => invocation(simple))),
    })),
  );
  return {
    runbook,
    targets,
    parameters: declaredParameters(runbook.frontMatter),
    usesKubectl: targets.some((t) => t.calls.some(isKubectl)),
  };
}

export function finding(target: LintTarget, rule: string, severity: Severity, message: string, hint: string): Finding {
  return { rule, severity, line: target.command.line, message, hint, procedureId: target.procedure.id, commandId: target.command.id };
}

/** A rule that needs nothing but the runbook itself. */
export type StaticRule = (target: LintTarget, context: LintContext) => Finding[];

/** kubectl and its OpenShift twin take the same flags. */
export const isKubectl = (call: Invocation) => call.program === 'kubectl' || call.program === 'oc';

/** kubectl's positional words, options skipped: `kubectl -n ns rollout restart deploy/x` → rollout, restart, deploy/x. */
export function kubectlVerbs(call: Invocation): string[] {
  return positionals(call.args, KUBECTL_VALUE_FLAGS).map((word) => word.value);
}

/** kubectl options that take a value, so the value is not mistaken for a verb or resource. */
export const KUBECTL_VALUE_FLAGS = new Set([
  '-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-s', '--server', '--token',
  '-c', '--container', '-l', '--selector', '-o', '--output', '--tail', '--since', '--since-time', '-f', '--filename',
  '--field-selector', '--sort-by', '--type', '-p', '--patch', '--replicas', '--timeout', '--image', '--from-literal',
  '--from-file', '-k', '--kustomize', '--pod-running-timeout', '--request-timeout',
]);

/**
 * The command `kubectl exec … -- cmd` or `docker exec ctr cmd` runs inside
 * the container, as an invocation of its own, so rules about `psql -c` or
 * `tail -f` see it too. Null when the call runs nothing remote.
 */
export function remoteInvocation(call: Invocation): Invocation | null {
  let words: Word[] = [];
  if (isKubectl(call) && kubectlVerbs(call)[0] === 'exec') {
    const dashes = call.args.findIndex((arg) => arg.value === '--');
    if (dashes !== -1) words = call.args.slice(dashes + 1);
  } else if ((call.program === 'docker' || call.program === 'podman') && call.args[0]?.value === 'exec') {
    const rest = call.args.slice(1);
    const container = positionals(rest, DOCKER_VALUE_FLAGS)[0];
    if (container) words = rest.slice(rest.indexOf(container) + 1);
  }
  if (words.length === 0) return null;
  return invocation({ ...call.command, words }, 'container');
}

const DOCKER_VALUE_FLAGS = new Set(['-e', '--env', '-u', '--user', '-w', '--workdir', '--env-file', '--detach-keys']);

/** `sh -c 'script'`, `bash -lc "script"`: the script, which runs as commands of its own. */
function shellScript(call: Invocation): string | null {
  if (!['sh', 'bash', 'dash', 'zsh', 'ash'].includes(call.program)) return null;
  const at = call.args.findIndex((arg) => /^-[a-z]*c[a-z]*$/.test(arg.value));
  return at === -1 ? null : (call.args[at + 1]?.value ?? null);
}

/**
 * Every invocation a command makes: on the runner, inside containers
 * (`kubectl exec … --`) and inside `sh -c` scripts, so `psql -c` or
 * `tail -f` is seen wherever it runs.
 */
export function expandCalls(calls: Invocation[], depth = 0): Invocation[] {
  return calls.flatMap((call) => {
    const inner: Invocation[] = [];
    const remote = remoteInvocation(call);
    if (remote) inner.push(remote);
    const script = shellScript(call);
    if (script !== null) inner.push(...lexCommand(script).map((command) => invocation(command, 'script')));
    return [call, ...(depth < 3 ? expandCalls(inner, depth + 1) : inner)];
  });
}
