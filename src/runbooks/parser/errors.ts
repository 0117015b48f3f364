/**
 * A runbook the parser refuses: bad front matter or a malformed `nexus:`
 * annotation. Markdown itself never fails to parse, so these are the only
 * problems, and each names the line a person has to fix.
 */
export class RunbookParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'RunbookParseError';
  }
}
