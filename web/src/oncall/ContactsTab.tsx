import { Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { CrudForm, EditModal, RowActions, useConfirmed, useEditing } from '../common/crud.js';
import { ListPanel } from '../common/ListPanel.js';
import { ScrollTable } from '../common/ScrollTable.js';
import type { Contact } from './describe.js';
import { useContacts, useDeleteContact, useSaveContact } from './queries.js';

interface ContactForm {
  name: string;
  phone: string;
  email: string;
  slack: string;
  team: string;
}

const FIELDS = ['phone', 'email', 'slack', 'team'] as const;

function ContactModal({ contact, onClose }: { contact: Contact | null; onClose: () => void }) {
  const [form, setForm] = useState<ContactForm>({
    name: contact?.name ?? '',
    phone: contact?.phone ?? '',
    email: contact?.email ?? '',
    slack: contact?.slack ?? '',
    team: contact?.team ?? '',
  });
  const set = (key: keyof ContactForm, value: string) => setForm((current) => ({ ...current, [key]: value }));
  const save = useSaveContact();
  const submit = () => {
    if (contact) {
      // PATCH: only what changed; an emptied field is cleared (null).
      const body: Record<string, string | null> = {};
      if (form.name.trim() !== contact.name) body.name = form.name.trim();
      for (const key of FIELDS) {
        const value = form[key].trim();
        if (value !== (contact[key] ?? '')) body[key] = value === '' ? null : value;
      }
      save.mutate({ item: contact, body }, { onSuccess: onClose });
      return;
    }
    const body: { name: string } & Partial<Record<(typeof FIELDS)[number], string>> = { name: form.name.trim() };
    for (const key of FIELDS) if (form[key].trim()) body[key] = form[key].trim();
    save.mutate({ item: null, body }, { onSuccess: onClose });
  };
  return (
    <CrudForm ready={form.name.trim() !== ''} onSubmit={submit} onCancel={onClose} submitLabel={contact ? 'Save' : 'Add the contact'} action={save} errorTitle="Could not save the contact">
      <TextInput label="Name" required value={form.name} onChange={(e) => set('name', e.currentTarget.value)} />
      <TextInput label="Phone" description="International format, such as +44 20 7946 0958" type="tel" value={form.phone} onChange={(e) => set('phone', e.currentTarget.value)} />
      <TextInput label="E-mail" type="email" value={form.email} onChange={(e) => set('email', e.currentTarget.value)} />
      <TextInput label="Slack" description="@user or #channel" value={form.slack} onChange={(e) => set('slack', e.currentTarget.value)} />
      <TextInput label="Team" value={form.team} onChange={(e) => set('team', e.currentTarget.value)} />
    </CrudForm>
  );
}

/** People NEXUS can page. Admins add, change and delete them. */
export function ContactsTab({ isAdmin }: { isAdmin: boolean }) {
  const contacts = useContacts();
  const form = useEditing<Contact>();
  const remove = useConfirmed(useDeleteContact());
  const items = contacts.data?.items ?? [];
  return (
    <ListPanel title="Contacts" testId="contact-list" query={contacts} count={items.length} noun="contacts" addLabel="Add a contact" onAdd={isAdmin ? form.create : null}
      note={isAdmin ? undefined : 'Changing contacts needs the admin role.'} emptyText="No contacts yet.">
      {items.length > 0 && (
        <ScrollTable label="Contacts" minWidth={isAdmin ? 760 : 620} columns={['Name', 'Phone', 'E-mail', 'Slack', 'Team', isAdmin && 'Actions']}>
          {items.map((contact) => (
            <Table.Tr key={contact.id} data-testid="contact-row" data-contact-id={contact.id}>
              <Table.Td fw={600}>{contact.name}</Table.Td>
              <Table.Td>{contact.phone ?? '—'}</Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{contact.email ?? '—'}</Table.Td>
              <Table.Td>{contact.slack ?? '—'}</Table.Td>
              <Table.Td>{contact.team ?? '—'}</Table.Td>
              {isAdmin && (
                <Table.Td>
                  <RowActions name={contact.name} onEdit={() => form.edit(contact)} onDelete={() => remove.ask(contact)} />
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </ScrollTable>
      )}
      <EditModal editing={form.editing} onClose={form.close} title={(contact) => (contact ? `Edit ${contact.name}` : 'New contact')}>
        {(contact) => <ContactModal contact={contact} onClose={form.close} />}
      </EditModal>
      <ConfirmModal
        {...remove.modal}
        title={`Delete ${remove.target?.name ?? 'this contact'}?`}
        confirmLabel="Delete the contact"
        approval="No one else: admins manage contacts alone. The deletion is in the audit log."
      >
        <Text size="sm">NEXUS refuses while a rotation or escalation policy still pages this person: take them out of those first.</Text>
      </ConfirmModal>
    </ListPanel>
  );
}
