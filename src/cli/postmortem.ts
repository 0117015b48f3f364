import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { Postmortem } from '../incidents/index.js';
import type { NexusClient } from './client.js';
import type { CliContext } from './context.js';
import { idArgument, ids } from './ids.js';
import { CliError, EXIT, UsageError } from './output.js';

/**
 * `nexus postmortem show|edit <incident>`. Edit is `git commit`'s loop: the
 * text in a private temporary file, the person's editor, and a save only
 * when something changed. The save names the version it started from, so
 * an edit saved by someone else meanwhile is refused (409), never overwritten.
 */

interface JsonOption {
  json?: boolean;
}

const pmPath = (incidentId: string) => `/api/v1/incidents/${encodeURIComponent(incidentId)}/postmortem`;

async function fetchPostmortem(client: NexusClient, ref: string): Promise<Postmortem> {
  return client.request<Postmortem>('GET', pmPath(await ids(client).incident(ref)));
}

export async function showPostmortem(ctx: CliContext, ref: string, options: JsonOption): Promise<void> {
  const pm = await fetchPostmortem(ctx.client(), ref);
  if (options.json) return ctx.out.json(pm);
  // Raw Markdown, so `nexus postmortem show ID > pm.md` is the download.
  ctx.out.print(pm.markdown.replace(/\n$/, ''));
}

/** VISUAL, then EDITOR, then vi: what git and crontab do. */
function chosenEditor(env: NodeJS.ProcessEnv, interactive: boolean): string {
  const editor = env.VISUAL?.trim() || env.EDITOR?.trim();
  if (editor) return editor;
  // vi without a terminal would wait for keys that never come.
  if (!interactive) throw new UsageError('no editor: VISUAL and EDITOR are not set and there is no terminal for vi', 'set EDITOR, e.g. EDITOR=nano');
  return 'vi';
}

/**
 * Through the shell, as git does, so `EDITOR="code --wait"` works; the file
 * name is passed as an argument ("$@"), never pasted into the command line.
 */
function runEditor(editor: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', `${editor} "$@"`, editor, file], { stdio: 'inherit' });
    child.on('error', (error) => reject(new CliError(`cannot start the editor ${JSON.stringify(editor)}: ${error.message}`, EXIT.failure)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new CliError(`the editor ${JSON.stringify(editor)} ${signal ? `was stopped by ${signal}` : `exited with ${code}`}; nothing was saved`, EXIT.failure));
    });
  });
}

async function edit(ctx: CliContext, ref: string, options: JsonOption): Promise<void> {
  const client = ctx.client();
  const editor = chosenEditor(process.env, ctx.stdin.isTTY === true);
  const before = await fetchPostmortem(client, ref);
  // A directory of our own (0700) and a file only we can read (0600): post-mortems name people and systems.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nexus-postmortem-'));
  const file = path.join(dir, `postmortem-${before.incidentId.slice(0, 8)}-v${before.version}.md`);
  let keep = false;
  try {
    await fs.writeFile(file, before.markdown, { mode: 0o600, flag: 'wx' });
    await runEditor(editor, file);
    const after = await fs.readFile(file, 'utf8');
    if (after === before.markdown) {
      ctx.out.note(`No changes; nothing saved (the post-mortem stays at version ${before.version}).`);
      return;
    }
    if (after.trim() === '') throw new CliError('the post-mortem is empty; nothing saved', EXIT.failure);
    let saved: Postmortem;
    try {
      saved = await client.request<Postmortem>('PUT', pmPath(before.incidentId), { body: { markdown: after, baseVersion: before.version } });
    } catch (error) {
      keep = true;
      if (error instanceof CliError && error.exitCode === EXIT.conflict) {
        throw new CliError(
          `${error.message}. Someone saved the post-mortem after you opened version ${before.version}; nothing was overwritten. ` +
            `Your text is kept in ${file}: merge it into the latest (nexus postmortem show ${before.incidentId}) and edit again`,
          EXIT.conflict,
        );
      }
      throw new CliError(`${error instanceof Error ? error.message : String(error)} (your text is kept in ${file})`, error instanceof CliError ? error.exitCode : EXIT.failure);
    }
    if (options.json) return ctx.out.json(saved);
    ctx.out.print(`Saved post-mortem version ${saved.version} of incident ${saved.incidentId}`);
  } finally {
    if (!keep) await fs.rm(dir, { recursive: true, force: true });
  }
}

const INCIDENT_ARG = 'incident id, or a unique prefix of one';

export function registerPostmortemCommands(program: Command, ctx: CliContext): void {
  const group = program.command('postmortem').description("Incidents' post-mortems: print, edit in $EDITOR");
  group
    .command('show')
    .description('Print the post-mortem Markdown: the latest edit, or the generated draft')
    .argument('<incident>', INCIDENT_ARG, idArgument('incident'))
    .option('--json', 'print JSON (with version and editor)')
    .action((ref: string, options: JsonOption) => showPostmortem(ctx, ref, options));
  group
    .command('edit')
    .description('Edit the post-mortem in $VISUAL or $EDITOR (else vi) and save it as a new version; refused if someone saved meanwhile')
    .argument('<incident>', INCIDENT_ARG, idArgument('incident'))
    .option('--json', 'print the saved post-mortem as JSON')
    .action((ref: string, options: JsonOption) => edit(ctx, ref, options));
}
