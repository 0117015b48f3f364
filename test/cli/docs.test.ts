import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/index.js';
import { EXIT } from '../../src/cli/output.js';

/*
 * docs/cli.md and the CLI must agree: every command it documents exists with
 * the flags and arguments it shows, and every command the CLI has is
 * documented. The synopses are the ```-blocks under "## Commands" whose lines
 * start with `nexus `; the `### \`nexus …\`` headings name commands too.
 */

const BIN = path.resolve('bin/nexus');
const DOC = readFileSync(path.resolve('docs/cli.md'), 'utf8');
const COMMANDS = DOC.slice(DOC.indexOf('\n## Commands'));

interface Synopsis {
  path: string;
  flags: string[];
  required: number;
  optional: number;
  text: string;
}

/** Splits at spaces outside brackets: `[--label <key=value>]...` stays one piece. */
function chunks(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (/\s/.test(ch) && depth === 0) {
      if (current) out.push(current);
      current = '';
    } else current += ch;
  }
  if (current) out.push(current);
  return out;
}

function parseSynopsis(text: string): Synopsis {
  const pieces = chunks(text).slice(1);
  const words: string[] = [];
  while (pieces[0] && /^[a-z][a-z-]*$/.test(pieces[0])) words.push(pieces.shift()!);
  let required = 0;
  let optional = 0;
  let afterFlag = false;
  for (const piece of pieces) {
    const isFlag = piece.includes('--');
    if (isFlag) afterFlag = !piece.startsWith('[');
    else if (afterFlag && piece.startsWith('<')) afterFlag = false; // the value of an unbracketed flag
    else if (piece.startsWith('<')) required++;
    else if (piece.startsWith('[')) optional++;
  }
  return { path: words.join(' '), flags: [...new Set(text.match(/--[a-z][a-z-]*/g) ?? [])].sort(), required, optional, text };
}

function documentedSynopses(): Synopsis[] {
  const out: Synopsis[] = [];
  for (const block of COMMANDS.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)) {
    if (block[1] !== '') continue; // ```sh blocks are examples, not synopses
    let current: string | null = null;
    for (const line of block[2]!.split('\n')) {
      if (line.startsWith('nexus ') || line === 'nexus') {
        if (current) out.push(parseSynopsis(current));
        current = line;
      } else if (current && /^\s+\S/.test(line)) current += ` ${line.trim()}`;
      else {
        if (current) out.push(parseSynopsis(current));
        current = null;
      }
    }
    if (current) out.push(parseSynopsis(current));
  }
  return out;
}

/** "### `nexus runbook import`, `list`, `show`" → runbook import, runbook list, runbook show. */
function documentedHeadings(): string[] {
  const out: string[] = [];
  for (const heading of COMMANDS.matchAll(/^### (.+)$/gm)) {
    const names = [...heading[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    const first = names[0]!.split(' ').slice(1);
    out.push(first.join(' '));
    for (const name of names.slice(1)) out.push(name.startsWith('nexus ') ? name.slice(6) : [...first.slice(0, -1), name].join(' '));
  }
  return out;
}

function leaves(command: Command, prefix: string[] = []): Array<{ path: string; command: Command }> {
  if (command.commands.length === 0) return [{ path: prefix.join(' '), command }];
  return command.commands.flatMap((sub) => leaves(sub, [...prefix, sub.name()]));
}

function help(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(BIN, [...args, '--help'], { env: { ...process.env, NO_COLOR: '1', COLUMNS: '200' }, timeout: 20_000 }, (error, stdout) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout }),
    );
  });
}

/** The long flags of the Options section, without --help. */
function helpFlags(text: string): string[] {
  const options = text.slice(text.indexOf('\nOptions:'));
  const flags = [...options.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!);
  return flags.filter((f) => f !== '--help').sort();
}

const synopses = documentedSynopses();
const program = buildProgram();
const cliCommands = leaves(program);

describe('docs/cli.md and the CLI agree', () => {
  it('the document has synopses to walk (the parser found them)', () => {
    expect(synopses.length).toBeGreaterThan(40);
    expect(synopses.find((s) => s.path === 'runbook run')).toMatchObject({ required: 2, optional: 0 });
    expect(synopses.find((s) => s.path === 'run approve')).toMatchObject({ required: 1, optional: 1, flags: ['--json', '--yes'] });
    expect(synopses.find((s) => s.path === 'runner')).toMatchObject({ required: 0, optional: 0 });
  });

  it('every documented command exists, and its --help shows exactly the documented flags and arguments', async () => {
    const mismatches: string[] = [];
    // A few at a time: each is a real `nexus` process, and the machine is shared.
    for (let i = 0; i < synopses.length; i += 4) {
      await Promise.all(
        synopses.slice(i, i + 4).map(async (synopsis) => {
          const shown = await help(synopsis.path.split(' '));
          if (shown.code !== EXIT.ok || !shown.stdout.startsWith(`Usage: nexus ${synopsis.path} `)) {
            mismatches.push(`${synopsis.path}: no such command (exit ${shown.code})`);
            return;
          }
          const flags = helpFlags(shown.stdout);
          if (flags.join(' ') !== synopsis.flags.join(' ')) mismatches.push(`${synopsis.path}: documented ${synopsis.flags.join(' ')}; --help ${flags.join(' ')}`);
          const usage = shown.stdout.split('\n')[0]!;
          const required = (usage.match(/ <[^>]+>/g) ?? []).length;
          const optional = (usage.match(/ \[(?!options\])[^\]]+\]/g) ?? []).length;
          if (required !== synopsis.required || optional !== synopsis.optional) {
            mismatches.push(`${synopsis.path}: documented ${synopsis.required} required and ${synopsis.optional} optional arguments; ${usage}`);
          }
        }),
      );
    }
    expect(mismatches).toEqual([]);
    // One process per documented command, four at a time: the time grows with the CLI (it passed 60 s on a shared machine
    // once `nexus schedule` came), so the budget is for a busy machine, not a figure under test.
  }, 180_000);

  it('every command of the CLI has a synopsis in the document', () => {
    const documented = new Set(synopses.map((s) => s.path));
    expect(cliCommands.map((c) => c.path).filter((p) => !documented.has(p))).toEqual([]);
  });

  it('every command a heading names exists', () => {
    const known = new Set([...cliCommands.map((c) => c.path), ...program.commands.map((c) => c.name())]);
    expect(documentedHeadings().filter((name) => !known.has(name))).toEqual([]);
  });
});
