import { Badge, Group, Paper, Title } from '@mantine/core';
import { useId, type ReactNode } from 'react';

/** A titled section of a page (a <section> named by its heading), optionally with a count. */
export function Panel({
  title,
  count,
  actions,
  children,
  testId,
}: {
  title: string;
  count?: number;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  const headingId = useId();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} data-testid={testId}>
      <Group justify="space-between" mb="sm" gap="xs">
        <Group gap="xs">
          <Title order={2} size="h4" id={headingId}>
            {title}
          </Title>
          {count !== undefined && (
            <Badge variant="light" color="gray" aria-label={`${count} items`}>
              {count}
            </Badge>
          )}
        </Group>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}
