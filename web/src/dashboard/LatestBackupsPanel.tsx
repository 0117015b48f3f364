import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { formatSize, verification } from '../backups/model.js';
import { useBackups } from '../backups/queries.js';
import { formatDateTime } from '../common/format.js';
import { Panel } from '../shell/Panel.js';

/** The three newest backups and whether each verified. */
export function LatestBackupsPanel() {
  const backups = useBackups();
  const items = backups.data?.items.slice(0, 3) ?? [];
  return (
    <Panel title="Latest backups" testId="latest-backups">
      {backups.isError ? (
        <Text size="sm" c="red">
          Backups could not be read.
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {backups.isPending ? 'Loading…' : 'No backups yet: nexus backup create, or the Backups page.'}
        </Text>
      ) : (
        <Stack gap="xs">
          {items.map((b) => {
            const v = verification(b);
            return (
              <Group key={b.id} justify="space-between" wrap="nowrap" data-testid="latest-backup">
                <div>
                  <Text size="sm">{formatDateTime(b.createdAt)}</Text>
                  <Text size="xs" c="dimmed">
                    {formatSize(b.sizeBytes)} · {b.target}
                  </Text>
                </div>
                <Badge variant="light" color={v.color} size="sm">
                  {v.label}
                </Badge>
              </Group>
            );
          })}
          <Anchor component={Link} to="/backups" size="sm">
            All backups
          </Anchor>
        </Stack>
      )}
    </Panel>
  );
}
