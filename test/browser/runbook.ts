/**
 * A runbook whose P1 procedure is harmless on any machine: a read that
 * writes output over two seconds, and a command the risk classifier calls
 * destructive (`rm -rf`) aimed at a scratch directory the test owns.
 */
export function browserRunbook(scratchDir: string): string {
  return [
    '# Checkout service runbook',
    '',
    '## Incident Response Procedures',
    '',
    '### P1 - Checkout Down',
    '',
    '**Severity**: Critical',
    '**Response Time**: 15 minutes',
    '',
    '#### Immediate Actions',
    '',
    '1. **Check the service**',
    '   ```bash',
    '   echo checking; sleep 2; echo done',
    '   ```',
    '',
    '2. **Clear the stuck work queue**',
    // Lint asks destructive commands to say they go through approval; the run policy asks for it either way.
    '   <!-- nexus: approval -->',
    '   ```bash',
    `   rm -rf ${scratchDir}/queue`,
    '   ```',
    '   - [ ] Confirm checkout answers again',
    '',
  ].join('\n');
}

export const READ_COMMAND = 'echo checking; sleep 2; echo done';
