import { Command, CommanderError } from 'commander';
import { ConfigError } from '../platform/config.js';
import { VERSION } from '../platform/version.js';
import { registerAudit } from './audit.js';
import { registerIncidentCommands } from './incident.js';
import { registerAlertCommands } from './alert.js';
import { registerChannelCommands } from './channel.js';
import { processContext, type CliContext } from './context.js';
import { registerLogin } from './login.js';
import { registerRunbookCommands } from './runbook.js';
import { registerRunner } from './runner.js';
import { registerRunners } from './runners.js';
import { registerLintCommand } from './runbook-lint.js';
import { registerRunbookRun } from './runbook-run.js';
import { CliError, EXIT } from './output.js';
import { registerTokens } from './tokens.js';
import { registerUsers } from './users.js';

export function buildProgram(ctx: CliContext = processContext()): Command {
  const program = new Command('nexus')
    .description('NEXUS: runbooks, incidents, deployments and maintenance, self-hosted')
    .version(VERSION)
    // Program options only before the subcommand, so `runbook show --version 2` means the runbook's version.
    .enablePositionalOptions()
    .exitOverride()
    .showHelpAfterError();
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
  registerAudit(program, ctx);
  registerIncidentCommands(program, ctx);
  registerAlertCommands(program, ctx);
  registerChannelCommands(program, ctx);
  // The `runbook` group; lint and run add their subcommands to what this returns.
  const runbookGroup = registerRunbookCommands(program, ctx);
  registerLintCommand(runbookGroup);
  registerRunbookRun(runbookGroup, ctx);
  return program;
}

/** Maps failures to exit codes and one-line messages; never a stack trace for a user error. */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
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
