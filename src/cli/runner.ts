import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Option, type Command } from 'commander';
import { integerIn } from './args.js';
import { DEFAULT_URL, exitCodeForStatus, NexusClient, type RunnerSelfView } from './client.js';
import type { CliContext } from './context.js';
import { CliError, EXIT, UsageError } from './output.js';

interface RunnerOptions {
  url: string;
  enrolmentToken?: string;
  credentialFile?: string;
  concurrency: number;
  workDir?: string;
}

const ENROL_HINT = 'an admin creates an enrolment token with `nexus runners enrol --name NAME --label key=value`';

/** Waits (with backoff) for a NEXUS that is not up yet; any other failure ends the runner. */
async function untilReachable<T>(ctx: CliContext, signal: AbortSignal, call: () => Promise<T>): Promise<T | null> {
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof CliError) || error.exitCode !== EXIT.unavailable) throw error;
      if (attempt === 0) ctx.out.note(`${new Date().toISOString()} waiting for NEXUS: ${error.message}`);
      await delay(Math.min(10_000, 250 * 2 ** attempt), undefined, { signal }).catch(() => {});
    }
  }
  return null;
}

async function readCredential(file: string): Promise<string | null> {
  try {
    const text = (await fs.readFile(file, 'utf8')).trim();
    return text === '' ? null : text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError(`cannot read the credential file ${file}: ${(error as Error).message}`, EXIT.config);
  }
}

/**
 * The runner's credential: from the file, or (first start) by exchanging
 * the one-time enrolment token and saving what NEXUS returns, mode 0600.
 * The file is created before the token is spent, so a directory the runner
 * cannot write to does not burn the enrolment.
 */
async function credentialFor(ctx: CliContext, options: RunnerOptions, client: NexusClient, signal: AbortSignal): Promise<string | null> {
  if (!options.credentialFile) {
    throw new UsageError(`--credential-file is required: where this runner keeps its credential (first start: with --enrolment-token; ${ENROL_HINT})`);
  }
  const file = path.resolve(options.credentialFile);
  const saved = await readCredential(file);
  if (saved) {
    if (options.enrolmentToken) ctx.out.note(`${new Date().toISOString()} using the credential in ${file}; the enrolment token is not needed any more`);
    return saved;
  }
  if (!options.enrolmentToken) throw new UsageError(`no credential in ${file} and no --enrolment-token to get one (${ENROL_HINT})`);
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'w', 0o600);
  } catch (error) {
    throw new CliError(`cannot write the credential file ${file}: ${(error as Error).message}`, EXIT.config);
  }
  try {
    // An existing empty file keeps its mode on open: make sure it is the runner's alone.
    await handle.chmod(0o600);
    const enrolled = await untilReachable(ctx, signal, () => client.enrol(options.enrolmentToken!));
    if (!enrolled) return null;
    await handle.writeFile(`${enrolled.credential}\n`);
    await handle.sync();
    ctx.out.note(`${new Date().toISOString()} enrolled as runner ${enrolled.runner.name} (id ${enrolled.runner.id}); credential saved to ${file}`);
    return enrolled.credential;
  } catch (error) {
    await handle.close();
    await fs.rm(file, { force: true });
    throw error;
  } finally {
    await handle.close().catch(() => {});
  }
}

async function runRunner(ctx: CliContext, options: RunnerOptions): Promise<void> {
  const stopped = new AbortController();
  const log = (line: string) => ctx.out.note(`${new Date().toISOString()} ${line}`);
  let agentStop: ((signal: NodeJS.Signals) => void) | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping (send it again to exit at once)`);
    stopped.abort();
    agentStop?.(signal);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    const anonymous = new NexusClient(options.url, undefined);
    const credential = await credentialFor(ctx, options, anonymous, stopped.signal);
    if (!credential) return;
    const client = anonymous.withToken(credential);
    // Loaded here: `nexus --help` and the API commands need none of this.
    const [{ loadConfig }, { RunnerAgent }, { RunnerHttp }, { describeSandbox, reachableWorkRoot, resolveSandbox }] = await Promise.all([
      import('../platform/config.js'),
      import('../runners/agent.js'),
      import('../runners/agent-http.js'),
      import('../runners/sandbox.js'),
    ]);
    const config = loadConfig(process.env);
    const preferred = options.workDir ? path.resolve(options.workDir) : path.join(config.dataDir, 'runs');
    // bwrap mounts over both; they must exist (traversable, not listable).
    await fs.mkdir(preferred, { recursive: true, mode: 0o711 });
    // The credential file is the agent user's alone (0600): commands run as the runner user cannot read it.
    const sandbox = resolveSandbox({ mode: config.runs.sandbox, user: config.runs.runnerUser, hidden: [config.dataDir] });
    const { root: workRoot, moved } = reachableWorkRoot(sandbox, preferred);
    await fs.mkdir(workRoot, { recursive: true, mode: 0o711 });
    if (moved) log(`${sandbox.user!.name} cannot reach ${preferred}; runs get their directories under ${workRoot}`);
    // Checks the credential once before serving, and learns the name and labels NEXUS gave this runner.
    const self: RunnerSelfView | null = await untilReachable(ctx, stopped.signal, () => client.runnerSelf());
    if (!self) return;
    const agent = new RunnerAgent({
      api: new RunnerHttp(client.baseUrl, credential),
      instance: String(process.pid),
      name: self.name,
      labels: self.labels,
      concurrency: options.concurrency,
      baseEnv: config.runs.baseEnv,
      // Its own credential is a secret a command could print, like NEXUS's.
      redact: [...config.runs.redactValues, credential],
      workRoot,
      sandbox,
      log,
    });
    log(describeSandbox(sandbox));
    agentStop = (signal) => agent.stop(signal);
    if (stopped.signal.aborted) return;
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
    .description(
      'Run runbook commands for a NEXUS server: lease steps over HTTP, run them here, stream the output back. ' +
        'The runner has its own identity: its name and labels are assigned by an admin at enrolment',
    )
    .addOption(new Option('--url <url>', 'NEXUS to serve').env('NEXUS_URL').default(DEFAULT_URL))
    .addOption(
      new Option('--enrolment-token <token>', 'one-time enrolment token (nxe_…) from `nexus runners enrol`; used once, at first start').env(
        'NEXUS_RUNNER_ENROLMENT_TOKEN',
      ),
    )
    .addOption(
      new Option('--credential-file <path>', "where the runner's own credential is kept (written at enrolment, mode 0600; read at every start)").env(
        'NEXUS_RUNNER_CREDENTIAL_FILE',
      ),
    )
    .option('--concurrency <n>', 'commands run at once', integerIn(1, 64), 4)
    .option('--work-dir <dir>', 'where each run gets its working directory (default: $NEXUS_DATA_DIR/runs)')
    .action(async (options: RunnerOptions) => runRunner(ctx, options));
}
