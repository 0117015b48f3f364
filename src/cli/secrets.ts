import type { Command } from 'commander';
import type { Rotation } from '../maintenance/index.js';
import { durationUpTo, integerIn } from './args.js';
import type { CliContext } from './context.js';
import { cell, time, UsageError } from './output.js';

/** The API's limit (RotateBody.graceSeconds), checked here too so a typo fails before any request. */
const MAX_GRACE_SECONDS = 30 * 24 * 3600;

interface RotateOptions {
  revoke?: boolean;
  grace?: number;
  revokeApiTokens?: boolean;
  yes?: boolean;
  json?: boolean;
}

function describe(rotation: Rotation): string[] {
  const lines = [`Rotated the signing key (new key id ${rotation.keyId}).`];
  if (rotation.mode === 'revoke') {
    lines.push(`Every earlier key is revoked: all sessions have ended, yours included (${rotation.sessionsRevoked} users). Sign in again with \`nexus login\`.`);
  } else {
    lines.push(`Sessions and links signed before keep working until ${time(rotation.verifiesUntil)}; run with --revoke to end them now.`);
  }
  if (rotation.tokensRevoked > 0) {
    lines.push(`Revoked ${rotation.tokensRevoked} API tokens, any this command used included: make new ones with \`nexus tokens create\`.`);
  }
  if (rotation.kubernetesSecret) {
    lines.push('Wrote JWT_SECRET_KEY and JWT_SECRET_KEY_PREVIOUS into the Kubernetes Secret: pods read them at their next start (no restart is needed now).');
  }
  return lines;
}

async function rotate(ctx: CliContext, options: RotateOptions): Promise<void> {
  if (options.revoke && options.grace !== undefined) throw new UsageError('--revoke and --grace exclude each other: revoked keys have no grace');
  if (!options.yes) {
    const effect = options.revoke ? 'ends every session at once, yours included' : 'makes a new signing key current';
    throw new UsageError(`rotating ${effect}${options.revokeApiTokens ? ' and revokes every API token' : ''}; pass --yes to do it`);
  }
  const rotation = await ctx.client().rotateSecrets({
    ...(options.revoke ? { revokePrevious: true } : {}),
    ...(options.grace !== undefined ? { graceSeconds: options.grace } : {}),
    ...(options.revokeApiTokens ? { revokeApiTokens: true } : {}),
  });
  if (options.json) return ctx.out.json(rotation);
  for (const line of describe(rotation)) ctx.out.print(line);
}

async function history(ctx: CliContext, options: { limit: number; json?: boolean }): Promise<void> {
  const page = await ctx.client().listRotations({ limit: options.limit });
  if (options.json) return ctx.out.json({ items: page.items });
  const rows = page.items.map((r) => [
    time(r.at),
    cell(r.actor),
    r.mode === 'revoke' ? 'revoke' : `grace ${String(r.graceSeconds)} s`,
    String(r.sessionsRevoked),
    String(r.tokensRevoked),
    r.kubernetesSecret ? 'yes' : 'no',
    r.keyId,
  ]);
  ctx.out.table(['AT', 'BY', 'MODE', 'SESSIONS ENDED', 'TOKENS REVOKED', 'K8S SECRET', 'NEW KEY ID'], rows, 'No rotations yet.');
}

export function registerSecrets(program: Command, ctx: CliContext): void {
  const secrets = program.command('secrets').description('Rotate the keys NEXUS signs sessions and links with (admin)');
  secrets
    .command('rotate')
    .description('Make a new signing key current at once; earlier keys verify for a grace period, or not at all with --revoke')
    .option('--revoke', 'revoke every earlier key now: all sessions end, yours included')
    .option('--grace <duration>', 'how long earlier keys still verify, e.g. 30m, 24h (default: the server\'s, 24h)', durationUpTo(MAX_GRACE_SECONDS))
    .option('--revoke-api-tokens', 'revoke every API token as well')
    .option('--yes', 'do it (required: a rotation cannot be taken back)')
    .option('--json', 'print the rotation as JSON')
    .action((options: RotateOptions) => rotate(ctx, options));
  secrets
    .command('history')
    .description('Past rotations, newest first: who, when, how, and what they ended')
    .option('--limit <n>', 'how many, 1 to 500', integerIn(1, 500), 50)
    .option('--json', 'print JSON instead of text')
    .action((options: { limit: number; json?: boolean }) => history(ctx, options));
}
