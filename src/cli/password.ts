import { randomBytes } from 'node:crypto';
import { CliError, UsageError } from './output.js';

/** What reading a password needs from the process; tests pass fakes. */
export interface PasswordInput extends NodeJS.EventEmitter {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** 18 random bytes: 144 bits in 24 URL-safe characters, over the 12-character policy. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * `--password-stdin`, as `docker login` does: everything on stdin, minus one
 * trailing newline (what `echo` and here-strings add), so a password never
 * sits in argv or the shell history.
 */
export async function readPasswordFromStdin(input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (password === '') throw new UsageError('--password-stdin: nothing was read from stdin');
  return password;
}

const ENTER = new Set(['\r', '\n']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const ESC = '\u001b';
const ERASE = new Set(['\u007f', '\b']);

/** Reads a line from a terminal in raw mode, so the password is never echoed. */
export function promptHidden(question: string, input: PasswordInput, output: { write(s: string): unknown }): Promise<string> {
  if (!input.isTTY || !input.setRawMode) {
    return Promise.reject(new UsageError('no password: pass --password-stdin, or run in a terminal to be prompted'));
  }
  const setRawMode = input.setRawMode.bind(input);
  output.write(question);
  setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: CliError) => {
      input.off('data', onData);
      setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ENTER.has(ch)) return finish(value === '' ? new UsageError('no password given') : undefined);
        // Raw mode turns off the terminal's own Ctrl-C; 130 is what a shell reports for SIGINT.
        if (ch === CTRL_C) return finish(new CliError('interrupted', 130));
        if (ch === CTRL_D && value === '') return finish(new UsageError('no password given'));
        // An escape sequence (arrow keys) arrives as one chunk; none of it is password.
        if (ch === ESC) break;
        if (ERASE.has(ch)) value = Array.from(value).slice(0, -1).join('');
        else if (ch === CTRL_U) value = '';
        else if (ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
  });
}
