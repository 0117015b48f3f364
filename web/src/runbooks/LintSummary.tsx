import { Badge, Group, Text } from '@mantine/core';
import type { LintReport } from './model.js';

/** The counts of a lint report as badges: "2 errors", "1 warning", or "clean". */
export function LintBadges({ report }: { report: LintReport }) {
  const { errors, warnings, infos } = report.summary;
  if (errors + warnings + infos === 0) {
    return (
      <Badge color="teal" variant="light">
        clean
      </Badge>
    );
  }
  return (
    <Group gap={4} wrap="wrap">
      {errors > 0 && (
        <Badge color="red" variant="light">
          {errors} error{errors === 1 ? '' : 's'}
        </Badge>
      )}
      {warnings > 0 && (
        <Badge color="yellow" variant="light">
          {warnings} warning{warnings === 1 ? '' : 's'}
        </Badge>
      )}
      {infos > 0 && (
        <Badge color="blue" variant="light">
          {infos} note{infos === 1 ? '' : 's'}
        </Badge>
      )}
    </Group>
  );
}

const CHECK_WORDS: Record<LintReport['checks']['sql'], string> = {
  checked: 'checked against the live server',
  'syntax-only': 'syntax checked against the live server (your role is not told what exists there)',
  skipped: 'not checked (no server configured)',
  failed: 'not checked (the server could not be reached)',
  'nothing-to-check': 'none in this runbook',
};

/** Which live checks ran: a clean report means little if the SQL was never checked. */
export function LiveChecks({ report }: { report: LintReport }) {
  return (
    <Text size="xs" c="dimmed">
      SQL: {CHECK_WORDS[report.checks.sql]}. PromQL: {CHECK_WORDS[report.checks.promql]}.
    </Text>
  );
}
