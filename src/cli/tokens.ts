import type { Command } from 'commander';
import type { Role } from '../platform/auth/roles.js';
import { integerIn, parseRole } from './args.js';
import type { ApiTokenView, CreatedTokenView, NexusClient } from './client.js';
import type { CliContext } from './context.js';
import { idArgument, ids } from './ids.js';
import { cell, time } from './output.js';

interface ListOptions {
  all?: boolean;
  json?: boolean;
}

interface CreateOptions {
  name: string;
  role?: Role;
  expiresInDays?: number;
  json?: boolean;
}

function status(token: ApiTokenView, now: number): string {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

/** Owner names for `--all`; tokens carry only the owner's id. */
async function usernamesById(client: NexusClient): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for await (const user of client.paginate((page) => client.listUsers(page))) names.set(user.id, user.username);
  return names;
}

async function listTokens(ctx: CliContext, options: ListOptions): Promise<void> {
  const client = ctx.client();
  const scope = options.all ? 'all' : 'mine';
  const tokens: ApiTokenView[] = [];
  for await (const token of client.paginate((page) => client.listTokens({ ...page, scope }))) tokens.push(token);
  if (options.json) return ctx.out.json({ items: tokens });
  const owners = options.all ? await usernamesById(client) : undefined;
  const now = Date.now();
  const rows = tokens.map((token) => [
    token.id,
    cell(token.name),
    token.prefix,
    token.role,
    ...(owners ? [cell(owners.get(token.ownerId) ?? token.ownerId)] : []),
    status(token, now),
    time(token.createdAt),
    time(token.expiresAt),
    time(token.lastUsedAt),
  ]);
  const headers = ['ID', 'NAME', 'PREFIX', 'ROLE', ...(owners ? ['OWNER'] : []), 'STATUS', 'CREATED', 'EXPIRES', 'LAST USED'];
  ctx.out.table(headers, rows, 'No API tokens.');
}

function printCreated(ctx: CliContext, created: CreatedTokenView): void {
  const { info } = created;
  const expires = info.expiresAt ? `expires ${time(info.expiresAt)}` : 'never expires';
  ctx.out.note(`Created API token "${cell(info.name)}" (role ${info.role}, ${expires}), id ${info.id}.`);
  ctx.out.print(created.token);
  ctx.out.note('Copy it now: it is shown only this once (NEXUS keeps only a hash). Use it as NEXUS_TOKEN.');
}

async function createToken(ctx: CliContext, options: CreateOptions): Promise<void> {
  const created = await ctx.client().createToken({
    name: options.name,
    ...(options.role !== undefined ? { role: options.role } : {}),
    ...(options.expiresInDays !== undefined ? { expiresInDays: options.expiresInDays } : {}),
  });
  if (options.json) return ctx.out.json(created);
  printCreated(ctx, created);
}

async function revokeToken(ctx: CliContext, ref: string): Promise<void> {
  const client = ctx.client();
  const token = await client.revokeToken(await ids(client).token(ref));
  ctx.out.print(`Revoked API token "${cell(token.name)}" (${token.prefix}…), id ${token.id}`);
}

export function registerTokens(program: Command, ctx: CliContext): void {
  const tokens = program.command('tokens').description('Manage API tokens (for scripts, CI and runners)');
  tokens
    .command('list')
    .description('List your API tokens')
    .option('--all', "everyone's tokens (admin)")
    .option('--json', 'print JSON instead of text')
    .action((options: ListOptions) => listTokens(ctx, options));
  tokens
    .command('create')
    .description('Create an API token; it is printed once and cannot be shown again')
    .requiredOption('--name <name>', 'what the token is for, e.g. "ci deploy"')
    .option('--role <role>', 'role of the token, at most yours (default: yours)', parseRole)
    .option('--expires-in-days <days>', 'lifetime in days, 1 to 3650 (default: no expiry)', integerIn(1, 3650))
    .option('--json', 'print {token, info} as JSON')
    .action((options: CreateOptions) => createToken(ctx, options));
  tokens
    .command('revoke')
    .argument('<id>', 'the token id (see `nexus tokens list`), or a unique prefix of it', idArgument('API token'))
    .description('Revoke an API token; it stops working at once')
    .action((id: string) => revokeToken(ctx, id));
}
