import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import type { Finding, FindingSeverity } from './model.js';

export const SEVERITY_COLOR: Record<FindingSeverity, string> = { error: 'red', warning: 'yellow', info: 'blue' };

/** Where a finding sits on the rendered page: its command, else the line's block. */
export function findingAnchor(finding: Finding): string {
  return finding.commandId ? `#cmd-${finding.commandId}` : `#L${finding.line}`;
}

/**
 * Lint findings as a list: severity, rule and line, the message, and the
 * rule's fix. `withLinks` adds a link to the place each one is shown.
 */
export function FindingList({ findings, withLinks = false, label = 'Lint findings' }: { findings: readonly Finding[]; withLinks?: boolean; label?: string }) {
  return (
    <Stack component="ul" gap={6} aria-label={label} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {findings.map((finding, i) => (
        <li style={{ margin: 0 }} key={`${finding.rule}-${finding.line}-${i}`} data-testid="lint-finding" data-rule={finding.rule} data-severity={finding.severity} data-line={finding.line}>
          <Group gap={6} wrap="wrap" align="baseline">
            <Badge color={SEVERITY_COLOR[finding.severity]} variant="light" size="sm">
              {finding.severity}
            </Badge>
            <Text component="span" size="sm" ff="monospace">
              {finding.rule}
            </Text>
            {withLinks ? (
              <Anchor href={findingAnchor(finding)} size="sm" underline="always">
                line {finding.line}
              </Anchor>
            ) : (
              <Text component="span" size="sm" c="dimmed">
                line {finding.line}
              </Text>
            )}
          </Group>
          <Text component="div" size="sm">
            {finding.message}
          </Text>
          {finding.hint && (
            <Text component="div" size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              Fix: {finding.hint}
            </Text>
          )}
        </li>
      ))}
    </Stack>
  );
}
