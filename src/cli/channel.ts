import { InvalidArgumentError, type Command } from 'commander';
import type { Channel, ChannelTestResult } from '../notify/index.js';
import { isUuid } from '../platform/uuid.js';
import type { CliContext } from './context.js';
import { cell, CliError, EXIT, time } from './output.js';

interface JsonOption {
  json?: boolean;
}

/** The shape the server accepts (notify/schema.ts Phone); the server checks E.164 itself. */
function phone(value: string): string {
  if (!/^\+[0-9][0-9 ().-]*[0-9]$/.test(value)) throw new InvalidArgumentError('must be a phone number in international form, like +14155550100');
  return value;
}

async function allChannels(ctx: CliContext): Promise<Channel[]> {
  const client = ctx.client();
  const items: Channel[] = [];
  for await (const channel of client.paginate((page) => client.request<{ items: Channel[]; next: string | null }>('GET', '/api/v1/channels', { query: page }))) {
    items.push(channel);
  }
  return items;
}

/** Where a channel sends, as the API shows it (never a URL's path or a secret). */
function destination(channel: Channel): string {
  const { settings } = channel;
  if (channel.kind === 'email') return channel.address ?? '';
  if (channel.kind === 'telegram') return `chat ${settings.chatId ?? '?'}${channel.url ? ` via ${channel.url}` : ''}`;
  if (channel.kind === 'sms' || channel.kind === 'voice') return `from ${settings.from ?? '?'}${channel.url ? ` via ${channel.url}` : ''}`;
  return channel.url ?? (channel.usesDefaultWebhook ? 'server default webhook' : '');
}

async function list(ctx: CliContext, options: JsonOption): Promise<void> {
  const items = await allChannels(ctx);
  if (options.json) return ctx.out.json({ items });
  const state = (c: Channel) => (c.unreadable ? 'unreadable' : c.enabled ? 'enabled' : 'disabled');
  const rows = items.map((c) => [c.id, cell(c.name), c.kind, state(c), cell(destination(c)), c.secretSet ? 'yes' : 'no', time(c.updatedAt)]);
  ctx.out.table(['ID', 'NAME', 'KIND', 'STATE', 'SENDS TO', 'SECRET', 'UPDATED'], rows, 'No channels.');
}

async function test(ctx: CliContext, which: string, options: JsonOption & { to?: string }): Promise<void> {
  let id = which;
  if (!isUuid(which)) {
    const found = (await allChannels(ctx)).find((c) => c.name === which);
    if (!found) throw new CliError(`no channel named "${which}" (nexus channel list shows them)`, EXIT.notFound);
    id = found.id;
  }
  const result = await ctx.client().request<ChannelTestResult>('POST', `/api/v1/channels/${encodeURIComponent(id)}/test`, {
    body: options.to ? { to: options.to } : {},
  });
  if (options.json) ctx.out.json(result);
  else if (result.outcome === 'sent') ctx.out.print(`Sent a test message to ${cell(result.to)} (${result.durationMs} ms)`);
  if (result.outcome !== 'sent') throw new CliError(`the test message to ${result.to} failed: ${result.reason ?? 'unknown reason'}`, EXIT.failure);
}

/** `nexus channel list|test` (admin). */
export function registerChannelCommands(program: Command, ctx: CliContext): void {
  const group = program.command('channel').description('Notification channels: list them, send a test message (admin)');
  group.command('list').description('Channels with their kind and where they send').option('--json', 'print JSON').action((o: JsonOption) => list(ctx, o));
  group
    .command('test')
    .description('Send a test message through a channel now and report how it went (exit 1 when it failed)')
    .argument('<channel>', 'channel name or id')
    .option('--to <phone>', 'sms and voice channels: the number to text or call, +E.164', phone)
    .option('--json', 'print the outcome as JSON')
    .action((which: string, o: JsonOption & { to?: string }) => test(ctx, which, o));
}
