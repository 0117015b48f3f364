/**
 * A runbook the parser refuses: bad front matter, a malformed `nexus:`
 * annotation, or text too long or nested too deeply to parse safely.
 * Markdown itself never fails to parse, so these are the only problems, and
 * each names the line a person has to fix.
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
