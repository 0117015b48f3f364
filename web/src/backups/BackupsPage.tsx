import { Badge, Button, Group, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { BackupSummary } from '../api/types.js';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { ListPanel } from '../common/ListPanel.js';
import { ScrollTable } from '../common/ScrollTable.js';
import { formatDateTime } from '../common/format.js';
import { useCurrentUser } from '../session/queries.js';
import { hasRole } from '../session/roles.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { PageHeader } from '../shell/PageHeader.js';
import { formatSize, verification } from './model.js';
import { useBackupAction, useBackups } from './queries.js';

/** Restoring replaces every row: the admin types the backup's id, as the API's `confirm` asks. */
function RestoreModal({ backup, onClose }: { backup: BackupSummary; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const restore = useBackupAction();
  return (
    <ConfirmModal
      opened
      onClose={onClose}
      title={`Restore backup ${backup.id}`}
      approval="No one else: it starts at once. NEXUS refuses every change until the restore is done."
      confirmLabel="Restore"
      pending={restore.isPending}
      error={restore.error}
      onConfirm={() => {
        if (typed === backup.id) restore.mutate({ kind: 'restore', id: backup.id, confirm: typed }, { onSuccess: onClose });
      }}
    >
      <Text size="sm">
        Every row of NEXUS&apos;s database is replaced with this backup of {formatDateTime(backup.createdAt)}; everything since is lost. The backup is verified
        first and is not restored if it does not verify.
      </Text>
      <TextInput mt="sm" label={`Type ${backup.id} to confirm`} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} data-testid="restore-confirm" />
    </ConfirmModal>
  );
}

function BackupList() {
  const backups = useBackups();
  const user = useCurrentUser();
  const action = useBackupAction();
  const [restoring, setRestoring] = useState<BackupSummary | null>(null);
  const items = backups.data?.items ?? [];
  const operator = user ? hasRole(user.role, 'operator') : false;
  const admin = user ? hasRole(user.role, 'admin') : false;
  return (
    <ListPanel
      title="Backups"
      testId="backup-list"
      query={backups}
      count={items.length}
      noun="backups"
      note="Dumps of NEXUS's own database with a SHA-256 and a manifest. Verifying restores one into a scratch database and compares every table."
      controls={
        operator ? (
          <Button onClick={() => action.mutate({ kind: 'create' })} loading={action.isPending && action.variables?.kind === 'create'}>
            Back up now
          </Button>
        ) : undefined
      }
      emptyText="No backups yet."
    >
      {action.error ? <ErrorNotice error={action.error} title="The server refused" /> : null}
      {items.length > 0 && (
        <ScrollTable label="Backups" minWidth={760} columns={['Backup', 'Size', 'Where', 'Verified', '']}>
          {items.map((b) => {
            const v = verification(b);
            return (
              <Table.Tr key={b.id} data-testid="backup-row">
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {b.id}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(b.createdAt)} by {b.createdBy} · {b.schemaVersion}
                  </Text>
                </Table.Td>
                <Table.Td>{formatSize(b.sizeBytes)}</Table.Td>
                <Table.Td>
                  <Text size="sm">{b.location}</Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={v.color} size="sm" title={b.verifyMessage ?? undefined}>
                    {v.label}
                  </Badge>
                  {b.verifiedAt && (
                    <Text size="xs" c="dimmed">
                      {formatDateTime(b.verifiedAt)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    {operator && (
                      <Button size="xs" variant="default" onClick={() => action.mutate({ kind: 'verify', id: b.id })} loading={action.isPending && action.variables?.kind === 'verify' && action.variables.id === b.id}>
                        Verify
                      </Button>
                    )}
                    {admin && (
                      <Button size="xs" color="red" variant="light" onClick={() => setRestoring(b)}>
                        Restore…
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </ScrollTable>
      )}
      {restoring && <RestoreModal backup={restoring} onClose={() => setRestoring(null)} />}
    </ListPanel>
  );
}

/** `/backups`: the backup catalog; verify (operator) and restore (admin, typed confirmation). */
export function BackupsPage() {
  return (
    <>
      <PageHeader title="Backups" description="Backups of NEXUS's database, their verification, and restore" />
      <BackupList />
    </>
  );
}
