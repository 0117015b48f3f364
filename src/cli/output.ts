/** Exit codes, documented in docs/cli.md; scripts branch on them. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  config: 3,
  unauthorized: 4,
  notFound: 5,
  conflict: 6,
  unavailable: 7,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/**
 * The command was given something it cannot use, found before or without
 * the server: exit 2, and a hint line (by default, the command's --help).
 * A 400/422 from the server is a plain CliError: the server's message says it all.
 */
export class UsageError extends CliError {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message, EXIT.usage);
  }
}

/** Where a command writes: stdout for what a script captures, stderr for what a person reads. */
export interface Output {
  print(line: string): void;
  note(line: string): void;
  json(value: unknown): void;
  /** Aligned columns; prints `empty` to stderr instead when there are no rows. */
  table(headers: string[], rows: string[][], empty: string): void;
}

type Stream = { write(chunk: string): unknown; isTTY?: boolean };

// Values come from the server (display names, audit targets): never let them
// move the cursor or recolour the terminal.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  return String(value).replace(CONTROL, '?');
}

export function formatTable(headers: string[], rows: string[][], color: boolean): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => (i === values.length - 1 ? value : value.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const head = line(headers);
  return [color ? `\x1b[1m${head}\x1b[0m` : head, ...rows.map(line)].join('\n') + '\n';
}

/** Colour only for a person at a terminal (https://no-color.org), never in a pipe. */
export function wantsColor(stream: Stream, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

export function createOutput(stdout: Stream = process.stdout, stderr: Stream = process.stderr, env = process.env): Output {
  const color = wantsColor(stdout, env);
  return {
    print: (line) => void stdout.write(`${line}\n`),
    note: (line) => void stderr.write(`${line}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    table: (headers, rows, empty) => {
      if (rows.length === 0) stderr.write(`${empty}\n`);
      else stdout.write(formatTable(headers, rows, color));
    },
  };
}

/** ISO time to the second, in UTC: sortable, unambiguous, and the same on every machine. */
export function time(iso: string | null | undefined): string {
  if (!iso) return '-';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? cell(iso) : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
