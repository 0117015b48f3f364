import { Badge, Button, NativeSelect, PasswordInput, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { RequestBodyOf, Role, User } from '../api/types.js';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { CrudForm, EditModal, RowActions, useConfirmed, useEditing } from '../common/crud.js';
import { ListPanel } from '../common/ListPanel.js';
import { formatDateTime } from '../common/format.js';
import { ScrollTable } from '../common/ScrollTable.js';
import { RequireRole } from '../session/RequireRole.js';
import { ROLES } from '../session/roles.js';
import { useCurrentUser } from '../session/queries.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { PageHeader } from '../shell/PageHeader.js';
import { useSaveUser, useUserAction, useUserPages, type UserAction } from './queries.js';
import { ROLE_DESCRIPTION } from './roles.js';

/** src/platform/auth/passwords.ts */
const MIN_PASSWORD = 12;
const USERNAME = /^[a-z0-9][a-z0-9._-]*$/;
type UserChange = RequestBodyOf<'/api/v1/users/{id}', 'patch'>;

const roleOptions = ROLES.map((role) => ({ value: role, label: `${role}: ${ROLE_DESCRIPTION[role]}` }));

function UserForm({ user, onClose }: { user: User | null; onClose: () => void }) {
  const [username, setUsername] = useState(user?.username ?? '');
  const [role, setRole] = useState<Role>(user?.role ?? 'viewer');
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [email, setEmail] = useState(user?.email ?? '');
  const [password, setPassword] = useState('');
  const save = useSaveUser();
  const submit = () => {
    if (!user) {
      const body = { username: username.trim(), password, role, ...(displayName.trim() ? { displayName: displayName.trim() } : {}), ...(email.trim() ? { email: email.trim() } : {}) };
      save.mutate({ item: null, body }, { onSuccess: onClose });
      return;
    }
    const body: UserChange = {};
    if (role !== user.role) body.role = role;
    if (displayName.trim() !== (user.displayName ?? '')) body.displayName = displayName.trim() || null;
    if (email.trim() !== (user.email ?? '')) body.email = email.trim() || null;
    if (password) body.password = password;
    save.mutate({ item: user, body }, { onSuccess: onClose });
  };
  const usernameProblem = !user && username.trim() !== '' && (!USERNAME.test(username.trim()) || username.trim().length < 2) ? 'Lowercase letters, digits, ".", "_" and "-"; 2 to 63 characters.' : null;
  const passwordProblem = password !== '' && password.length < MIN_PASSWORD ? `At least ${MIN_PASSWORD} characters.` : null;
  const changed = !user || role !== user.role || displayName.trim() !== (user.displayName ?? '') || email.trim() !== (user.email ?? '') || password !== '';
  const ready = changed && passwordProblem === null && (user !== null || (username.trim() !== '' && usernameProblem === null && password !== ''));
  return (
    <CrudForm ready={ready} onSubmit={submit} onCancel={onClose} submitLabel={user ? 'Save' : 'Create the user'} action={save}
      errorTitle={user ? 'Could not save' : 'Could not create the user'}>
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
    </CrudForm>
  );
}

function UsersList() {
  const me = useCurrentUser();
  const form = useEditing<User>();
  const users = useUserPages();
  const act = useUserAction();
  const confirm = useConfirmed(act);
  const confirming = confirm.target;
  const items = users.data?.pages.flatMap((page) => page.items) ?? [];
  const self = (user: User) => me?.id === user.id;
  const ask = (kind: UserAction['kind'], user: User) => {
    if (kind === 'enable') {
      act.reset();
      act.mutate({ kind, user });
    } else confirm.ask({ kind, user });
  };

  return (
    <ListPanel title="Users" testId="user-list" query={users} count={items.length} noun="users" addLabel="New user" onAdd={form.create} emptyText="No users." skeletonHeight={100}>
      {act.isError && confirming === null && <ErrorNotice error={act.error} title="The server refused" />}
      {items.length > 0 && (
        <ScrollTable label="Users" minWidth={860} columns={['User', 'Role', 'Status', 'Since', 'Actions']}>
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
                <RowActions name={user.username} onEdit={() => form.edit(user)}>
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
                </RowActions>
              </Table.Td>
            </Table.Tr>
          ))}
        </ScrollTable>
      )}
      <EditModal editing={form.editing} onClose={form.close} title={(user) => (user ? `Edit ${user.username}` : 'New user')}>
        {(user) => <UserForm user={user} onClose={form.close} />}
      </EditModal>
      <ConfirmModal
        {...confirm.modal}
        title={confirming?.kind === 'disable' ? `Disable ${confirming.user.username}?` : `Sign ${confirming?.user.username ?? ''} out everywhere?`}
        confirmLabel={confirming?.kind === 'disable' ? 'Disable' : 'Sign out everywhere'}
        approval="No one else: admins do this alone. It is in the audit log."
      >
        <Text size="sm">
          {confirming?.kind === 'disable'
            ? `${confirming.user.username} can no longer sign in, and their sessions and API tokens stop working at once. Enable them again to undo. The last enabled admin cannot be disabled.`
            : `Every session of ${confirming?.user.username ?? ''} ends now; their API tokens keep working (revoke those one by one).`}
          {confirming && self(confirming.user) ? ' This includes you: you will be signed out.' : ''}
        </Text>
      </ConfirmModal>
    </ListPanel>
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
