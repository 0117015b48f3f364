import { Alert, Badge, Button, Code, CopyButton, Group, Modal, NumberInput, NativeSelect, Skeleton, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { ResponseOf, Role } from '../api/types.js';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { formatDateTime } from '../common/format.js';
import { ScrollTable } from '../common/ScrollTable.js';
import { useNow } from '../common/use-now.js';
import { hasRole } from '../session/roles.js';
import { useApi } from '../session/SessionProvider.js';
import { useCurrentUser } from '../session/use-current-user.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { PageHeader } from '../shell/PageHeader.js';
import { Panel } from '../shell/Panel.js';
import { ROLE_DESCRIPTION, rolesUpTo } from './roles.js';

type Token = ResponseOf<'/api/v1/tokens', 'get'>['items'][number];
type Created = ResponseOf<'/api/v1/tokens', 'post'>;
const PAGE = 100;

function statusOf(token: Token, now: number): { label: string; color: string } {
  if (token.revokedAt) return { label: 'revoked', color: 'gray' };
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return { label: 'expired', color: 'gray' };
  return { label: 'active', color: 'teal' };
}

function CreateTokenForm({ role, onCreated, onClose }: { role: Role; onCreated: (created: Created) => void; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [tokenRole, setTokenRole] = useState<Role>(role);
  const [days, setDays] = useState<number | ''>(90);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/tokens', { body: { name: name.trim(), role: tokenRole, ...(days === '' ? {} : { expiresInDays: days }) } })),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.tokens.all });
      onCreated(created);
    },
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (name.trim()) create.mutate();
      }}
    >
      <Stack gap="sm">
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
        {create.isError && <ErrorNotice error={create.error} title="Could not create the token" />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} disabled={name.trim() === ''}>
            Create the token
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The new token, once: it is stored only as a hash, so this is the only time anyone sees it. */
function ShowOnce({ created, onClose }: { created: Created; onClose: () => void }) {
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
  const api = useApi();
  const user = useCurrentUser();
  const now = useNow();
  const queryClient = useQueryClient();
  const isAdmin = user !== null && hasRole(user.role, 'admin');
  const [everyone, setEveryone] = useState(false);
  const scope = isAdmin && everyone ? 'all' : 'mine';
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const tokens = useInfiniteQuery({
    queryKey: queryKeys.tokens.list(scope),
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/tokens', { params: { query: { scope, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
  });
  // Owners by name, for admins looking at everyone's tokens.
  const users = useQuery({
    queryKey: queryKeys.users.list({ limit: 500 }),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/users', { params: { query: { limit: 500 } }, signal })),
    enabled: scope === 'all',
  });
  const ownerName = (id: string) => users.data?.items.find((u) => u.id === id)?.username ?? id.slice(0, 8);
  const revoke = useMutation({
    mutationFn: (token: Token) => unwrap(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id: token.id } } })),
    onSuccess: () => {
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.tokens.all });
    },
  });
  const items = tokens.data?.pages.flatMap((page) => page.items) ?? [];
  const closeCreate = () => {
    setCreating(false);
    setCreated(null);
  };

  return (
    <Panel
      title={scope === 'all' ? "Everyone's tokens" : 'Your tokens'}
      count={tokens.isSuccess ? items.length : undefined}
      testId="token-list"
      actions={
        user && (
          <Button size="xs" onClick={() => setCreating(true)}>
            New token
          </Button>
        )
      }
    >
      <Stack gap="sm">
        {isAdmin && <Switch label="Show everyone's tokens" checked={everyone} onChange={(e) => setEveryone(e.currentTarget.checked)} />}
        {tokens.isPending && <Skeleton height={80} aria-label="Loading tokens" />}
        {tokens.isError && <ErrorNotice error={tokens.error} title="Could not load tokens" onRetry={() => void tokens.refetch()} />}
        {tokens.isSuccess && items.length === 0 && <Text size="sm">No API token yet.</Text>}
        {items.length > 0 && (
          <ScrollTable label="API tokens" minWidth={scope === 'all' ? 900 : 800}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Role</Table.Th>
                {scope === 'all' && <Table.Th>Owner</Table.Th>}
                <Table.Th>Created</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
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
                          onClick={() => {
                            revoke.reset();
                            setRevoking(token);
                          }}
                          aria-label={`Revoke ${token.name}`}
                        >
                          Revoke
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </ScrollTable>
        )}
        {tokens.hasNextPage && (
          <Button variant="default" onClick={() => void tokens.fetchNextPage()} loading={tokens.isFetchingNextPage} style={{ alignSelf: 'flex-start' }}>
            Load more
          </Button>
        )}
      </Stack>
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
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke ${revoking?.name ?? 'this token'}?`}
        confirmLabel="Revoke"
        approval={`No one else: ${isAdmin ? 'an admin or the owner' : 'its owner'} revokes alone. It cannot be undone.`}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        pending={revoke.isPending}
        error={revoke.error}
      >
        <Text size="sm">Whatever uses it (a script, a runner, Alertmanager) is refused from now on.</Text>
      </ConfirmModal>
    </Panel>
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
