import fs from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Deployment, DeploymentBusEvent, DeploymentDetail } from '../deployments/index.js';
import { integerIn } from './args.js';
import type { NexusClient, ServerEvent } from './client.js';
import type { CliContext } from './context.js';
import { idArgument, ids } from './ids.js';
import { CliError, EXIT, UsageError, cell, time } from './output.js';

interface JsonOption {
  json?: boolean;
}
interface StartOptions extends JsonOption {
  upstream: string;
  stable?: { version: string; upstream: string };
  strategy?: string;
  router?: string;
  image?: string;
  step: CanaryStepArg[];
  analysis?: string;
  follow?: boolean;
  gate: string[];
  manualPromotion?: boolean;
  healthUrl?: string;
  scaleDownDelay?: number;
}
interface ListOptions extends JsonOption {
  service?: string;
  state?: string;
  limit?: number;
}

type CanaryStepArg = { kind: 'setWeight'; weight: number } | { kind: 'pause'; durationSeconds?: number } | { kind: 'analysis' } | { kind: 'gate'; url: string };

const STATES = ['progressing', 'paused', 'aborting', 'rolling_back', 'succeeded', 'aborted', 'failed', 'rolled_back'];
/** A NEXUS restarting is back within seconds; asking more often only adds noise. */
const RECONNECT_MS = 1000;
const FINISHED = new Set(['succeeded', 'aborted', 'failed', 'rolled_back']);
const deploymentId = idArgument('deployment');
const ID_ARG = 'deployment id, or a unique prefix of one';
const path = (id: string, tail = '') => `/api/v1/deployments/${encodeURIComponent(id)}${tail}`;

function oneOf(values: string[]) {
  return (value: string) => {
    if (!values.includes(value)) throw new InvalidArgumentError(`must be one of ${values.join(', ')}`);
    return value;
  };
}

/** `--step 10`, `--step pause`, `--step pause=60`, `--step analysis`, `--step gate=https://…`: the API's canary steps, in order. */
export function parseStep(value: string, previous: CanaryStepArg[]): CanaryStepArg[] {
  const [word = '', arg] = value.split(/=(.*)/s, 2);
  let step: CanaryStepArg;
  if (/^\d+$/.test(value)) step = { kind: 'setWeight', weight: integerIn(0, 100)(value) };
  else if (word === 'pause') step = arg === undefined ? { kind: 'pause' } : { kind: 'pause', durationSeconds: integerIn(1, 7 * 24 * 3600)(arg) };
  else if (word === 'analysis' && arg === undefined) step = { kind: 'analysis' };
  else if (word === 'gate' && arg) step = { kind: 'gate', url: arg };
  else throw new InvalidArgumentError('must be a weight (0-100), pause, pause=<seconds>, analysis or gate=<url>');
  return [...previous, step];
}

/** `v1=127.0.0.1:8081`: the version running now and where. */
function parseStable(value: string): { version: string; upstream: string } {
  const [version, upstream] = value.split('=', 2);
  if (!version || !upstream) throw new InvalidArgumentError('must be <version>=<host:port>, like v1=127.0.0.1:8081');
  return { version, upstream };
}

async function readAnalysis(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`);
  }
}

function weightCell(d: Deployment): string {
  return d.pendingWeight !== null && d.pendingWeight !== d.canaryWeight ? `${d.canaryWeight} % → ${d.pendingWeight} %` : `${d.canaryWeight} %`;
}

function describeStep(step: Deployment['steps'][number]): string {
  const spec = step.spec;
  switch (step.kind) {
    case 'setWeight':
      return `set weight ${String(spec.weight)} %`;
    case 'pause':
      return spec.durationSeconds === undefined ? 'pause until promoted' : `pause ${String(spec.durationSeconds)} s`;
    case 'gate':
      return `gate ${String(spec.url)}`;
    case 'healthCheck':
      return `health check ${Array.isArray(spec.paths) ? spec.paths.join(' ') : ''}${typeof spec.url === 'string' ? ` at ${spec.url}` : ''}`;
    default:
      return step.kind;
  }
}

/** The blue-green flags as the API's `blueGreen`; absent when none is given (the server refuses them for a canary). */
function blueGreenOptions(options: StartOptions): { blueGreen?: Record<string, unknown> } {
  const blueGreen = {
    ...(options.gate.length > 0 ? { gates: options.gate.map((url) => ({ url })) } : {}),
    ...(options.manualPromotion ? { autoPromotion: false } : {}),
    ...(options.healthUrl ? { healthUrl: options.healthUrl } : {}),
    ...(options.scaleDownDelay !== undefined ? { scaleDownDelaySeconds: options.scaleDownDelay } : {}),
  };
  return Object.keys(blueGreen).length > 0 ? { blueGreen } : {};
}

async function start(ctx: CliContext, service: string, version: string, options: StartOptions): Promise<void> {
  const client = ctx.client();
  const body = {
    service,
    version,
    upstream: options.upstream,
    ...(options.stable ? { stable: options.stable } : {}),
    ...(options.strategy ? { strategy: options.strategy } : {}),
    ...(options.router ? { router: options.router } : {}),
    ...(options.image ? { image: options.image } : {}),
    ...(options.step.length > 0 ? { steps: options.step } : {}),
    ...(options.analysis ? { analysis: await readAnalysis(options.analysis) } : {}),
    ...blueGreenOptions(options),
  };
  const created = await client.request<Deployment>('POST', '/api/v1/deployments', { body });
  if (options.follow) return follow(ctx, client, created.id, options);
  if (options.json) return ctx.out.json(created);
  ctx.out.print(`Deployment ${created.id}: ${created.strategy} of ${cell(created.service)} ${cell(created.version)} started (stable ${cell(created.stable.version)})`);
}

async function list(ctx: CliContext, options: ListOptions): Promise<void> {
  const client = ctx.client();
  const query = { service: options.service, state: options.state };
  const items: Deployment[] = [];
  const pages = client.paginate((page) => client.request<{ items: Deployment[]; next: string | null }>('GET', '/api/v1/deployments', { query: { ...query, ...page } }), options.limit ?? 50);
  for await (const d of pages) items.push(d);
  if (options.json) return ctx.out.json({ items });
  const rows = items.map((d) => [d.id, cell(d.service), cell(d.version), d.strategy, d.state, weightCell(d), `${d.currentStep}/${d.steps.length}`, time(d.createdAt)]);
  ctx.out.table(['ID', 'SERVICE', 'VERSION', 'STRATEGY', 'STATE', 'WEIGHT', 'STEP', 'CREATED'], rows, 'No deployments.');
}

function printStatus(ctx: CliContext, d: DeploymentDetail): void {
  ctx.out.print(`${cell(d.service)} ${cell(d.version)} ${d.strategy} [${d.state}] ${weightCell(d)} on ${cell(d.version)}, stable ${cell(d.stable.version)}`);
  ctx.out.print(`  id ${d.id}`);
  if (d.reason) ctx.out.print(`  reason ${cell(d.reason)}`);
  if (d.incidentId) ctx.out.print(`  incident ${d.incidentId}`);
  for (const step of d.steps) {
    const marker = step.index === d.currentStep && !FINISHED.has(d.state) ? '>' : ' ';
    ctx.out.print(`${marker} ${String(step.index).padStart(2)} ${cell(describeStep(step)).padEnd(34)} ${step.state}${step.message ? `: ${cell(step.message)}` : ''}`);
  }
  ctx.out.print('');
  ctx.out.table(['TIME', 'ACTOR', 'EVENT'], d.timeline.map((e) => [time(e.at), cell(e.actor), cell(e.summary)]), 'No events.');
}

async function status(ctx: CliContext, ref: string, options: JsonOption & { follow?: boolean }): Promise<void> {
  const client = ctx.client();
  const id = await ids(client).deployment(ref);
  if (options.follow) return follow(ctx, client, id, options);
  const detail = await client.request<DeploymentDetail>('GET', path(id));
  if (options.json) return ctx.out.json(detail);
  printStatus(ctx, detail);
}

/**
 * Streams the deployment's timeline (step, traffic, analysis, gate, actions)
 * as it happens, one line per event (one JSON object per line with --json),
 * until it ends: exit 0 when it succeeded, 1 when it ended otherwise. The
 * stream is opened before the deployment is read, so nothing between the
 * two is missed; a dropped stream is reopened and the timeline re-read.
 */
async function follow(ctx: CliContext, client: NexusClient, id: string, options: JsonOption): Promise<void> {
  const stop = new AbortController();
  let lastSeq = 0;
  let lastEventId: string | undefined;
  const emit = (e: DeploymentDetail['timeline'][number], weight: number, state: string) => {
    if (e.seq <= lastSeq) return;
    lastSeq = e.seq;
    if (options.json) ctx.out.print(JSON.stringify({ ...e, deployment: id, canaryWeight: weight, state }));
    else ctx.out.print(`${time(e.at)}  ${String(weight).padStart(3)} %  ${e.kind.padEnd(10)} ${cell(e.summary)}`);
  };
  const catchUp = async (): Promise<DeploymentDetail> => {
    const detail = await client.request<DeploymentDetail>('GET', path(id));
    for (const e of detail.timeline) emit(e, Number(e.data.weight ?? detail.canaryWeight), detail.state);
    return detail;
  };
  try {
    for (;;) {
      let stream: AsyncGenerator<ServerEvent>;
      try {
        stream = await client.openEvents('deployment.', { signal: stop.signal, ...(lastEventId ? { lastEventId } : {}) });
      } catch (error) {
        if (error instanceof CliError && error.exitCode === EXIT.unavailable) {
          await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
          continue;
        }
        throw error;
      }
      let detail = await catchUp();
      if (FINISHED.has(detail.state)) return finish(detail.state);
      for await (const event of stream) {
        if (event.id) lastEventId = event.id;
        if (event.event === 'reset') {
          detail = await catchUp();
        } else {
          const bus = (event.data as { data?: DeploymentBusEvent } | null)?.data;
          if (bus?.deploymentId !== id) continue;
          emit(bus.event, bus.canaryWeight, bus.state);
          detail = { ...detail, state: bus.state };
        }
        if (FINISHED.has(detail.state)) return finish(detail.state);
      }
    }
  } finally {
    stop.abort();
  }
}

function finish(state: string): void {
  if (state !== 'succeeded') throw new CliError(`the deployment ended ${state.replace('_', ' ')}`, EXIT.failure);
}

type Action = 'promote' | 'pause' | 'resume' | 'abort' | 'rollback';

const ACTIONS: Array<{ action: Action; description: string; reason: boolean }> = [
  { action: 'promote', description: 'Skip the pause, analysis or gate it waits in and go on (--full: straight to 100 %)', reason: false },
  { action: 'pause', description: 'Hold the deployment where it is until resumed', reason: true },
  { action: 'resume', description: 'Go on after a pause (an inconclusive analysis is measured again)', reason: false },
  { action: 'abort', description: 'All traffic back on the stable version', reason: true },
  { action: 'rollback', description: 'Like abort during a rollout; after a promotion, the previous version takes all traffic again', reason: true },
];

async function act(ctx: CliContext, ref: string, action: Action, options: JsonOption & { reason?: string; full?: boolean }): Promise<void> {
  const client = ctx.client();
  const id = await ids(client).deployment(ref);
  const body = action === 'promote' ? (options.full ? { full: true } : {}) : options.reason ? { reason: options.reason } : {};
  const d = await client.request<Deployment>('POST', path(id, `/${action}`), { body });
  if (options.json) return ctx.out.json(d);
  ctx.out.print(`Deployment ${d.id} is ${d.state} (${weightCell(d)} on ${cell(d.version)})`);
}

/** `nexus deploy start|status|list|promote|pause|resume|abort|rollback`. */
export function registerDeployCommands(program: Command, ctx: CliContext): Command {
  const group = program.command('deploy').description('Deployments: start a canary or blue-green rollout, follow it, promote, pause, abort, roll back');
  group
    .command('start')
    .description('Start a deployment of <version> of <service> (operator)')
    .argument('<service>', 'the service (its router entry)')
    .argument('<version>', 'the new version')
    .requiredOption('--upstream <host:port>', 'where the new version answers')
    .option('--stable <version=host:port>', "what runs now; needed for a service's first deployment", parseStable)
    .addOption(new Option('--strategy <strategy>', 'canary (default) or blue-green').choices(['canary', 'blue-green']))
    .option('--router <kind>', 'the traffic router (default nginx)')
    .option('--image <image>', 'the new version\'s image')
    .addOption(new Option('--step <step>', 'a canary step, in order: a weight, pause, pause=<seconds>, analysis, gate=<url> (repeatable)').argParser(parseStep).default([], 'the seed\'s 10/25/50/100'))
    .option('--analysis <file>', 'JSON file with the analysis (metrics, intervalSeconds, count, failureLimit, …)')
    .addOption(
      new Option('--gate <url>', 'blue-green: a webhook that must answer 2xx before the switch (repeatable, asked in order)')
        .argParser((value: string, previous: string[]) => [...previous, value])
        .default([], 'none'),
    )
    .option('--manual-promotion', 'blue-green: wait for `nexus deploy promote` before the switch')
    .option('--health-url <url>', 'blue-green: base URL of the new colour for /health and /api/health (needed for a real HTTP check through istio or gateway-api)')
    .option('--scale-down-delay <seconds>', 'blue-green: how long the old colour stays ready after the switch (default 30)', integerIn(0, 7 * 24 * 3600))
    .option('--follow', 'stream its progress until it ends (exit 1 unless it succeeded)')
    .option('--json', 'print JSON')
    .action((service: string, version: string, o: StartOptions) => start(ctx, service, version, o));
  group
    .command('list')
    .description('Deployments, newest first')
    .option('--service <name>', 'only this service')
    .option('--state <state>', `only this state (${STATES.join(', ')})`, oneOf(STATES))
    .option('--limit <n>', 'at most this many (default 50)', integerIn(1, 100_000))
    .option('--json', 'print JSON')
    .action((o: ListOptions) => list(ctx, o));
  group
    .command('status')
    .description('One deployment: its steps, weight and timeline')
    .argument('<id>', ID_ARG, deploymentId)
    .option('--follow', 'stream step, traffic and analysis events until it ends (exit 1 unless it succeeded)')
    .option('--json', 'print JSON (with --follow: one event per line)')
    .action((id: string, o: JsonOption & { follow?: boolean }) => status(ctx, id, o));
  for (const { action, description, reason } of ACTIONS) {
    const command = group.command(action).description(`${description} (operator)`).argument('<id>', ID_ARG, deploymentId);
    if (reason) command.option('--reason <text>', 'why, on the timeline and in the audit log');
    if (action === 'promote') command.option('--full', 'skip every remaining pause, analysis and gate');
    command.option('--json', 'print JSON').action((id: string, o: JsonOption & { reason?: string; full?: boolean }) => act(ctx, id, action, o));
  }
  return group;
}
