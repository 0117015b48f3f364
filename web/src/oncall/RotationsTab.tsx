import { Badge, Button, Card, Group, Modal, NativeSelect, SimpleGrid, Skeleton, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { CrudForm, EditModal, RowActions, useEditing } from '../common/crud.js';
import { ListPanel } from '../common/ListPanel.js';
import { formatDateTime } from '../common/format.js';
import { localToIso, toLocalInput } from '../common/local-time.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { describeHandoff, WEEKDAYS, type Rotation, type Weekday } from './describe.js';
import { MemberList } from './MemberList.js';
import { useAddOverride, useContacts, useOnCallNow, useRotations, useSaveRotation } from './queries.js';

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const today = () => new Date().toISOString().slice(0, 10);

function OnCallNow({ rotation }: { rotation: Rotation }) {
  const oncall = useOnCallNow(rotation.id);
  if (oncall.isPending) return <Skeleton height={20} role="status" aria-label={`Loading who is on call for ${rotation.name}`} />;
  if (oncall.isError) return <ErrorNotice error={oncall.error} title="Could not tell who is on call" />;
  const { contact, source, until } = oncall.data;
  return (
    <Group gap={6} wrap="wrap" data-testid="oncall-now" data-contact-id={contact?.id ?? ''} data-source={source ?? ''}>
      <Text size="sm" fw={600}>
        On call now: {contact ? contact.name : 'nobody'}
      </Text>
      {source === 'override' && (
        <Badge size="sm" variant="light" color="grape">
          override
        </Badge>
      )}
      {until && (
        <Text size="xs" c="dimmed">
          until {formatDateTime(until)}
        </Text>
      )}
      {contact && (contact.phone || contact.slack) && (
        <Text size="xs" c="dimmed">
          {[contact.phone, contact.slack].filter(Boolean).join(' · ')}
        </Text>
      )}
    </Group>
  );
}

function RotationForm({ rotation, onClose }: { rotation: Rotation | null; onClose: () => void }) {
  const contacts = useContacts();
  const [name, setName] = useState(rotation?.name ?? '');
  const [members, setMembers] = useState<string[]>(rotation?.members.map((m) => m.id) ?? []);
  const [weekday, setWeekday] = useState<Weekday>(rotation?.handoffWeekday ?? 'monday');
  const [time, setTime] = useState(rotation?.handoffTime ?? '09:00');
  const [timezone, setTimezone] = useState(rotation?.timezone ?? browserZone);
  const [startDate, setStartDate] = useState(rotation?.startDate ?? today());
  const save = useSaveRotation();
  const submit = () =>
    save.mutate({ item: rotation, body: { name: name.trim(), members, handoffWeekday: weekday, handoffTime: time, timezone: timezone.trim(), startDate } }, { onSuccess: onClose });
  const ready = name.trim() !== '' && members.length > 0 && /^([01]\d|2[0-3]):[0-5]\d$/.test(time) && timezone.trim() !== '' && startDate !== '';
  return (
    <CrudForm ready={ready} onSubmit={submit} onCancel={onClose} submitLabel={rotation ? 'Save' : 'Create the rotation'} action={save} errorTitle="Could not save the rotation">
      <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
      <MemberList value={members} onChange={setMembers} contacts={contacts.data?.items ?? []} />
      <Group gap="sm" wrap="wrap" align="flex-start">
        <NativeSelect
          label="Handoff day"
          data={WEEKDAYS.map((d) => ({ value: d, label: d.charAt(0).toUpperCase() + d.slice(1) }))}
          value={weekday}
          onChange={(e) => setWeekday(e.currentTarget.value as Weekday)}
          style={{ flex: '1 1 9rem' }}
        />
        <TextInput label="Handoff time" type="time" required value={time} onChange={(e) => setTime(e.currentTarget.value)} style={{ flex: '1 1 7rem' }} />
      </Group>
      <Group gap="sm" wrap="wrap" align="flex-start">
        <TextInput label="Time zone" description="IANA name, such as Europe/Berlin" required value={timezone} onChange={(e) => setTimezone(e.currentTarget.value)} style={{ flex: '1 1 10rem' }} />
        <TextInput label="First shift from" type="date" required value={startDate} onChange={(e) => setStartDate(e.currentTarget.value)} style={{ flex: '1 1 9rem' }} />
      </Group>
    </CrudForm>
  );
}

function OverrideForm({ rotation, onClose }: { rotation: Rotation; onClose: () => void }) {
  const contacts = useContacts();
  const [openedAt] = useState(() => Date.now());
  const [contactId, setContactId] = useState<string | null>(null);
  const [from, setFrom] = useState(() => toLocalInput(openedAt));
  const [until, setUntil] = useState(() => toLocalInput(openedAt + 8 * 3_600_000));
  const [reason, setReason] = useState('');
  const save = useAddOverride(rotation.id);
  const start = localToIso(from);
  const end = localToIso(until);
  const windowProblem = !start || !end ? 'Give a start and an end.' : end <= start ? 'The end must come after the start.' : null;
  const submit = () => {
    if (contactId && start && end) save.mutate({ contactId, startsAt: start, endsAt: end, ...(reason.trim() ? { reason: reason.trim() } : {}) }, { onSuccess: onClose });
  };
  return (
    <CrudForm ready={contactId !== null && windowProblem === null} onSubmit={submit} onCancel={onClose} submitLabel="Add the override" action={save} errorTitle="Could not add the override">
      <NativeSelect
        label="Who is on call instead"
        required
        data={[{ value: '', label: 'Choose a contact…' }, ...(contacts.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))]}
        value={contactId ?? ''}
        onChange={(e) => setContactId(e.currentTarget.value || null)}
      />
      <Group gap="sm" wrap="wrap" align="flex-start">
        <TextInput type="datetime-local" label="From" required value={from} onChange={(e) => setFrom(e.currentTarget.value)} style={{ flex: '1 1 12rem' }} />
        <TextInput type="datetime-local" label="Until" required value={until} onChange={(e) => setUntil(e.currentTarget.value)} error={windowProblem} style={{ flex: '1 1 12rem' }} />
      </Group>
      <Text size="xs" c="dimmed">
        Your browser&apos;s local time.
      </Text>
      <Textarea label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} autosize minRows={2} />
    </CrudForm>
  );
}

function RotationCard({ rotation, canEdit, onEdit, onOverride }: { rotation: Rotation; canEdit: boolean; onEdit: () => void; onOverride: () => void }) {
  return (
    <Card withBorder padding="sm" component="article" aria-label={`Rotation ${rotation.name}`} data-testid="rotation" data-rotation-id={rotation.id}>
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text fw={700}>{rotation.name}</Text>
          {canEdit && (
            <RowActions name={`rotation ${rotation.name}`} onEdit={onEdit}>
              <Button size="compact-sm" variant="light" onClick={onOverride} aria-label={`Add an override to ${rotation.name}`}>
                Override
              </Button>
            </RowActions>
          )}
        </Group>
        <OnCallNow rotation={rotation} />
        <Text size="xs" c="dimmed">
          {describeHandoff(rotation)}
        </Text>
        <Text size="sm">
          <strong>Turns:</strong> {rotation.members.map((m, i) => `${i + 1}. ${m.name}`).join(', ')}
        </Text>
        {rotation.overrides.length > 0 && (
          <Stack gap={2}>
            <Text size="sm" fw={600}>
              Overrides
            </Text>
            <Stack component="ul" gap={2} style={{ margin: 0, paddingLeft: '1.25rem' }}>
              {rotation.overrides.map((o) => (
                <Text component="li" size="xs" key={o.id} data-testid="rotation-override">
                  {o.contact.name}: {formatDateTime(o.startsAt)} to {formatDateTime(o.endsAt)}
                  {o.reason ? ` (${o.reason})` : ''} · by {o.createdBy}
                </Text>
              ))}
            </Stack>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

/** Weekly rotations: who is on call now, turn order, handoff, overrides. Operators create and change them. */
export function RotationsTab({ canEdit }: { canEdit: boolean }) {
  const rotations = useRotations();
  const form = useEditing<Rotation>();
  const [overriding, setOverriding] = useState<Rotation | null>(null);
  const items = rotations.data?.items ?? [];
  return (
    <ListPanel title="Rotations" testId="rotation-list" query={rotations} count={items.length} noun="rotations" addLabel="New rotation" onAdd={canEdit ? form.create : null}
      note={canEdit ? undefined : 'Changing rotations needs the operator role.'} emptyText="No rotation yet." skeletonHeight={80}>
      {items.length > 0 && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          {items.map((rotation) => (
            <RotationCard key={rotation.id} rotation={rotation} canEdit={canEdit} onEdit={() => form.edit(rotation)} onOverride={() => setOverriding(rotation)} />
          ))}
        </SimpleGrid>
      )}
      <EditModal editing={form.editing} onClose={form.close} title={(rotation) => (rotation ? `Edit ${rotation.name}` : 'New rotation')}>
        {(rotation) => <RotationForm rotation={rotation} onClose={form.close} />}
      </EditModal>
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={overriding !== null} onClose={() => setOverriding(null)} title={`Override ${overriding?.name ?? ''}`}>
        {overriding && <OverrideForm key={overriding.id} rotation={overriding} onClose={() => setOverriding(null)} />}
      </Modal>
    </ListPanel>
  );
}
