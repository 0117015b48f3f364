import type { AuditEntry } from './filters.js';

/**
 * An audit entry in words: "alice acknowledged incident Disk full",
 * "bob tried to delete channel ops — denied". The actions are the
 * `config.audit` names of the API's routes (`<thing>.<verb>`).
 */

/** [done, tried: the verb as "tried to …" takes it, the thing's name; '' when the action has no object]. */
type Phrase = readonly [done: string, attempt: string, thing: string];

const CRUD = (thing: string): Record<string, Phrase> => ({
  create: ['created', 'create', thing],
  update: ['changed', 'change', thing],
  delete: ['deleted', 'delete', thing],
});

const THINGS: Record<string, Record<string, Phrase>> = {
  incident: {
    create: ['opened', 'open', 'incident'],
    update: ['changed', 'change', 'incident'],
    ack: ['acknowledged', 'acknowledge', 'incident'],
    mitigate: ['marked mitigated', 'mark mitigated', 'incident'],
    resolve: ['resolved', 'resolve', 'incident'],
    close: ['closed', 'close', 'incident'],
    reopen: ['reopened', 'reopen', 'incident'],
    note: ['added a note to', 'add a note to', 'incident'],
    postmortem_edit: ['edited the post-mortem of', 'edit the post-mortem of', 'incident'],
    run_create: ['started a run for', 'start a run for', 'incident'],
  },
  channel: CRUD('channel'),
  contact: CRUD('contact'),
  rotation: { ...CRUD('rotation'), override: ['overrode who is on call in', 'override who is on call in', 'rotation'] },
  escalation_policy: CRUD('escalation policy'),
  routing_rule: { ...CRUD('routing rule'), defaults: ['created the default routing rules', 'create the default routing rules', ''] },
  silence: { create: ['created', 'create', 'silence'], expire: ['expired', 'expire', 'silence'] },
  run: {
    create: ['started', 'start', 'run'],
    cancel: ['cancelled', 'cancel', 'run'],
    check: ['ticked a check in', 'tick a check in', 'run'],
    secrets: ['gave secret parameters to', 'give secret parameters to', 'run'],
    step_request: ['ran a step of', 'run a step of', 'run'],
    step_approve: ['approved a step of', 'approve a step of', 'run'],
    step_reject: ['rejected a step of', 'reject a step of', 'run'],
    step_cancel: ['cancelled a step of', 'cancel a step of', 'run'],
    step_retry: ['retried a step of', 'retry a step of', 'run'],
    step_skip: ['skipped a step of', 'skip a step of', 'run'],
  },
  runbook: {
    import: ['imported', 'import', 'runbook'],
    lint: ['linted', 'lint', 'runbook'],
    version_approve: ['approved a version of', 'approve a version of', 'runbook'],
  },
  runner: {
    enrolment_create: ['created an enrolment for', 'create an enrolment for', 'runner'],
    enrol: ['enrolled', 'enrol', 'runner'],
    revoke: ['revoked', 'revoke', 'runner'],
    lease: ['leased a step of', 'lease a step of', 'run'],
    complete: ['reported a step done in', 'report a step done in', 'run'],
    output: ['sent output for', 'send output for', 'run'],
    heartbeat: ['sent a heartbeat', 'send a heartbeat', ''],
  },
  alert: { receive: ['sent alerts', 'send alerts', ''] },
  token: { create: ['created', 'create', 'API token'], revoke: ['revoked', 'revoke', 'API token'] },
  user: {
    ...CRUD('user'),
    change_password: ['changed the password of', 'change the password of', 'user'],
    revoke_sessions: ['signed out everywhere', 'sign out everywhere', 'user'],
    update_self: ['changed their own profile', 'change their own profile', ''],
    bootstrap_admin: ['created the first admin', 'create the first admin', ''],
  },
  auth: { login: ['signed in', 'sign in', ''] },
  notify: {
    defaults_create: ['created the default escalation policy', 'create the default escalation policy', ''],
    channels_seal: ['sealed channel secrets', 'seal channel secrets', ''],
  },
};

const OUTCOME_WORD: Record<string, string> = { denied: 'denied', rejected: 'rejected', error: 'failed' };

export interface AuditSentence {
  actor: string;
  /** "acknowledged", or "tried to acknowledge" for a request that did not go through. */
  verb: string;
  /** "incident", "escalation policy"; '' when the action has no object. */
  thing: string;
  /** How the target reads: its name today, a name the details recorded, or the start of its id; null without one. */
  target: string | null;
  /** "denied", "rejected", "failed"; null when it was done. */
  outcome: string | null;
}

function phraseOf(action: string): Phrase {
  const dot = action.indexOf('.');
  const known = dot > 0 ? THINGS[action.slice(0, dot)]?.[action.slice(dot + 1)] : undefined;
  // An action this console does not know yet still reads: "performed channel.test on …".
  return known ?? [`performed ${action} on`, `perform ${action} on`, ''];
}

/** A name the entry's details recorded (created things carry theirs), when the target has none today. */
function nameInDetails(details: unknown): string | null {
  if (typeof details !== 'object' || details === null) return null;
  for (const key of ['title', 'name', 'slug', 'username']) {
    const value = (details as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return null;
}

export function auditSentence(entry: Pick<AuditEntry, 'actor' | 'action' | 'target' | 'targetLabel' | 'outcome' | 'details'>): AuditSentence {
  const [done, attempt, thing] = phraseOf(entry.action);
  const succeeded = entry.outcome === 'success';
  const target = entry.target === null ? null : (entry.targetLabel ?? nameInDetails(entry.details) ?? (entry.target.length > 12 ? `${entry.target.slice(0, 8)}…` : entry.target));
  return {
    actor: entry.actor,
    verb: succeeded ? done : `tried to ${attempt}`,
    thing,
    target: thing === '' && !done.endsWith(' on') ? null : target,
    outcome: succeeded ? null : (OUTCOME_WORD[entry.outcome] ?? entry.outcome),
  };
}

/** The sentence as plain text, for titles and tests. */
export function auditSentenceText(sentence: AuditSentence): string {
  const object = [sentence.thing, sentence.target].filter(Boolean).join(' ');
  return `${sentence.actor} ${sentence.verb}${object ? ` ${object}` : ''}${sentence.outcome ? ` — ${sentence.outcome}` : ''}`;
}
