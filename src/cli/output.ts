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
