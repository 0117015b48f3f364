import { execFile } from 'node:child_process';
import path from 'node:path';
import type { TestApp } from './app.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const NEXUS_BIN = path.resolve('bin/nexus');

/** The environment of a person using `nexus` against the test app with this token. */
export function cliEnv(t: Pick<TestApp, 'server'>, token: string): NodeJS.ProcessEnv {
  return { ...process.env, NEXUS_URL: t.server.url, NEXUS_TOKEN: token, NO_COLOR: '1' };
}

/** Runs ./bin/nexus as a person would; never rejects: a failed command is its exit code and output. */
export function runNexus(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(NEXUS_BIN, args, { env, timeout: timeoutMs }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}
