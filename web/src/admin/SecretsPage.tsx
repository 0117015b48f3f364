import { Badge, Button, NumberInput, Stack, Switch, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { ListPanel } from '../common/ListPanel.js';
import { formatDateTime } from '../common/format.js';
import { ScrollTable } from '../common/ScrollTable.js';
import { RequireRole } from '../session/RequireRole.js';
import { PageHeader } from '../shell/PageHeader.js';
import { useRotateSecrets, useRotationPages, type SecretRotation } from './queries.js';

/** The server's default (NEXUS_SECRETS_GRACE_SECONDS): a day. */
const DEFAULT_GRACE_HOURS = 24;
/** The API's limit: 30 days. */
const MAX_GRACE_HOURS = 720;

function modeOf(rotation: SecretRotation): string {
  if (rotation.mode === 'revoke') return 'revoked at once';
  const hours = (rotation.graceSeconds ?? 0) / 3600;
  return `grace ${Number.isInteger(hours) ? `${hours} h` : `${rotation.graceSeconds ?? 0} s`}`;
}

function RotateDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [revoke, setRevoke] = useState(false);
  const [graceHours, setGraceHours] = useState<number | ''>(DEFAULT_GRACE_HOURS);
  const [revokeTokens, setRevokeTokens] = useState(false);
  const rotate = useRotateSecrets();
  const confirm = () =>
    rotate.mutate(
      { ...(revoke ? { revokePrevious: true } : { graceSeconds: Math.round((graceHours === '' ? DEFAULT_GRACE_HOURS : graceHours) * 3600) }), ...(revokeTokens ? { revokeApiTokens: true } : {}) },
      // With revocation, this session is over: the next request sends the browser to sign in.
      { onSuccess: onClose },
    );
  return (
    <ConfirmModal
      opened={opened}
      onClose={onClose}
      title="Rotate the signing key?"
      confirmLabel={revoke ? 'Rotate and end every session' : 'Rotate'}
      onConfirm={confirm}
      pending={rotate.isPending}
      error={rotate.error}
      color={revoke || revokeTokens ? 'red' : 'blue'}
      approval="No one else: admins do this alone. It is in the audit log and the history below."
    >
      <Stack gap="sm">
        <Text size="sm">
          A new key signs sessions and acknowledge links from now on, on every replica, without a restart. Sealed channel and run secrets stay readable.
        </Text>
        <Switch
          label="Revoke every earlier key now"
          description="Every session ends at once, yours included (use this after a breach)"
          checked={revoke}
          onChange={(e) => setRevoke(e.currentTarget.checked)}
        />
        <NumberInput
          label="Grace (hours)"
          description="How long sessions and links signed before keep working"
          min={0}
          max={MAX_GRACE_HOURS}
          disabled={revoke}
          value={revoke ? 0 : graceHours}
          onChange={(v) => setGraceHours(typeof v === 'number' ? v : '')}
        />
        <Switch label="Revoke every API token too" description="Scripts, CI and runners need new tokens" checked={revokeTokens} onChange={(e) => setRevokeTokens(e.currentTarget.checked)} />
      </Stack>
    </ConfirmModal>
  );
}

function RotationHistory() {
  const rotations = useRotationPages();
  const [rotating, setRotating] = useState(false);
  const items = rotations.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <ListPanel
      title="Rotation history"
      testId="rotation-list"
      query={rotations}
      count={items.length}
      noun="rotations"
      headerActions={
        <Button size="compact-sm" color="red" variant="light" onClick={() => setRotating(true)}>
          Rotate the signing key
        </Button>
      }
      emptyText="No rotation yet: sessions are signed with the configured JWT_SECRET_KEY."
      skeletonHeight={80}
    >
      {items.length > 0 && (
        <ScrollTable label="Secret rotations" minWidth={860} columns={['When', 'By', 'Mode', 'Sessions ended', 'Tokens revoked', 'Kubernetes Secret', 'New key id']}>
          {items.map((rotation) => (
            <Table.Tr key={rotation.id} data-testid="rotation-row" data-mode={rotation.mode}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(rotation.at)}</Table.Td>
              <Table.Td>{rotation.actor}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={rotation.mode === 'revoke' ? 'red' : 'blue'} size="sm">
                  {modeOf(rotation)}
                </Badge>
              </Table.Td>
              <Table.Td>{rotation.sessionsRevoked}</Table.Td>
              <Table.Td>{rotation.tokensRevoked}</Table.Td>
              <Table.Td>{rotation.kubernetesSecret ? 'written' : 'no'}</Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace">
                  {rotation.keyId.slice(0, 8)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </ScrollTable>
      )}
      <RotateDialog opened={rotating} onClose={() => setRotating(false)} />
    </ListPanel>
  );
}

/** `/admin/secrets` (admin): rotate the key sessions and links are signed with, and who did so when. */
export function SecretsPage() {
  return (
    <RequireRole role="admin">
      <PageHeader title="Secrets" description="The key NEXUS signs sessions and links with: rotate it, and see past rotations" />
      <RotationHistory />
    </RequireRole>
  );
}
