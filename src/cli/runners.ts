import { InvalidArgumentError, Option, type Command } from 'commander';
import { integerIn } from './args.js';
import type { CreatedEnrolmentView, RunnerView } from './client.js';
import type { CliContext } from './context.js';
import { idArgument, ids } from './ids.js';
import { cell, time } from './output.js';

interface EnrolOptions {
  name: string;
  label: Record<string, string>;
  expiresInMinutes: number;
  json?: boolean;
}

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

const shownLabels = (labels: Record<string, string>) =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',') || '-';

function printEnrolment(ctx: CliContext, created: CreatedEnrolmentView): void {
  const { runner } = created;
  ctx.out.note(`Enrolment for runner "${cell(runner.name)}" (labels ${shownLabels(runner.labels)}), id ${runner.id}; usable once, until ${time(runner.enrolmentExpiresAt)}.`);
  ctx.out.print(created.enrolmentToken);
  ctx.out.note('Copy it now: it is shown only this once. On the runner machine, first start:');
  ctx.out.note('  nexus runner --url <NEXUS url> --enrolment-token <token> --credential-file /var/lib/nexus-runner/credential');
  ctx.out.note('Later starts need only --credential-file.');
}

async function enrol(ctx: CliContext, options: EnrolOptions): Promise<void> {
  const created = await ctx.client().createEnrolment({ name: options.name, labels: options.label, expiresInMinutes: options.expiresInMinutes });
  if (options.json) return ctx.out.json(created);
  printEnrolment(ctx, created);
}

async function list(ctx: CliContext, options: { json?: boolean }): Promise<void> {
  const client = ctx.client();
  const runners: RunnerView[] = [];
  for await (const runner of client.paginate((page) => client.listRunners(page))) runners.push(runner);
  if (options.json) return ctx.out.json({ items: runners });
  const rows = runners.map((r) => [r.id, cell(r.name), cell(shownLabels(r.labels)), r.state, r.credentialPrefix ?? '-', time(r.createdAt), time(r.enrolledAt), time(r.lastSeenAt)]);
  ctx.out.table(['ID', 'NAME', 'LABELS', 'STATE', 'CREDENTIAL', 'CREATED', 'ENROLLED', 'LAST SEEN'], rows, 'No runners.');
}

async function revoke(ctx: CliContext, ref: string): Promise<void> {
  const client = ctx.client();
  const runner = await client.revokeRunner(await ids(client).runner(ref));
  ctx.out.print(`Revoked runner "${cell(runner.name)}", id ${runner.id}: its credential no longer works`);
}

export function registerRunners(program: Command, ctx: CliContext): void {
  const runners = program.command('runners').description('Enrol, list and revoke remote runners (admin)');
  runners
    .command('enrol')
    .description('Create a one-time enrolment token for a runner; the name and labels are the server\'s to give')
    .requiredOption('--name <name>', 'how runs and the audit log name the runner', parseName)
    .addOption(new Option('--label <key=value>', 'a label the runner serves (runner= selectors match these; repeatable)').argParser(collectLabel).default({}, 'none'))
    .option('--expires-in-minutes <n>', 'how long the token may be used, 1 to 10080', integerIn(1, 7 * 24 * 60), 60)
    .option('--json', 'print {enrolmentToken, runner} as JSON')
    .action((options: EnrolOptions) => enrol(ctx, options));
  runners
    .command('list')
    .description('Enrolled runners and pending enrolments')
    .option('--json', 'print JSON instead of text')
    .action((options: { json?: boolean }) => list(ctx, options));
  runners
    .command('revoke')
    .argument('<id>', 'the runner id (see `nexus runners list`), or a unique prefix of it', idArgument('runner'))
    .description('Revoke a runner or an unused enrolment; its credential stops working at once')
    .action((id: string) => revoke(ctx, id));
}
