import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { Role } from '../platform/auth/roles.js';
import { parseRole } from './args.js';
import type { CliContext } from './context.js';
import { promptHidden, readPasswordFromStdin } from './password.js';

interface LoginOptions {
  username: string;
  passwordStdin?: boolean;
  tokenName: string;
  role?: Role;
}

/**
 * Signs in, then trades the short-lived session for an API token: the
 * session JWT expires within hours, a token lasts and can be revoked alone.
 * Only the `export` line goes to stdout, so `eval "$(nexus login …)"` works.
 */
async function login(ctx: CliContext, options: LoginOptions): Promise<void> {
  const anonymous = ctx.client();
  const password = options.passwordStdin
    ? await readPasswordFromStdin(ctx.stdin)
    : await promptHidden(`Password for ${options.username} at ${anonymous.baseUrl}: `, ctx.stdin, ctx.prompt);
  const session = await anonymous.login({ username: options.username, password });
  const created = await anonymous.withToken(session.token).createToken({
    name: options.tokenName,
    ...(options.role !== undefined ? { role: options.role } : {}),
  });
  ctx.out.print(`export NEXUS_TOKEN=${created.token}`);
  ctx.out.note(
    `# Signed in to ${anonymous.baseUrl} as ${session.user.username}; API token "${created.info.name}" ` +
      `(role ${created.info.role}, id ${created.info.id}). Revoke it with: nexus tokens revoke ${created.info.id}`,
  );
}

export function registerLogin(program: Command, ctx: CliContext): void {
  program
    .command('login')
    .description('Sign in and print `export NEXUS_TOKEN=…` for a new API token: eval "$(nexus login --username alice)"')
    .requiredOption('--username <name>', 'your username')
    .option('--password-stdin', 'read the password from stdin (otherwise you are prompted)')
    .option('--token-name <name>', 'name of the API token to create', `nexus-cli@${hostname()}`)
    .option('--role <role>', 'role of the token, at most yours (default: yours)', parseRole)
    .action((options: LoginOptions) => login(ctx, options));
}
