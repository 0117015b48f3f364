import { Alert, Button, Group, Modal, SegmentedControl, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { CrudForm } from '../common/crud.js';
import { formatDateTime } from '../common/format.js';
import { toLocalInput } from '../common/local-time.js';
import { useNow } from '../common/use-now.js';
import { matchesAll, type Matcher } from './matchers.js';
import { matchersReady, MatchersEditor } from './MatchersEditor.js';
import { useCreateSilence, useFiringAlerts } from './queries.js';

const fromLocalInput = (value: string): number => (value ? new Date(value).getTime() : Number.NaN);

const DURATIONS = [
  { label: '1 h', ms: 3_600_000 },
  { label: '4 h', ms: 4 * 3_600_000 },
  { label: '1 day', ms: 86_400_000 },
  { label: '1 week', ms: 7 * 86_400_000 },
];

/** Firing alerts the preview checks the matchers against. */
const PREVIEW_LIMIT = 200;

/**
 * Silence alerts, or declare a maintenance window: matchers, from and
 * until (local time), and why. Shows how many firing alerts it would
 * catch before it is created.
 */
export function SilenceModal({ opened, initial, onClose }: { opened: boolean; initial: Matcher[] | null; onClose: () => void }) {
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} title="New silence" size="lg">
      {opened && <SilenceForm initial={initial} onClose={onClose} />}
    </Modal>
  );
}

function SilenceForm({ initial, onClose }: { initial: Matcher[] | null; onClose: () => void }) {
  const now = useNow();
  const [opened] = useState(() => Date.now());
  const [kind, setKind] = useState<'silence' | 'maintenance'>('silence');
  const [matchers, setMatchers] = useState<Matcher[]>(initial ?? [{ name: 'alertname', op: '=', value: '' }]);
  const [startsAt, setStartsAt] = useState(() => toLocalInput(opened));
  const [endsAt, setEndsAt] = useState(() => toLocalInput(opened + 2 * 3_600_000));
  const [comment, setComment] = useState('');
  const firing = useFiringAlerts(PREVIEW_LIMIT);
  const create = useCreateSilence();

  const start = fromLocalInput(startsAt);
  const end = fromLocalInput(endsAt);
  const windowProblem = Number.isNaN(start) || Number.isNaN(end) ? 'Give a start and an end.' : end <= start ? 'The end must come after the start.' : end <= now ? 'The end is in the past.' : null;
  const ready = matchersReady(matchers) && windowProblem === null && comment.trim() !== '';
  const caught = matchersReady(matchers) && firing.data ? firing.data.items.filter((alert) => matchesAll(matchers, alert.labels)) : null;

  const submit = () =>
    create.mutate(
      { kind, matchers, startsAt: new Date(start).toISOString(), endsAt: new Date(end).toISOString(), comment: comment.trim() },
      { onSuccess: onClose },
    );

  return (
    <CrudForm ready={ready} onSubmit={submit} onCancel={onClose} submitLabel="Create" action={create} errorTitle="Could not create the silence">
      <SegmentedControl
        aria-label="Kind"
        value={kind}
        onChange={(value) => setKind(value as 'silence' | 'maintenance')}
        data={[
          { value: 'silence', label: 'Silence' },
          { value: 'maintenance', label: 'Maintenance window' },
        ]}
      />
      <MatchersEditor value={matchers} onChange={setMatchers} />
      {caught && (
        <Text size="sm" data-testid="silence-preview">
          {caught.length === 0
            ? 'No alert firing now matches these.'
            : `Matches ${caught.length} firing alert${caught.length === 1 ? '' : 's'} now: ${caught
                .slice(0, 5)
                .map((a) => a.labels.alertname ?? a.fingerprint)
                .join(', ')}${caught.length > 5 ? ', …' : ''}.`}
        </Text>
      )}
      <Group gap="sm" wrap="wrap" align="flex-end">
        <TextInput type="datetime-local" label="From" value={startsAt} onChange={(e) => setStartsAt(e.currentTarget.value)} required style={{ flex: '1 1 12rem' }} />
        <TextInput type="datetime-local" label="Until" value={endsAt} onChange={(e) => setEndsAt(e.currentTarget.value)} required style={{ flex: '1 1 12rem' }} error={windowProblem} />
      </Group>
      <Group gap={6} wrap="wrap">
        <Text size="sm">Until, from the start:</Text>
        {DURATIONS.map((d) => (
          <Button
            key={d.label}
            size="compact-sm"
            variant="default"
            onClick={() => setEndsAt(toLocalInput((Number.isNaN(start) ? now : start) + d.ms))}
            aria-label={`End ${d.label} after the start`}
          >
            +{d.label}
          </Button>
        ))}
      </Group>
      <Text size="xs" c="dimmed">
        Times are your browser&apos;s local time
        {!Number.isNaN(start) && !Number.isNaN(end) ? ` (${formatDateTime(new Date(start).toISOString())} to ${formatDateTime(new Date(end).toISOString())})` : ''}.
      </Text>
      <Textarea label="Why" description="Shown to everyone who sees the silence" required value={comment} onChange={(e) => setComment(e.currentTarget.value)} autosize minRows={2} maxLength={2000} />
      {kind === 'maintenance' && (
        <Alert variant="light" color="blue">
          A maintenance window works like a silence (matching alerts are stored, nobody is paged); it records that the work was planned.
        </Alert>
      )}
    </CrudForm>
  );
}
