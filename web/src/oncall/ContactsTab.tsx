import { Button, Group, Modal, Skeleton, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { ScrollTable } from '../common/ScrollTable.js';
import { useApi } from '../session/SessionProvider.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';
import type { Contact } from './describe.js';
import { useContacts } from './queries.js';

interface ContactForm {
  name: string;
  phone: string;
  email: string;
  slack: string;
  team: string;
}

const FIELDS = ['phone', 'email', 'slack', 'team'] as const;

function ContactModal({ contact, onClose }: { contact: Contact | null; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<ContactForm>({
    name: contact?.name ?? '',
    phone: contact?.phone ?? '',
    email: contact?.email ?? '',
    slack: contact?.slack ?? '',
    team: contact?.team ?? '',
  });
  const set = (key: keyof ContactForm, value: string) => setForm((current) => ({ ...current, [key]: value }));
  const save = useMutation({
    mutationFn: () => {
      if (contact) {
        // PATCH: only what changed; an emptied field is cleared (null).
        const body: Record<string, string | null> = {};
        if (form.name.trim() !== contact.name) body.name = form.name.trim();
        for (const key of FIELDS) {
          const value = form[key].trim();
          if (value !== (contact[key] ?? '')) body[key] = value === '' ? null : value;
        }
        return unwrap(api.PATCH('/api/v1/contacts/{id}', { params: { path: { id: contact.id } }, body }));
      }
      const body: { name: string } & Partial<Record<(typeof FIELDS)[number], string>> = { name: form.name.trim() };
      for (const key of FIELDS) if (form[key].trim()) body[key] = form[key].trim();
      return unwrap(api.POST('/api/v1/contacts', { body }));
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.oncall.contacts });
      void queryClient.invalidateQueries({ queryKey: queryKeys.oncall.rotations });
      onClose();
    },
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <TextInput label="Name" required value={form.name} onChange={(e) => set('name', e.currentTarget.value)} />
        <TextInput label="Phone" description="International format, such as +44 20 7946 0958" type="tel" value={form.phone} onChange={(e) => set('phone', e.currentTarget.value)} />
        <TextInput label="E-mail" type="email" value={form.email} onChange={(e) => set('email', e.currentTarget.value)} />
        <TextInput label="Slack" description="@user or #channel" value={form.slack} onChange={(e) => set('slack', e.currentTarget.value)} />
        <TextInput label="Team" value={form.team} onChange={(e) => set('team', e.currentTarget.value)} />
        {save.isError && <ErrorNotice error={save.error} title="Could not save the contact" />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={form.name.trim() === ''}>
            {contact ? 'Save' : 'Add the contact'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** People NEXUS can page. Admins add, change and delete them. */
export function ContactsTab({ isAdmin }: { isAdmin: boolean }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const contacts = useContacts();
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Contact | null>(null);
  const remove = useMutation({
    mutationFn: (contact: Contact) => unwrap(api.DELETE('/api/v1/contacts/{id}', { params: { path: { id: contact.id } } })),
    onSuccess: () => {
      setDeleting(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.oncall.contacts });
    },
  });
  const items = contacts.data?.items ?? [];
  return (
    <Panel
      title="Contacts"
      count={contacts.data?.items.length}
      testId="contact-list"
      actions={
        isAdmin ? (
          <Button size="xs" onClick={() => setEditing('new')}>
            Add a contact
          </Button>
        ) : undefined
      }
    >
      {!isAdmin && (
        <Text size="xs" c="dimmed" mb="xs">
          Changing contacts needs the admin role.
        </Text>
      )}
      {contacts.isPending && <Skeleton height={60} aria-label="Loading contacts" />}
      {contacts.isError && <ErrorNotice error={contacts.error} title="Could not load contacts" onRetry={() => void contacts.refetch()} />}
      {contacts.isSuccess && items.length === 0 && <Text size="sm">No contacts yet.</Text>}
      {items.length > 0 && (
        <ScrollTable label="Contacts" minWidth={isAdmin ? 760 : 620}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Phone</Table.Th>
              <Table.Th>E-mail</Table.Th>
              <Table.Th>Slack</Table.Th>
              <Table.Th>Team</Table.Th>
              {isAdmin && <Table.Th>Actions</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((contact) => (
              <Table.Tr key={contact.id} data-testid="contact-row" data-contact-id={contact.id}>
                <Table.Td fw={600}>{contact.name}</Table.Td>
                <Table.Td>{contact.phone ?? '—'}</Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{contact.email ?? '—'}</Table.Td>
                <Table.Td>{contact.slack ?? '—'}</Table.Td>
                <Table.Td>{contact.team ?? '—'}</Table.Td>
                {isAdmin && (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-sm" variant="default" onClick={() => setEditing(contact)} aria-label={`Edit ${contact.name}`}>
                        Edit
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        onClick={() => {
                          remove.reset();
                          setDeleting(contact);
                        }}
                        aria-label={`Delete ${contact.name}`}
                      >
                        Delete
                      </Button>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'New contact' : `Edit ${editing?.name ?? ''}`}>
        {editing !== null && <ContactModal key={editing === 'new' ? 'new' : editing.id} contact={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete ${deleting?.name ?? 'this contact'}?`}
        confirmLabel="Delete the contact"
        approval="No one else: admins manage contacts alone. The deletion is in the audit log."
        onConfirm={() => deleting && remove.mutate(deleting)}
        pending={remove.isPending}
        error={remove.error}
      >
        <Text size="sm">NEXUS refuses while a rotation or escalation policy still pages this person: take them out of those first.</Text>
      </ConfirmModal>
    </Panel>
  );
}
