import { Anchor, Badge, Button, Code, Group, Modal, NumberInput, NativeSelect, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { RequestBodyOf, ResponseOf } from '../api/types.js';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { useApi } from '../session/SessionProvider.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';
import { formatMatcher, type Matcher } from './matchers.js';
import { matchersReady, MatchersEditor } from './MatchersEditor.js';

export type RoutingRule = ResponseOf<'/api/v1/routing-rules', 'get'>['items'][number];
type RuleBody = RequestBodyOf<'/api/v1/routing-rules', 'post'>;

interface RuleForm {
  name: string;
  position: number | '';
  matchers: Matcher[];
  severity: 'P1' | 'P2' | 'P3';
  title: string;
  service: string;
  runbookSlug: string;
  procedureId: string;
  escalationPolicy: string | null;
  category: 'security' | null;
}

function formOf(rule: RoutingRule | null, nextPosition: number): RuleForm {
  return {
    name: rule?.name ?? '',
    position: rule?.position ?? nextPosition,
    matchers: rule?.matchers ?? [{ name: 'alertname', op: '=', value: '' }],
    severity: rule?.severity ?? 'P2',
    title: rule?.title ?? '',
    service: rule?.service ?? '',
    runbookSlug: rule?.runbook?.slug ?? '',
    procedureId: rule?.runbook?.procedureId ?? '',
    escalationPolicy: rule?.escalationPolicy ?? null,
    category: rule?.category ?? null,
  };
}

function bodyOf(form: RuleForm): RuleBody {
  const slug = form.runbookSlug.trim();
  const procedure = form.procedureId.trim();
  return {
    name: form.name.trim(),
    ...(form.position === '' ? {} : { position: form.position }),
    matchers: form.matchers,
    severity: form.severity,
    title: form.title.trim() || null,
    service: form.service.trim() || null,
    runbook: slug && procedure ? { slug, procedureId: procedure } : null,
    escalationPolicy: form.escalationPolicy,
    category: form.category,
  };
}

function RuleModal({ rule, nextPosition, onClose }: { rule: RoutingRule | null; nextPosition: number; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(() => formOf(rule, nextPosition));
  const set = <K extends keyof RuleForm>(key: K, value: RuleForm[K]) => setForm((current) => ({ ...current, [key]: value }));
  const policies = useQuery({
    queryKey: queryKeys.oncall.escalationPolicies,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/escalation-policies', { params: { query: { limit: 500 } }, signal })),
  });
  const save = useMutation({
    mutationFn: () =>
      rule
        ? unwrap(api.PATCH('/api/v1/routing-rules/{id}', { params: { path: { id: rule.id } }, body: bodyOf(form) }))
        : unwrap(api.POST('/api/v1/routing-rules', { body: bodyOf(form) })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.routingRules.all });
      onClose();
    },
  });
  const halfRunbook = (form.runbookSlug.trim() === '') !== (form.procedureId.trim() === '');
  const ready = form.name.trim() !== '' && matchersReady(form.matchers, true) && !halfRunbook;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (ready) save.mutate();
      }}
    >
      <Stack gap="sm">
        <Group gap="sm" wrap="wrap" align="flex-start">
          <TextInput label="Name" required value={form.name} onChange={(e) => set('name', e.currentTarget.value)} style={{ flex: '2 1 12rem' }} />
          <NumberInput
            label="Position"
            description="Lower matches first"
            min={0}
            max={1_000_000}
            value={form.position}
            onChange={(value) => set('position', typeof value === 'number' ? value : '')}
            style={{ flex: '1 1 7rem' }}
          />
        </Group>
        <MatchersEditor value={form.matchers} onChange={(matchers) => set('matchers', matchers)} allowEmpty />
        <Group gap="sm" wrap="wrap" align="flex-start">
          <NativeSelect label="Severity" data={['P1', 'P2', 'P3']} value={form.severity} onChange={(e) => set('severity', e.currentTarget.value as RuleForm['severity'])} w={120} />
          <NativeSelect
            label="Category"
            data={[
              { value: '', label: 'None' },
              { value: 'security', label: 'security' },
            ]}
            value={form.category ?? ''}
            onChange={(e) => set('category', (e.currentTarget.value || null) as RuleForm['category'])}
            w={160}
          />
          <NativeSelect
            label="Escalation policy"
            data={[
              { value: '', label: 'None' },
              ...(policies.data?.items ?? []).map((p) => p.name),
              // A rule may name a policy that no longer exists; keep it choosable rather than dropping it silently.
              ...(form.escalationPolicy && !(policies.data?.items ?? []).some((p) => p.name === form.escalationPolicy) ? [form.escalationPolicy] : []),
            ]}
            value={form.escalationPolicy ?? ''}
            onChange={(e) => set('escalationPolicy', e.currentTarget.value || null)}
            style={{ flex: '1 1 12rem' }}
          />
        </Group>
        <TextInput label="Incident title" description="Optional; by default the alert's summary or name" value={form.title} onChange={(e) => set('title', e.currentTarget.value)} />
        <TextInput label="Service" value={form.service} onChange={(e) => set('service', e.currentTarget.value)} />
        <Group gap="sm" wrap="wrap" align="flex-start">
          <TextInput label="Runbook slug" value={form.runbookSlug} onChange={(e) => set('runbookSlug', e.currentTarget.value)} style={{ flex: '1 1 10rem' }} />
          <TextInput
            label="Procedure id"
            value={form.procedureId}
            onChange={(e) => set('procedureId', e.currentTarget.value)}
            style={{ flex: '1 1 10rem' }}
            error={halfRunbook ? 'Give both the runbook and the procedure, or neither.' : null}
          />
        </Group>
        {save.isError && <ErrorNotice error={save.error} title="Could not save the rule" />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!ready}>
            {rule ? 'Save' : 'Add the rule'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RuleRow({ rule, onEdit, onDelete }: { rule: RoutingRule; onEdit: (() => void) | null; onDelete: (() => void) | null }) {
  return (
    <li data-testid="routing-rule" data-rule-id={rule.id} style={{ borderBottom: '1px solid var(--mantine-color-default-border)', paddingBottom: 'var(--mantine-spacing-xs)' }}>
      <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
        <Stack gap={4} style={{ minWidth: 0, flex: '1 1 16rem' }}>
          <Group gap={6} wrap="wrap">
            <Text size="sm" c="dimmed">
              #{rule.position}
            </Text>
            <Text fw={600} size="sm">
              {rule.name}
            </Text>
            <Badge variant="light" color={rule.severity === 'P1' ? 'red' : rule.severity === 'P2' ? 'orange' : 'yellow'} size="sm">
              {rule.severity}
            </Badge>
            {rule.category && (
              <Badge variant="light" color="grape" size="sm">
                {rule.category}
              </Badge>
            )}
          </Group>
          <Group gap={4} wrap="wrap">
            {rule.matchers.length === 0 ? (
              <Text size="xs" c="dimmed">
                matches every alert
              </Text>
            ) : (
              rule.matchers.map((m, i) => (
                <Code key={i} style={{ overflowWrap: 'anywhere' }}>
                  {formatMatcher(m)}
                </Code>
              ))
            )}
          </Group>
          <Text size="xs" c="dimmed">
            {[rule.title ? `title “${rule.title}”` : null, rule.service ? `service ${rule.service}` : null, rule.escalationPolicy ? `policy ${rule.escalationPolicy}` : 'no escalation policy']
              .filter(Boolean)
              .join(' · ')}
            {rule.runbook && (
              <>
                {' · runbook '}
                <Anchor component={Link} to={`/runbooks/${rule.runbook.slug}#proc-${rule.runbook.procedureId}`} size="xs" underline="always">
                  {rule.runbook.slug} / {rule.runbook.procedureId}
                </Anchor>
              </>
            )}
          </Text>
        </Stack>
        {(onEdit || onDelete) && (
          <Group gap={4}>
            {onEdit && (
              <Button size="compact-sm" variant="default" onClick={onEdit} aria-label={`Edit rule ${rule.name}`}>
                Edit
              </Button>
            )}
            {onDelete && (
              <Button size="compact-sm" variant="subtle" color="red" onClick={onDelete} aria-label={`Delete rule ${rule.name}`}>
                Delete
              </Button>
            )}
          </Group>
        )}
      </Group>
    </li>
  );
}

/** How alerts become incidents: first matching rule wins. Admins add, change and delete rules. */
export function RoutingRulesPanel({ canEdit }: { canEdit: boolean }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<RoutingRule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<RoutingRule | null>(null);
  const rules = useQuery({
    queryKey: queryKeys.routingRules.all,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/routing-rules', { signal })),
  });
  const remove = useMutation({
    mutationFn: (rule: RoutingRule) => unwrap(api.DELETE('/api/v1/routing-rules/{id}', { params: { path: { id: rule.id } } })),
    onSuccess: () => {
      setDeleting(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.routingRules.all });
    },
  });
  const items = rules.data?.items ?? [];
  const nextPosition = items.reduce((max, rule) => Math.max(max, rule.position + 10), 10);

  return (
    <Panel
      title="Routing rules"
      count={rules.data?.items.length}
      testId="routing-rules"
      actions={
        canEdit ? (
          <Button size="xs" onClick={() => setEditing('new')}>
            Add a rule
          </Button>
        ) : undefined
      }
    >
      <Stack gap="sm">
        <Text size="xs" c="dimmed">
          In match order: the first rule whose matchers all match an alert opens (or joins) an incident with its severity, runbook and escalation policy. An alert no rule matches opens none.
          {canEdit ? '' : ' Changing rules needs the admin role.'}
        </Text>
        {rules.isPending && <Skeleton height={60} aria-label="Loading routing rules" />}
        {rules.isError && <ErrorNotice error={rules.error} title="Could not load routing rules" onRetry={() => void rules.refetch()} />}
        {rules.isSuccess && items.length === 0 && <Text size="sm">No rules: alerts are stored, but none opens an incident.</Text>}
        {items.length > 0 && (
          <Stack component="ol" gap="xs" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Routing rules">
            {items.map((rule) => (
              <RuleRow
                key={rule.id}
                rule={rule}
                onEdit={canEdit ? () => setEditing(rule) : null}
                onDelete={
                  canEdit
                    ? () => {
                        remove.reset();
                        setDeleting(rule);
                      }
                    : null
                }
              />
            ))}
          </Stack>
        )}
      </Stack>
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'New routing rule' : 'Edit routing rule'} size="lg">
        {editing !== null && (
          <RuleModal key={editing === 'new' ? 'new' : editing.id} rule={editing === 'new' ? null : editing} nextPosition={nextPosition} onClose={() => setEditing(null)} />
        )}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete the rule “${deleting?.name ?? ''}”?`}
        confirmLabel="Delete the rule"
        approval="No one else: admins change routing alone. The change is in the audit log."
        onConfirm={() => deleting && remove.mutate(deleting)}
        pending={remove.isPending}
        error={remove.error}
      >
        <Text size="sm">Alerts it matched will fall through to the next rule from now on. Open incidents are not changed.</Text>
      </ConfirmModal>
    </Panel>
  );
}
