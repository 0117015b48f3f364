import { Alert, Badge, Button, Code, CopyButton, Group, Modal, NativeSelect, NumberInput, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { Role } from '../api/types.js';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { CrudForm, useConfirmed } from '../common/crud.js';
import { ListPanel } from '../common/ListPanel.js';
import { formatDateTime } from '../common/format.js';
import { ScrollTable } from '../common/ScrollTable.js';
import { useNow } from '../common/use-now.js';
import { hasRole } from '../session/roles.js';
import { useCurrentUser } from '../session/queries.js';
import { PageHeader } from '../shell/PageHeader.js';
import { useAllUsers, useCreateToken, useRevokeToken, useTokenPages, type CreatedToken, type Token } from './queries.js';
import { ROLE_DESCRIPTION, rolesUpTo } from './roles.js';

function statusOf(token: Token, now: number): { label: string; color: string } {
  if (token.revokedAt) return { label: 'revoked', color: 'gray' };
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return { label: 'expired', color: 'gray' };
  return { label: 'active', color: 'teal' };
}

function CreateTokenForm({ role, onCreated, onClose }: { role: Role; onCreated: (created: CreatedToken) => void; onClose: () => void }) {
  const [name, setName] = useState('');
  const [tokenRole, setTokenRole] = useState<Role>(role);
  const [days, setDays] = useState<number | ''>(90);
  const create = useCreateToken();
  const submit = () => create.mutate({ name: name.trim(), role: tokenRole, ...(days === '' ? {} : { expiresInDays: days }) }, { onSuccess: onCreated });
  return (
    <CrudForm ready={name.trim() !== ''} onSubmit={submit} onCancel={onClose} submitLabel="Create the token" action={create} errorTitle="Could not create the token">
      <TextInput label="Name" description="What uses it: ci-deploy, alertmanager, runner-eu-1" required maxLength={100} value={name} onChange={(e) => setName(e.currentTarget.value)} />
      <NativeSelect
        label="Role"
        description="Up to your own; give a script no more than it needs"
        data={rolesUpTo(role).map((r) => ({ value: r, label: `${r}: ${ROLE_DESCRIPTION[r]}` }))}
        value={tokenRole}
        onChange={(e) => setTokenRole(e.currentTarget.value as Role)}
      />
      <NumberInput
        label="Expires after (days)"
        description="Empty: never expires"
        min={1}
        max={3650}
        value={days}
        onChange={(v) => setDays(typeof v === 'number' ? v : '')}
      />
    </CrudForm>
  );
}

/** The new token, once: it is stored only as a hash, so this is the only time anyone sees it. */
function ShowOnce({ created, onClose }: { created: CreatedToken; onClose: () => void }) {
  return (
    <Stack gap="sm" data-testid="token-created">
      <Alert color="yellow" variant="light" title="Copy it now">
        This is the only time the token is shown. NEXUS keeps only its hash; if it is lost, revoke it and create another.
      </Alert>
      <Code block data-testid="token-value" style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
        {created.token}
      </Code>
      <Group justify="space-between" gap="sm">
        <CopyButton value={created.token}>
          {({ copied, copy }) => (
            <Button color={copied ? 'teal' : undefined} onClick={copy} variant="light">
              {copied ? 'Copied' : 'Copy the token'}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" onClick={onClose}>
          Done
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        Use it as <Code>Authorization: Bearer …</Code>, or as NEXUS_TOKEN for the CLI.
      </Text>
    </Stack>
  );
}

function TokensList() {
  const user = useCurrentUser();
  const now = useNow();
  const isAdmin = user !== null && hasRole(user.role, 'admin');
  const [everyone, setEveryone] = useState(false);
  const scope = isAdmin && everyone ? 'all' : 'mine';
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const tokens = useTokenPages(scope);
  // Owners by name, for admins looking at everyone's tokens.
  const users = useAllUsers(scope === 'all');
  const ownerName = (id: string) => users.data?.items.find((u) => u.id === id)?.username ?? id.slice(0, 8);
  const revoke = useConfirmed(useRevokeToken());
  const revoking = revoke.target;
  const items = tokens.data?.pages.flatMap((page) => page.items) ?? [];
  const closeCreate = () => {
    setCreating(false);
    setCreated(null);
  };

  return (
    <ListPanel title={scope === 'all' ? "Everyone's tokens" : 'Your tokens'} testId="token-list" query={tokens} count={items.length} noun="tokens" addLabel="New token"
      onAdd={user && (() => setCreating(true))} controls={isAdmin && <Switch label="Show everyone's tokens" checked={everyone} onChange={(e) => setEveryone(e.currentTarget.checked)} />}
      emptyText="No API token yet." skeletonHeight={80}>
      {items.length > 0 && (
        <ScrollTable label="API tokens" minWidth={scope === 'all' ? 900 : 800} columns={['Name', 'Role', scope === 'all' && 'Owner', 'Created', 'Expires', 'Last used', 'Status', 'Actions']}>
          {items.map((token) => {
            const status = statusOf(token, now);
            return (
              <Table.Tr key={token.id} data-testid="token-row" data-token-id={token.id} data-status={status.label}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {token.name}
                  </Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {token.prefix}…
                  </Text>
                </Table.Td>
                <Table.Td>{token.role}</Table.Td>
                {scope === 'all' && <Table.Td>{ownerName(token.ownerId)}</Table.Td>}
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(token.createdAt)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{token.expiresAt ? formatDateTime(token.expiresAt) : 'never'}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'never'}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={status.color} size="sm">
                    {status.label}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {status.label === 'active' && (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      onClick={() => revoke.ask(token)}
                      aria-label={`Revoke ${token.name}`}
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </ScrollTable>
      )}
      <Modal
        closeButtonProps={{ 'aria-label': 'Close' }}
        opened={creating}
        onClose={closeCreate}
        title={created ? `Token ${created.info.name}` : 'New API token'}
        closeOnClickOutside={created === null}
      >
        {creating && user && (created ? <ShowOnce created={created} onClose={closeCreate} /> : <CreateTokenForm role={user.role} onCreated={setCreated} onClose={closeCreate} />)}
      </Modal>
      <ConfirmModal
        {...revoke.modal}
        title={`Revoke ${revoking?.name ?? 'this token'}?`}
        confirmLabel="Revoke"
        approval={`No one else: ${isAdmin ? 'an admin or the owner' : 'its owner'} revokes alone. It cannot be undone.`}
      >
        <Text size="sm">Whatever uses it (a script, a runner, Alertmanager) is refused from now on.</Text>
      </ConfirmModal>
    </ListPanel>
  );
}

/** `/admin/tokens`: API tokens for the CLI, runners and scripts; everyone manages their own, admins see all. */
export function TokensPage() {
  return (
    <>
      <PageHeader title="API tokens" description="Tokens for the CLI, runners, Alertmanager and scripts" />
      <TokensList />
    </>
  );
}
