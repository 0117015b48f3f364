import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { hasRole } from '../platform/auth/roles.js';
import { integerIn } from './args.js';
import { DEFAULT_URL, exitCodeForStatus, NexusClient } from './client.js';
import type { CliContext } from './context.js';
import { CliError, EXIT } from './output.js';

interface RunnerOptions {
  url: string;
  token?: string;
  name?: string;
  label: Record<string, string>;
  concurrency: number;
  workDir?: string;
}

const TOKEN_HINT = 'create one with `nexus tokens create --name runner-1 --role operator`';
// The same alphabet as NEXUS_LOCAL_RUNNER_LABELS and the `runner=` annotation (runners/schema.ts).
const LABEL = /^([A-Za-z0-9_./-]{1,63})=([A-Za-z0-9_./-]{0,63})$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

function collectLabel(value: string, previous: Record<string, string>): Record<string, string> {
  const match = LABEL.exec(value);
  if (!match) throw new InvalidArgumentError('expected key=value (letters, digits, _ . / -)');
  return { ...previous, [match[1]!]: match[2]! };
}

function parseName(value: string): string {
  if (!NAME.test(value)) throw new InvalidArgumentError('letters, digits, _ . - (up to 63), starting with a letter or digit');
  return value;
}

/** The host name, made fit for a runner id (a pod name already is). */
function defaultName(): string {
  const cleaned = os.hostname().replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return cleaned.slice(0, 63) || 'runner';
}

/** Checks the token once before serving; waits (with backoff) for a NEXUS that is not up yet. */
async function checkToken(ctx: CliContext, client: NexusClient, signal: AbortSignal): Promise<boolean> {
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      const me = await client.me();
      if (!hasRole(me.role, 'operator')) {
        throw new CliError(`this token acts as ${me.role}; a runner needs the operator role (${TOKEN_HINT})`, EXIT.unauthorized);
      }
      return true;
    } catch (error) {
      if (!(error instanceof CliError) || error.exitCode !== EXIT.unavailable) throw error;
      if (attempt === 0) ctx.out.note(`${new Date().toISOString()} waiting for NEXUS: ${error.message}`);
      await delay(Math.min(10_000, 250 * 2 ** attempt), undefined, { signal }).catch(() => {});
    }
  }
  return false;
}

async function runRunner(ctx: CliContext, options: RunnerOptions): Promise<void> {
  if (!options.token) throw new CliError(`a runner needs an API token with the operator role: --token or NEXUS_TOKEN (${TOKEN_HINT})`, EXIT.usage);
  const client = new NexusClient(options.url, options.token);
  // Loaded here: `nexus --help` and the API commands need none of this.
  const [{ loadConfig }, { RunnerAgent }, { RunnerHttp }, { describeSandbox, resolveSandbox }] = await Promise.all([
    import('../platform/config.js'),
    import('../runners/agent.js'),
    import('../runners/agent-http.js'),
    import('../runners/sandbox.js'),
  ]);
  const config = loadConfig(process.env);
  const workRoot = options.workDir ? path.resolve(options.workDir) : path.join(config.dataDir, 'runs');
  // bwrap mounts over both; they must exist (traversable, not listable).
  await fs.mkdir(workRoot, { recursive: true, mode: 0o711 });
  const sandbox = resolveSandbox({ mode: config.runs.sandbox, user: config.runs.runnerUser, hidden: [config.dataDir] });
  const name = options.name ?? defaultName();
  const log = (line: string) => ctx.out.note(`${new Date().toISOString()} ${line}`);
  const agent = new RunnerAgent({
    api: new RunnerHttp(client.baseUrl, options.token),
    runnerId: `${name}:${process.pid}`,
    name,
    labels: options.label,
    concurrency: options.concurrency,
    baseEnv: config.runs.baseEnv,
    // Its own credential is a secret a command could print, like NEXUS's.
    redact: [...config.runs.redactValues, options.token],
    workRoot,
    sandbox,
    log,
  });
  log(describeSandbox(sandbox));
  const stopped = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping (send it again to exit at once)`);
    stopped.abort();
    agent.stop(signal);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    if (!(await checkToken(ctx, client, stopped.signal))) return;
    const end = await agent.run();
    if (end.reason === 'refused') throw new CliError(`runner stopped: ${end.message}`, end.status === null ? EXIT.failure : exitCodeForStatus(end.status));
    log('runner stopped');
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

export function registerRunner(program: Command, ctx: CliContext): void {
  program
    .command('runner')
    .description('Run runbook commands for a NEXUS server: lease steps over HTTP, run them here, stream the output back')
    .addOption(new Option('--url <url>', 'NEXUS to serve').env('NEXUS_URL').default(DEFAULT_URL))
    .addOption(new Option('--token <token>', 'API token with the operator role').env('NEXUS_TOKEN'))
    .option('--name <name>', 'how runs and the audit log name this runner (default: the host name)', parseName)
    .addOption(new Option('--label <key=value>', 'serve commands whose runner= selector this satisfies (repeatable)').argParser(collectLabel).default({}, 'none'))
    .option('--concurrency <n>', 'commands run at once', integerIn(1, 64), 4)
    .option('--work-dir <dir>', 'where each run gets its working directory (default: $NEXUS_DATA_DIR/runs)')
    .action(async (options: RunnerOptions) => runRunner(ctx, options));
}
