import { Anchor, Badge, Code, Group, NativeSelect, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { CrudForm, EditModal, RowActions, useConfirmed, useEditing } from '../common/crud.js';
import { ListPanel } from '../common/ListPanel.js';
import { usePolicies } from '../oncall/queries.js';
import { formatMatcher, type Matcher } from './matchers.js';
import { matchersReady, MatchersEditor } from './MatchersEditor.js';
import { useDeleteRoutingRule, useRoutingRules, useSaveRoutingRule, type RoutingRule, type RoutingRuleBody } from './queries.js';

interface RuleForm {
  name: string;
  position: number | '';
  matchers: Matcher[];
  /** '': the alert's own `severity` label decides. */
  severity: 'P1' | 'P2' | 'P3' | '';
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
    severity: rule ? (rule.severity ?? '') : 'P2',
    title: rule?.title ?? '',
    service: rule?.service ?? '',
    runbookSlug: rule?.runbook?.slug ?? '',
    procedureId: rule?.runbook?.procedureId ?? '',
    escalationPolicy: rule?.escalationPolicy ?? null,
    category: rule?.category ?? null,
  };
}

function bodyOf(form: RuleForm): RoutingRuleBody {
  const slug = form.runbookSlug.trim();
  const procedure = form.procedureId.trim();
  return {
    name: form.name.trim(),
    ...(form.position === '' ? {} : { position: form.position }),
    matchers: form.matchers,
    severity: form.severity || null,
    title: form.title.trim() || null,
    service: form.service.trim() || null,
    runbook: slug && procedure ? { slug, procedureId: procedure } : null,
    escalationPolicy: form.escalationPolicy,
    category: form.category,
  };
}

function RuleModal({ rule, nextPosition, onClose }: { rule: RoutingRule | null; nextPosition: number; onClose: () => void }) {
  const [form, setForm] = useState(() => formOf(rule, nextPosition));
  const set = <K extends keyof RuleForm>(key: K, value: RuleForm[K]) => setForm((current) => ({ ...current, [key]: value }));
  const policies = usePolicies();
  const save = useSaveRoutingRule();
  const halfRunbook = (form.runbookSlug.trim() === '') !== (form.procedureId.trim() === '');
  const ready = form.name.trim() !== '' && matchersReady(form.matchers, true) && !halfRunbook;

  return (
    <CrudForm ready={ready} onSubmit={() => save.mutate({ item: rule, body: bodyOf(form) }, { onSuccess: onClose })} onCancel={onClose} submitLabel={rule ? 'Save' : 'Add the rule'} action={save}
      errorTitle="Could not save the rule">
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
        <NativeSelect
          label="Severity"
          data={[{ value: '', label: 'From the alert' }, 'P1', 'P2', 'P3']}
          value={form.severity}
          onChange={(e) => set('severity', e.currentTarget.value as RuleForm['severity'])}
          w={150}
        />
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
    </CrudForm>
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
            <Badge variant="light" color={rule.severity === 'P1' ? 'red' : rule.severity === 'P2' ? 'orange' : rule.severity === 'P3' ? 'yellow' : 'gray'} size="sm">
              {rule.severity ?? 'severity from alert'}
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
        {(onEdit || onDelete) && <RowActions name={`rule ${rule.name}`} onEdit={onEdit} onDelete={onDelete} />}
      </Group>
    </li>
  );
}

/** How alerts become incidents: first matching rule wins. Admins add, change and delete rules. */
export function RoutingRulesPanel({ canEdit }: { canEdit: boolean }) {
  const rules = useRoutingRules();
  const form = useEditing<RoutingRule>();
  const remove = useConfirmed(useDeleteRoutingRule());
  const items = rules.data?.items ?? [];
  const nextPosition = items.reduce((max, rule) => Math.max(max, rule.position + 10), 10);

  return (
    <ListPanel title="Routing rules" testId="routing-rules" query={rules} count={items.length} noun="routing rules" addLabel="Add a rule" onAdd={canEdit ? form.create : null}
      note={`In match order: the first rule whose matchers all match an alert opens (or joins) an incident with its severity (or the alert's own severity label), runbook and escalation policy. An alert no rule matches opens none.${canEdit ? '' : ' Changing rules needs the admin role.'}`}
      emptyText="No rules: alerts are stored, but none opens an incident.">
      {items.length > 0 && (
        <Stack component="ol" gap="xs" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Routing rules">
          {items.map((rule) => (
            <RuleRow key={rule.id} rule={rule} onEdit={canEdit ? () => form.edit(rule) : null} onDelete={canEdit ? () => remove.ask(rule) : null} />
          ))}
        </Stack>
      )}
      <EditModal editing={form.editing} onClose={form.close} title={(rule) => (rule ? 'Edit routing rule' : 'New routing rule')} size="lg">
        {(rule) => <RuleModal rule={rule} nextPosition={nextPosition} onClose={form.close} />}
      </EditModal>
      <ConfirmModal
        {...remove.modal}
        title={`Delete the rule “${remove.target?.name ?? ''}”?`}
        confirmLabel="Delete the rule"
        approval="No one else: admins change routing alone. The change is in the audit log."
      >
        <Text size="sm">Alerts it matched will fall through to the next rule from now on. Open incidents are not changed.</Text>
      </ConfirmModal>
    </ListPanel>
  );
}
