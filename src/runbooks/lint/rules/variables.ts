import type { Finding } from '../schema.js';
import { finding, remoteInvocation, toParam, type LintContext, type LintTarget } from '../context.js';
import { assignmentName, shellQuote, type Invocation, type Word } from '../shell.js';

/**
 * unresolved-placeholder: a value nobody gives. The seed's `$S3_BUCKET`,
 * `<affected-pod>` and `$GREEN_IP` (never assigned, unlike `$BLUE_IP`) would
 * run as empty strings or literal text. A variable is resolved when an
 * earlier command of the same procedure assigns it (runs carry assignments
 * forward), when the front matter declares it as a parameter, or when every
 * shell has it (HOME, PATH…).
 *
 * remote-var-expands-locally: in `kubectl exec … -- psql "$DATABASE_URL"`
 * the runner's shell expands the variable before kubectl runs; the pod,
 * where DATABASE_URL is set, receives an empty string (seed P1 step 4).
 */

const WELL_KNOWN = new Set([
  'HOME', 'PATH', 'USER', 'LOGNAME', 'PWD', 'OLDPWD', 'SHELL', 'HOSTNAME', 'HOSTTYPE', 'OSTYPE', 'TMPDIR', 'LANG',
  'LC_ALL', 'TERM', 'UID', 'EUID', 'PPID', 'RANDOM', 'SECONDS', 'LINENO', 'BASH', 'BASH_VERSION', 'BASHPID', 'IFS',
]);

/** Names a command defines for itself and later commands: `X=…`, `export X=…`, `for X in`, `read X`. */
function definedBy(target: LintTarget): Set<string> {
  const names = new Set(target.command.assigns);
  for (const call of target.calls) {
    if (call.where !== 'runner') continue;
    call.assigns.forEach((name) => names.add(name));
    const values = call.args.map((arg) => arg.value);
    if (['export', 'local', 'declare', 'readonly'].includes(call.program)) {
      call.args.map(assignmentName).forEach((name) => name && names.add(name));
    }
    if (call.program === 'for' && values[1] === 'in' && values[0]) names.add(values[0]);
    if (call.program === 'read') values.filter((v) => !v.startsWith('-')).forEach((v) => names.add(v));
  }
  return names;
}

interface Use {
  name: string;
  raw: string;
  remote: Invocation | null;
}

/** Each variable the runner's shell expands, once, noting whether it sits in a container's command line. */
function localExpansions(target: LintTarget): Use[] {
  const uses = new Map<string, Use>();
  for (const call of target.calls) {
    if (call.where !== 'runner') continue;
    const remote = remoteInvocation(call);
    const remoteWords = new Set<Word>(remote?.command.words ?? []);
    for (const word of call.command.words) {
      for (const expansion of word.expansions) {
        // `${VAR:-default}` has a value either way.
        if (/^\$\{\w+:?[-=]/.test(expansion.raw)) continue;
        const inRemote = remoteWords.has(word);
        const key = `${expansion.name}:${inRemote}`;
        if (!uses.has(key)) uses.set(key, { name: expansion.name, raw: expansion.raw, remote: inRemote ? remote : null });
      }
    }
  }
  return [...uses.values()];
}

function remoteHint(remote: Invocation): string {
  const words = remote.command.words;
  // Already `sh -c "…"`: the double quotes are what let the runner expand it.
  const script = ['sh', 'bash'].includes(remote.program) ? remote.args.find((_, k) => remote.args[k - 1]?.value === '-c') : undefined;
  const source = script ? script.value : remote.command.source.slice(words[0]!.start, words[words.length - 1]!.end);
  return `let the container's shell expand it: -- sh -c ${shellQuote(source)}`;
}

function checkTarget(target: LintTarget, known: (name: string) => boolean): Finding[] {
  const findings: Finding[] = [];
  for (const use of localExpansions(target)) {
    if (known(use.name)) continue;
    if (use.remote) {
      findings.push(
        finding(target, 'remote-var-expands-locally', 'warning', `${use.raw} is expanded by the shell on the runner, not inside the container where it is set`, remoteHint(use.remote)),
      );
    } else {
      findings.push(
        finding(target, 'unresolved-placeholder', 'warning', `${use.raw} is never assigned by an earlier command of this procedure and is not a declared parameter`, declareHint(use.name)),
      );
    }
  }
  for (const placeholder of target.command.placeholders) {
    if (placeholder.syntax !== 'angle' || known(placeholder.param) || known(toParam(placeholder.raw))) continue;
    const message = `${placeholder.raw} is a placeholder with no declared parameter: nobody is told what to give it, and a shell reads it as a redirection`;
    findings.push(finding(target, 'unresolved-placeholder', 'warning', message, declareHint(placeholder.raw)));
  }
  return findings;
}

function declareHint(name: string): string {
  return `declare it in the front matter (parameters: [{name: ${toParam(name)}, description: …, example: …}]) so a run asks for it, or assign it in an earlier command`;
}

export function unresolvedVariables(context: LintContext): Finding[] {
  const findings: Finding[] = [];
  let procedureId: string | null = null;
  let assigned = new Set<string>();
  for (const target of context.targets) {
    if (target.procedure.id !== procedureId) {
      procedureId = target.procedure.id;
      assigned = new Set();
    }
    // A command's own assignments count for itself: `X=$(…); curl "$X"` is fine.
    definedBy(target).forEach((name) => assigned.add(name));
    const known = (name: string) =>
      assigned.has(name) || WELL_KNOWN.has(name) || context.parameters.has(toParam(name)) || /^\d+$/.test(name);
    findings.push(...checkTarget(target, known));
  }
  return findings;
}
