import { Command, CommanderError } from 'commander';
import { ConfigError } from '../platform/config.js';
import { VERSION } from '../platform/version.js';
import { registerAudit } from './audit.js';
import { registerBackupCommands } from './backup.js';
import { registerIncidentCommands } from './incident.js';
import { registerAlertCommands } from './alert.js';
import { registerChannelCommands } from './channel.js';
import { registerDeployCommands } from './deploy.js';
import { processContext, type CliContext } from './context.js';
import { registerLogin } from './login.js';
import { registerRunbookCommands } from './runbook.js';
import { registerRunner } from './runner.js';
import { registerRunners } from './runners.js';
import { registerLintCommand } from './runbook-lint.js';
import { registerRunbookRun } from './runbook-run.js';
import { registerRunCommands } from './run.js';
import { registerScheduleCommands } from './schedule.js';
import { registerPostmortemCommands } from './postmortem.js';
import { CliError, EXIT, UsageError } from './output.js';
import { registerTokens } from './tokens.js';
import { registerSecrets } from './secrets.js';
import { registerUsers } from './users.js';

export function buildProgram(ctx: CliContext = processContext()): Command {
  const program = new Command('nexus')
    .description('NEXUS: runbooks, incidents, deployments and maintenance, self-hosted')
    .version(VERSION)
    // Program options only before the subcommand, so `runbook show --version 2` means the runbook's version.
    .enablePositionalOptions();
  // Loaded on demand: the server pulls in the database drivers and argon2, which
  // would add seconds to every API command and `--help`.
  program
    .command('serve')
    .description('Run the NEXUS server (embedded PGlite unless DATABASE_URL is set)')
    .action(async () => (await import('./serve.js')).serve());
  program
    .command('migrate')
    .description('Apply pending database migrations and exit')
    .action(async () => (await import('./serve.js')).migrate());
  registerRunner(program, ctx);
  registerRunners(program, ctx);
  registerLogin(program, ctx);
  registerUsers(program, ctx);
  registerTokens(program, ctx);
  registerSecrets(program, ctx);
  registerAudit(program, ctx);
  registerIncidentCommands(program, ctx);
  registerPostmortemCommands(program, ctx);
  registerAlertCommands(program, ctx);
  registerChannelCommands(program, ctx);
  // The `runbook` group; lint and run add their subcommands to what this returns.
  const runbookGroup = registerRunbookCommands(program, ctx);
  registerLintCommand(runbookGroup);
  registerRunbookRun(runbookGroup, ctx);
  registerRunCommands(program, ctx);
  registerDeployCommands(program, ctx);
  registerScheduleCommands(program, ctx);
  registerBackupCommands(program, ctx);
  reportUsageErrors(program);
  return program;
}

/** `nexus incident show`: what a person types, for hints. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** A commander error, with the command whose arguments it is about (for the hint). */
class CommandUsageError extends Error {
  constructor(
    readonly commanderError: CommanderError,
    readonly command: Command,
  ) {
    super(commanderError.message);
  }
}

/**
 * Commander prints its errors itself (`error: …`, then the whole help);
 * docs/cli.md promises `nexus: <problem>` and a one-line hint instead. Each
 * command throws its own errors, so the hint can name that command's --help.
 */
function reportUsageErrors(command: Command): void {
  command.configureOutput({ outputError: () => {} });
  command.exitOverride((error) => {
    throw error.exitCode === 0 ? error : new CommandUsageError(error, command);
  });
  for (const sub of command.commands) reportUsageErrors(sub);
}

/** "error: unknown option '--sevrity'\n(Did you mean --severity?)" → one line without the prefix. */
function commanderProblem(error: CommanderError): string {
  return error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim();
}

function printUsageError(problem: string, hint: string): void {
  process.stderr.write(`nexus: ${problem}\nhint: ${hint}\n`);
  process.exitCode = EXIT.usage;
}

/** Maps failures to exit codes and one-line messages; never a stack trace for a user error. */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  // The command whose action is running, to point a usage error found there at its --help.
  let acting: Command = program;
  program.hook('preAction', (_program, actionCommand) => {
    acting = actionCommand;
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommandUsageError) {
      // A group without its subcommand (`nexus incident`) has printed its help already.
      if (error.commanderError.code === 'commander.help') process.exitCode = EXIT.usage;
      else printUsageError(commanderProblem(error.commanderError), `see \`${commandPath(error.command)} --help\``);
      return;
    }
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    if (error instanceof UsageError) {
      printUsageError(error.message, error.hint ?? `see \`${commandPath(acting)} --help\``);
      return;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`nexus: configuration error: ${error.message}\n`);
      process.exitCode = EXIT.config;
      return;
    }
    if (error instanceof CliError) {
      process.stderr.write(`nexus: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`nexus: ${(error as Error).message}\n`);
    process.exitCode = EXIT.failure;
  }
}
