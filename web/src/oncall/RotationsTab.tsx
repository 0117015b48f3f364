import { Badge, Button, Card, Group, Modal, NativeSelect, SimpleGrid, Skeleton, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import { formatDateTime } from '../common/format.js';
import { localToIso, toLocalInput } from '../common/local-time.js';
import { useApi } from '../session/SessionProvider.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';
import { describeHandoff, WEEKDAYS, type Rotation, type Weekday } from './describe.js';
import { MemberList } from './MemberList.js';
import { useContacts, useRotations } from './queries.js';

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const today = () => new Date().toISOString().slice(0, 10);

function OnCallNow({ rotation }: { rotation: Rotation }) {
  const api = useApi();
  const oncall = useQuery({
    queryKey: queryKeys.oncall.onCallNow(rotation.id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/rotations/{id}/oncall', { params: { path: { id: rotation.id } }, signal })),
    // The answer changes at each handoff: ask again every minute while on screen.
    refetchInterval: 60_000,
  });
  if (oncall.isPending) return <Skeleton height={20} aria-label={`Loading who is on call for ${rotation.name}`} />;
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
  const api = useApi();
  const queryClient = useQueryClient();
  const contacts = useContacts();
  const [name, setName] = useState(rotation?.name ?? '');
  const [members, setMembers] = useState<string[]>(rotation?.members.map((m) => m.id) ?? []);
  const [weekday, setWeekday] = useState<Weekday>(rotation?.handoffWeekday ?? 'monday');
  const [time, setTime] = useState(rotation?.handoffTime ?? '09:00');
  const [timezone, setTimezone] = useState(rotation?.timezone ?? browserZone);
  const [startDate, setStartDate] = useState(rotation?.startDate ?? today());
  const save = useMutation({
    mutationFn: () => {
      const body = { name: name.trim(), members, handoffWeekday: weekday, handoffTime: time, timezone: timezone.trim(), startDate };
      return rotation
        ? unwrap(api.PATCH('/api/v1/rotations/{id}', { params: { path: { id: rotation.id } }, body }))
        : unwrap(api.POST('/api/v1/rotations', { body }));
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.oncall.rotations });
      onClose();
    },
  });
  const ready = name.trim() !== '' && members.length > 0 && /^([01]\d|2[0-3]):[0-5]\d$/.test(time) && timezone.trim() !== '' && startDate !== '';
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (ready) save.mutate();
      }}
    >
      <Stack gap="sm">
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
        {save.isError && <ErrorNotice error={save.error} title="Could not save the rotation" />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!ready}>
            {rotation ? 'Save' : 'Create the rotation'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function OverrideForm({ rotation, onClose }: { rotation: Rotation; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const contacts = useContacts();
  const [openedAt] = useState(() => Date.now());
  const [contactId, setContactId] = useState<string | null>(null);
  const [from, setFrom] = useState(() => toLocalInput(openedAt));
  const [until, setUntil] = useState(() => toLocalInput(openedAt + 8 * 3_600_000));
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/rotations/{id}/overrides', {
          params: { path: { id: rotation.id } },
          body: { contactId: contactId!, startsAt: localToIso(from)!, endsAt: localToIso(until)!, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.oncall.rotations });
      onClose();
    },
  });
  const start = localToIso(from);
  const end = localToIso(until);
  const windowProblem = !start || !end ? 'Give a start and an end.' : end <= start ? 'The end must come after the start.' : null;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (contactId && !windowProblem) save.mutate();
      }}
    >
      <Stack gap="sm">
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
        {save.isError && <ErrorNotice error={save.error} title="Could not add the override" />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!contactId || windowProblem !== null}>
            Add the override
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RotationCard({ rotation, canEdit, onEdit, onOverride }: { rotation: Rotation; canEdit: boolean; onEdit: () => void; onOverride: () => void }) {
  return (
    <Card withBorder padding="sm" component="article" aria-label={`Rotation ${rotation.name}`} data-testid="rotation" data-rotation-id={rotation.id}>
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Text fw={700}>{rotation.name}</Text>
          {canEdit && (
            <Group gap={4}>
              <Button size="compact-sm" variant="default" onClick={onEdit} aria-label={`Edit rotation ${rotation.name}`}>
                Edit
              </Button>
              <Button size="compact-sm" variant="light" onClick={onOverride} aria-label={`Add an override to ${rotation.name}`}>
                Override
              </Button>
            </Group>
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
  const [editing, setEditing] = useState<Rotation | 'new' | null>(null);
  const [overriding, setOverriding] = useState<Rotation | null>(null);
  const items = rotations.data?.items ?? [];
  return (
    <Panel
      title="Rotations"
      count={rotations.data?.items.length}
      testId="rotation-list"
      actions={
        canEdit ? (
          <Button size="xs" onClick={() => setEditing('new')}>
            New rotation
          </Button>
        ) : undefined
      }
    >
      {!canEdit && (
        <Text size="xs" c="dimmed" mb="xs">
          Changing rotations needs the operator role.
        </Text>
      )}
      {rotations.isPending && <Skeleton height={80} aria-label="Loading rotations" />}
      {rotations.isError && <ErrorNotice error={rotations.error} title="Could not load rotations" onRetry={() => void rotations.refetch()} />}
      {rotations.isSuccess && items.length === 0 && <Text size="sm">No rotation yet.</Text>}
      {items.length > 0 && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          {items.map((rotation) => (
            <RotationCard key={rotation.id} rotation={rotation} canEdit={canEdit} onEdit={() => setEditing(rotation)} onOverride={() => setOverriding(rotation)} />
          ))}
        </SimpleGrid>
      )}
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'New rotation' : `Edit ${editing?.name ?? ''}`}>
        {editing !== null && <RotationForm key={editing === 'new' ? 'new' : editing.id} rotation={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      </Modal>
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={overriding !== null} onClose={() => setOverriding(null)} title={`Override ${overriding?.name ?? ''}`}>
        {overriding && <OverrideForm key={overriding.id} rotation={overriding} onClose={() => setOverriding(null)} />}
      </Modal>
    </Panel>
  );
}
