import { Badge, Button, Group, Modal, PasswordInput, NativeSelect, Skeleton, Stack, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { RequestBodyOf, Role, User } from '../api/types.js';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { formatDateTime } from '../common/format.js';
import { ScrollTable } from '../common/ScrollTable.js';
import { RequireRole } from '../session/RequireRole.js';
import { ROLES } from '../session/roles.js';
import { useApi } from '../session/SessionProvider.js';
import { useCurrentUser } from '../session/use-current-user.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { PageHeader } from '../shell/PageHeader.js';
import { Panel } from '../shell/Panel.js';
import { ROLE_DESCRIPTION } from './roles.js';

const PAGE = 100;
/** src/platform/auth/passwords.ts */
const MIN_PASSWORD = 12;
const USERNAME = /^[a-z0-9][a-z0-9._-]*$/;
type UpdateBody = RequestBodyOf<'/api/v1/users/{id}', 'patch'>;

const roleOptions = ROLES.map((role) => ({ value: role, label: `${role}: ${ROLE_DESCRIPTION[role]}` }));

function UserForm({ user, onClose }: { user: User | null; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState(user?.username ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'viewer');
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [email, setEmail] = useState(user?.email ?? '');
  const [password, setPassword] = useState('');
  const save = useMutation({
    mutationFn: () => {
      if (!user) {
        return unwrap(
          api.POST('/api/v1/users', {
            body: { username: username.trim(), password, role, ...(displayName.trim() ? { displayName: displayName.trim() } : {}), ...(email.trim() ? { email: email.trim() } : {}) },
          }),
        );
      }
      const body: UpdateBody = {};
      if (role !== user.role) body.role = role;
      if (displayName.trim() !== (user.displayName ?? '')) body.displayName = displayName.trim() || null;
      if (email.trim() !== (user.email ?? '')) body.email = email.trim() || null;
      if (password) body.password = password;
      return unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body }));
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.users.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
      onClose();
    },
  });
  const usernameProblem = !user && username.trim() !== '' && (!USERNAME.test(username.trim()) || username.trim().length < 2) ? 'Lowercase letters, digits, ".", "_" and "-"; 2 to 63 characters.' : null;
  const passwordProblem = password !== '' && password.length < MIN_PASSWORD ? `At least ${MIN_PASSWORD} characters.` : null;
  const changed = !user || role !== user.role || displayName.trim() !== (user.displayName ?? '') || email.trim() !== (user.email ?? '') || password !== '';
  const ready = changed && passwordProblem === null && (user !== null || (username.trim() !== '' && usernameProblem === null && password !== ''));
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (ready) save.mutate();
      }}
    >
      <Stack gap="sm">
        {user ? (
          <Text size="sm">
            Username: <strong>{user.username}</strong>
          </Text>
        ) : (
          <TextInput label="Username" required value={username} onChange={(e) => setUsername(e.currentTarget.value)} error={usernameProblem} autoComplete="off" />
        )}
        <NativeSelect label="Role" data={roleOptions} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)} />
        <TextInput label="Display name" value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} />
        <TextInput label="E-mail" type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        <PasswordInput
          label={user ? 'New password' : 'Password'}
          description={user ? `Leave empty to keep it. A new one signs ${user.username} out of every session.` : `At least ${MIN_PASSWORD} characters; tell it to them in person.`}
          required={!user}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={passwordProblem}
          autoComplete="new-password"
        />
        {save.isError && <ErrorNotice error={save.error} title={user ? 'Could not save' : 'Could not create the user'} />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!ready}>
            {user ? 'Save' : 'Create the user'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type Confirming = { kind: 'disable' | 'enable' | 'revoke'; user: User };

function UsersList() {
  const api = useApi();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const users = useInfiniteQuery({
    queryKey: queryKeys.users.list({ limit: PAGE }),
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/users', { params: { query: { limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const act = useMutation({
    mutationFn: async ({ kind, user }: Confirming) => {
      if (kind === 'revoke') await unwrap(api.POST('/api/v1/users/{id}/sessions/revoke', { params: { path: { id: user.id } }, body: {} }));
      else await unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body: { disabled: kind === 'disable' } }));
    },
    onSuccess: () => {
      setConfirming(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.users.all });
    },
  });
  const items = users.data?.pages.flatMap((page) => page.items) ?? [];
  const self = (user: User) => me?.id === user.id;
  const ask = (kind: Confirming['kind'], user: User) => {
    act.reset();
    if (kind === 'enable') act.mutate({ kind, user });
    else setConfirming({ kind, user });
  };

  return (
    <Panel
      title="Users"
      count={users.isSuccess ? items.length : undefined}
      testId="user-list"
      actions={
        <Button size="xs" onClick={() => setEditing('new')}>
          New user
        </Button>
      }
    >
      <Stack gap="sm">
        {users.isPending && <Skeleton height={100} aria-label="Loading users" />}
        {users.isError && <ErrorNotice error={users.error} title="Could not load users" onRetry={() => void users.refetch()} />}
        {act.isError && confirming === null && <ErrorNotice error={act.error} title="The server refused" />}
        {items.length > 0 && (
          <ScrollTable label="Users" minWidth={860}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>User</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Since</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((user) => (
                <Table.Tr key={user.id} data-testid="user-row" data-username={user.username} data-role={user.role} data-disabled={user.disabled}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {user.username}
                      {self(user) ? ' (you)' : ''}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {[user.displayName, user.email].filter(Boolean).join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={user.role === 'admin' ? 'grape' : user.role === 'operator' ? 'blue' : 'gray'}>
                      {user.role}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={user.disabled ? 'red' : 'teal'}>
                      {user.disabled ? 'disabled' : 'active'}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(user.createdAt)}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-sm" variant="default" onClick={() => setEditing(user)} aria-label={`Edit ${user.username}`}>
                        Edit
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color={user.disabled ? 'teal' : 'red'}
                        onClick={() => ask(user.disabled ? 'enable' : 'disable', user)}
                        loading={act.isPending && act.variables?.user.id === user.id && act.variables.kind === 'enable'}
                        aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.username}`}
                      >
                        {user.disabled ? 'Enable' : 'Disable'}
                      </Button>
                      <Button size="compact-sm" variant="subtle" color="red" onClick={() => ask('revoke', user)} aria-label={`Sign out everywhere: ${user.username}`}>
                        Sign out everywhere
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ScrollTable>
        )}
        {users.hasNextPage && (
          <Button variant="default" onClick={() => void users.fetchNextPage()} loading={users.isFetchingNextPage} style={{ alignSelf: 'flex-start' }}>
            Load more
          </Button>
        )}
      </Stack>
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'New user' : `Edit ${editing?.username ?? ''}`}>
        {editing !== null && <UserForm key={editing === 'new' ? 'new' : editing.id} user={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      </Modal>
      <ConfirmModal
        opened={confirming !== null}
        onClose={() => setConfirming(null)}
        title={confirming?.kind === 'disable' ? `Disable ${confirming.user.username}?` : `Sign ${confirming?.user.username ?? ''} out everywhere?`}
        confirmLabel={confirming?.kind === 'disable' ? 'Disable' : 'Sign out everywhere'}
        approval="No one else: admins do this alone. It is in the audit log."
        onConfirm={() => confirming && act.mutate(confirming)}
        pending={act.isPending}
        error={act.error}
      >
        <Text size="sm">
          {confirming?.kind === 'disable'
            ? `${confirming.user.username} can no longer sign in, and their sessions and API tokens stop working at once. Enable them again to undo. The last enabled admin cannot be disabled.`
            : `Every session of ${confirming?.user.username ?? ''} ends now; their API tokens keep working (revoke those one by one).`}
          {confirming && self(confirming.user) ? ' This includes you: you will be signed out.' : ''}
        </Text>
      </ConfirmModal>
    </Panel>
  );
}

/** `/admin/users` (admin): who can sign in, with which role. */
export function UsersPage() {
  return (
    <RequireRole role="admin">
      <PageHeader title="Users" description="People who can sign in, and their roles" />
      <UsersList />
    </RequireRole>
  );
}
