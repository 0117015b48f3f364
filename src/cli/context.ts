import { NexusClient } from './client.js';
import { createOutput, type Output } from './output.js';
import type { PasswordInput } from './password.js';

/** What a command needs from the outside world, passed in so commands stay testable. */
export interface CliContext {
  /** Built on first use, so `--help` works whatever NEXUS_URL holds. */
  client(): NexusClient;
  out: Output;
  stdin: PasswordInput & AsyncIterable<Buffer | string>;
  /** The terminal a password prompt is written to: stderr, so stdout stays clean for `eval`. */
  prompt: { write(text: string): unknown };
}

export function processContext(): CliContext {
  let client: NexusClient | undefined;
  return {
    client: () => (client ??= NexusClient.fromEnv(process.env)),
    out: createOutput(),
    stdin: process.stdin,
    prompt: process.stderr,
  };
}
