import type { Command } from 'commander';
import type { Role } from '../platform/auth/roles.js';
import { isUuid } from '../platform/uuid.js';
import { parseRole } from './args.js';
import type { NexusClient, UserView } from './client.js';
import type { CliContext } from './context.js';
import { CliError, EXIT, cell, time } from './output.js';
import { idStartsWith, isIdOrPrefix, matchPrefix } from './ids.js';
import { generatePassword, readPasswordFromStdin } from './password.js';

interface JsonOption {
  json?: boolean;
}

interface CreateOptions extends JsonOption {
  role: Role;
  displayName?: string;
  email?: string;
  passwordStdin?: boolean;
}

interface PasswordOptions extends JsonOption {
  passwordStdin?: boolean;
}

/**
 * A user by id, username or unique id prefix. The API addresses users by id
 * only; people think in usernames, so a name is looked up by walking the
 * list. A username wins over an id prefix that looks the same ("deadbeef").
 */
export async function resolveUser(client: NexusClient, ref: string): Promise<UserView> {
  if (isUuid(ref)) {
    try {
      return await client.getUser(ref.toLowerCase());
    } catch (error) {
      // A username may look like a UUID (the pattern allows it); try that before giving up.
      if (!(error instanceof CliError && error.exitCode === EXIT.notFound)) throw error;
    }
  }
  const users: UserView[] = [];
  for await (const user of client.paginate((page) => client.listUsers(page))) {
    if (user.username === ref) return user;
    users.push(user);
  }
  if (!isIdOrPrefix(ref) || isUuid(ref)) throw new CliError(`no user named ${JSON.stringify(ref)}`, EXIT.notFound);
  const matching = users.filter((user) => idStartsWith(user.id, ref));
  if (matching.length === 0) throw new CliError(`no user named ${JSON.stringify(ref)}, and no user id starts with it`, EXIT.notFound);
  const id = await matchPrefix('user', ref, matching.map((user) => ({ id: user.id, label: user.username })));
  return matching.find((user) => user.id === id)!;
}

function userRow(user: UserView): string[] {
  return [
    cell(user.username),
    user.role,
    user.disabled ? 'disabled' : 'active',
    cell(user.displayName),
    cell(user.email),
    time(user.createdAt),
    user.id,
  ];
}

async function listUsers(ctx: CliContext, options: JsonOption): Promise<void> {
  const client = ctx.client();
  const users: UserView[] = [];
  for await (const user of client.paginate((page) => client.listUsers(page))) users.push(user);
  if (options.json) return ctx.out.json({ items: users });
  ctx.out.table(['USERNAME', 'ROLE', 'STATUS', 'DISPLAY NAME', 'EMAIL', 'CREATED', 'ID'], users.map(userRow), 'No users.');
}

/** The password to set: from stdin if asked, else a generated one that is printed once. */
async function chosenPassword(ctx: CliContext, fromStdin: boolean | undefined) {
  if (fromStdin) return { password: await readPasswordFromStdin(ctx.stdin), generated: false };
  return { password: generatePassword(), generated: true };
}

/** The password alone on stdout, so `PASSWORD=$(nexus users create …)` captures exactly it; the rest is for the person. */
function printPassword(ctx: CliContext, user: UserView, password: string): void {
  ctx.out.note(`Password for ${user.username} (on stdout):`);
  ctx.out.print(password);
  ctx.out.note('It is not stored anywhere readable and will not be shown again; hand it over securely.');
}

async function createUser(ctx: CliContext, username: string, options: CreateOptions): Promise<void> {
  const { password, generated } = await chosenPassword(ctx, options.passwordStdin);
  const user = await ctx.client().createUser({
    username,
    password,
    role: options.role,
    ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
    ...(options.email !== undefined ? { email: options.email } : {}),
  });
  if (options.json) return ctx.out.json(generated ? { user, password } : { user });
  const created = `Created user ${user.username} (${user.role}), id ${user.id}`;
  if (!generated) return ctx.out.print(created);
  ctx.out.note(created);
  printPassword(ctx, user, password);
}

async function setRole(ctx: CliContext, ref: string, role: Role, options: JsonOption): Promise<void> {
  const client = ctx.client();
  const before = await resolveUser(client, ref);
  const user = await client.updateUser(before.id, { role });
  if (options.json) return ctx.out.json(user);
  ctx.out.print(`${user.username}: role ${before.role} -> ${user.role}`);
}

async function setDisabled(ctx: CliContext, ref: string, disabled: boolean, options: JsonOption): Promise<void> {
  const client = ctx.client();
  const user = await client.updateUser((await resolveUser(client, ref)).id, { disabled });
  if (options.json) return ctx.out.json(user);
  ctx.out.print(`${user.username}: ${disabled ? 'disabled (sessions and API tokens stop working)' : 'enabled'}`);
}

async function resetPassword(ctx: CliContext, ref: string, options: PasswordOptions): Promise<void> {
  const client = ctx.client();
  const target = await resolveUser(client, ref);
  const { password, generated } = await chosenPassword(ctx, options.passwordStdin);
  const user = await client.updateUser(target.id, { password });
  if (options.json) return ctx.out.json(generated ? { user, password } : { user });
  const done = `${user.username}: password reset; their existing sessions are signed out`;
  if (!generated) return ctx.out.print(done);
  ctx.out.note(done);
  printPassword(ctx, user, password);
}

const USER_ARG = 'a username, a user id, or a unique prefix of one';

export function registerUsers(program: Command, ctx: CliContext): void {
  const users = program.command('users').description('Manage user accounts (admin)');
  const json = ['--json', 'print JSON instead of text'] as const;
  const stdin = ['--password-stdin', 'read the password from stdin instead of generating one'] as const;
  users
    .command('list')
    .description('List every user')
    .option(...json)
    .action((options: JsonOption) => listUsers(ctx, options));
  users
    .command('create')
    .argument('<username>', 'lowercase letters, digits, ".", "_" and "-"')
    .description('Create a user; without --password-stdin a strong password is generated and printed once')
    .requiredOption('--role <role>', 'viewer, responder, operator or admin', parseRole)
    .option('--display-name <name>', 'full name shown in the console')
    .option('--email <address>', 'e-mail address')
    .option(...stdin)
    .option(...json)
    .action((username: string, options: CreateOptions) => createUser(ctx, username, options));
  users
    .command('set-role')
    .argument('<user>', USER_ARG)
    .argument('<role>', 'viewer, responder, operator or admin', parseRole)
    .description('Change the role of a user (a username or an id)')
    .option(...json)
    .action((ref: string, role: Role, options: JsonOption) => setRole(ctx, ref, role, options));
  users
    .command('disable')
    .argument('<user>', USER_ARG)
    .description('Disable a user: they cannot sign in, and their sessions and API tokens stop working')
    .option(...json)
    .action((ref: string, options: JsonOption) => setDisabled(ctx, ref, true, options));
  users
    .command('enable')
    .argument('<user>', USER_ARG)
    .description('Enable a disabled user again')
    .option(...json)
    .action((ref: string, options: JsonOption) => setDisabled(ctx, ref, false, options));
  users
    .command('reset-password')
    .argument('<user>', USER_ARG)
    .description('Set a new password (generated and printed once unless --password-stdin) and sign the user out')
    .option(...stdin)
    .option(...json)
    .action((ref: string, options: PasswordOptions) => resetPassword(ctx, ref, options));
}
