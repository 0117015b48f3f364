import type { Clock } from '../platform/clock.js';
import { ConflictError, InputError, NotFoundError } from '../platform/errors.js';
import type { EventBus } from '../platform/events/index.js';
import type { Principal } from '../platform/http/types.js';
import type { Logger } from '../platform/logger.js';
import type { Run, RunService } from '../runbooks/index.js';
import { attachRunbook, slaOf, type RunbookSource } from './attach.js';
import { addMinutes, clockStart, invalidTransition, PATCH_STATE_TRANSITION, SYSTEM_ACTOR, transitionPatch, TRANSITIONS, type Transition } from './lifecycle.js';
import { escalationStart, type EscalationPort, type Pager } from './paging.js';
import { OPEN_STATES, SEVERITIES, type CreateIncidentBody, type Incident, type IncidentRunBody, type IncidentState, type PatchIncidentBody, type Severity } from './schema.js';
import type { AlertLink, AlertLinkStore, JoinOpenStatement } from './alert-links.js';
import { isForeignKeyViolation, isUniqueViolation } from '../platform/db/pg-errors.js';
import type { IncidentPatch, IncidentRow, IncidentStore } from './incident-store.js';
import type { PageStore } from './page-store.js';
import type { EventRow, TimelineStore } from './timeline-store.js';
import { INCIDENT_EVENT, type Timeline } from './timeline.js';
import { toIncident } from './views.js';
import { recurrence } from './recurrence.js';
import { closeIncidentRuns } from './run-closing.js';

export interface IncidentServiceDeps {
  store: IncidentStore;
  /** The levels paged and what came of them: part of every incident's view. */
  pages: Pick<PageStore, 'ofEscalation' | 'ofCurrentEscalations'>;
  links: AlertLinkStore;
  events: Pick<TimelineStore, 'events'>;
  timeline: Timeline;
  runbooks: RunbookSource;
  bus: EventBus;
  logger: Logger;
  clock: Clock;
  /** Told when an incident has levels to page now (opened, reopened, severity changed while unacknowledged). */
  pager: Pick<Pager, 'kick' | 'notifyStateChange'>;
  /** To refuse a manual incident naming a policy that does not exist. */
  policies: Pick<EscalationPort, 'planEscalation'>;
  /** Runs of the attached procedure start here, as `POST /api/v1/runs` starts them; a resolve closes the unfinished ones. */
  runs: Pick<RunService, 'create' | 'closeForIncident'>;
  /** An alert firing again this soon after its incident resolved reopens it (config.alerts.reopenWindowMinutes). */
  reopenWindowMinutes: number;
}

/** The procedure an incident's run starts: the one attached, at the version attached. */
export interface IncidentRunTarget {
  slug: string;
  version: number;
  procedureId: string;
}

/** What the alerts domain passes when an alert should page (see docs/architecture.md, incidents). */
export interface OpenOrJoinInput {
  groupKey: string;
  title: string;
  severity: Severity;
  service?: string | null;
  category?: 'security' | null;
  runbook?: { slug: string; procedureId: string };
  /** From the matched escalation policy; default true. */
  autoResolve?: boolean;
  escalationPolicyId?: string | null;
  /** The group's alerts that page now (one or more): linked, each on the timeline. */
  alerts: AlertLink[];
}

type InsertInput = Omit<OpenOrJoinInput, 'groupKey' | 'alerts' | 'service'> & {
  groupKey?: string;
  service?: string | null | undefined;
  /** A person named the runbook: a missing one is an error rather than a fallback. */
  strict: boolean;
  /** With no runbook named, attach the default runbook's procedure of the severity (manual incidents only). */
  fallback: boolean;
  actor: string;
};

/** What an alert's resolution did: the incident it was linked to, and whether this resolution resolved it. */
export interface AlertResolution {
  incident: Incident;
  resolved: boolean;
}

const OPEN_ATTEMPTS = 3;

interface FieldChanges {
  patch: IncidentPatch;
  events: Array<{ kind: string; summary: string; data: Record<string, unknown> }>;
}

/** The schema asks for one character; a title of spaces names nothing either. */
function refuseBlankTitle(title: string): void {
  if (title.trim() === '') throw new InputError('body/title: must not be blank', { field: 'title' });
}

/** The timeline's words for an alert linked to an incident. */
function alertEventText(change: 'new' | 'refired', how: 'fired' | 'joined', alert: AlertLink): string {
  return `${change === 'refired' ? 'Fired again' : how === 'fired' ? 'Fired' : 'Joined'}: ${alert.summary || alert.id}`;
}

/** Incidents: opening (by hand or from alerts), their lifecycle and fields. Timeline, SLA and post-mortem are beside it. */
export class IncidentService {
  constructor(private readonly deps: IncidentServiceDeps) {}

  /**
   * One open incident per group: the first alerts open it, later ones join
   * it. Alerts firing again after their incident ended reopen it (within the
   * reopen window) or open a new one naming it (recurrence.ts). Replicas
   * racing here are kept apart by the database: the group's one open
   * incident (partial unique index) and the reopen's compare-and-set; the
   * loser looks again and joins.
   */
  async openOrJoin(input: OpenOrJoinInput): Promise<{ incident: Incident; created: boolean }> {
    for (let attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
      const open = await this.deps.store.openByGroup(input.groupKey);
      if (open) {
        await this.linkAlerts(open, input.alerts, 'joined');
        // A more severe alert joining raises the incident (P1 clocks, paging re-planned); a milder one never lowers it.
        if (SEVERITIES.indexOf(input.severity) < SEVERITIES.indexOf(open.severity as Severity)) {
          return { incident: await this.patch('system', open.id, { severity: input.severity }), created: false };
        }
        return { incident: await this.view(open), created: false };
      }
      try {
        const now = this.deps.clock();
        const last = await this.deps.links.lastEndedOf(input.groupKey, input.alerts.map((a) => a.id));
        const again = recurrence(last, input.alerts, now, this.deps.reopenWindowMinutes);
        if (again && 'reopen' in again) {
          // Reopened, it is the group's open incident: the next pass joins the alerts to it.
          await this.transition(SYSTEM_ACTOR, again.reopen.id, 'reopen');
          await this.deps.timeline.record(again.reopen.id, { kind: 'alert.reopened', actor: SYSTEM_ACTOR, summary: again.text, data: again.data });
          continue;
        }
        const row = await this.insert({ ...input, strict: false, fallback: false, actor: SYSTEM_ACTOR });
        if (again) await this.deps.timeline.record(row.id, { kind: 'alert.recurred', actor: SYSTEM_ACTOR, summary: again.text, data: again.data });
        await this.linkAlerts(row, input.alerts, 'fired');
        return { incident: await this.view(row), created: true };
      } catch (error) {
        // Another alert of the group opened or reopened one first (the partial unique index, the
        // reopen's compare-and-set): join that one.
        if (!isUniqueViolation(error) && !(error instanceof ConflictError)) throw error;
      }
    }
    throw new ConflictError(`Incident for group ${input.groupKey} kept changing; try again`);
  }

  /**
   * Joins alerts of many groups to their groups' open incidents at once (a
   * busy receiver's batch), in one statement: the links and the timeline
   * events. Returns the incident joined per group key, which is all the
   * caller records of it; a group with no open incident is left out, for
   * `openOrJoin` to open. A more severe group raises its incident, as in
   * `openOrJoin`. `statement`: the caller's, when it records what was decided
   * in the same round trip (ADR 0007); by default the join runs alone.
   */
  async joinOpen(groups: Array<{ groupKey: string; severity: Severity; alerts: AlertLink[] }>, statement?: JoinOpenStatement): Promise<Map<string, string>> {
    const items = groups.flatMap(({ groupKey, alerts }) =>
      alerts.map((alert) => ({ groupKey, alert, joinedText: alertEventText('new', 'joined', alert), refiredText: alertEventText('refired', 'joined', alert) })),
    );
    const { open, events } = await this.deps.links.joinOpen(items, this.deps.clock(), statement);
    for (const event of events) this.deps.timeline.publish(event);
    const severityOf = new Map(groups.map((g) => [g.groupKey, g.severity]));
    for (const incident of open) {
      const severity = severityOf.get(incident.groupKey)!;
      if (SEVERITIES.indexOf(severity) < SEVERITIES.indexOf(incident.severity as Severity)) await this.patch('system', incident.id, { severity });
    }
    return new Map(open.map((incident) => [incident.groupKey, incident.id]));
  }

  /** Records the alert's resolution; the incident resolves itself once all its alerts have, if its policy says so. */
  async alertResolved(groupKey: string, alertId: string): Promise<AlertResolution | null> {
    const { store, links, timeline, clock } = this.deps;
    const row = await links.byGroupAlert(groupKey, alertId);
    const resolved = row ? await links.resolveAlert(row.id, alertId, clock()) : null;
    if (!row || !resolved) return row ? { incident: await this.view(row), resolved: false } : null;
    await timeline.record(row.id, { kind: 'alert.resolved', actor: 'system', summary: `Resolved: ${resolved.summary || alertId}`, data: { alertId } });
    const open = (OPEN_STATES as readonly string[]).includes(row.state);
    if (open && row.autoResolve && (await links.firingAlerts(row.id)) === 0) {
      try {
        return { incident: await this.transition(SYSTEM_ACTOR, row.id, 'resolve'), resolved: true };
      } catch (error) {
        // A person resolved it in the meantime: nothing left to do.
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return { incident: await this.view((await store.get(row.id)) ?? row), resolved: false };
  }

  async create(actor: string, body: CreateIncidentBody): Promise<Incident> {
    refuseBlankTitle(body.title);
    if (body.escalationPolicyId) await this.checkPolicy(body.escalationPolicyId);
    return this.view(await this.insert({ ...body, strict: true, fallback: true, actor }));
  }

  private async checkPolicy(policyId: string): Promise<void> {
    try {
      await this.deps.policies.planEscalation(policyId, { responseMinutes: 0 });
    } catch (error) {
      if (error instanceof NotFoundError) throw new InputError(`body/escalationPolicyId: no escalation policy ${policyId}`, { field: 'escalationPolicyId' });
      throw error;
    }
  }

  async get(id: string): Promise<Incident> {
    return this.view(await this.row(id));
  }

  /** The incident as the API shows it, with who its current escalation reached. */
  async view(row: IncidentRow): Promise<Incident> {
    return toIncident(row, await this.deps.pages.ofEscalation(row.id, row.escalationStartedAt ?? row.triggeredAt));
  }

  async row(id: string): Promise<IncidentRow> {
    const row = await this.deps.store.get(id);
    if (!row) throw new NotFoundError('incident', id);
    return row;
  }

  /** The incident's timeline after `afterSeq`, oldest first: up to `limit` events and one more, to tell whether a next page exists. */
  async timeline(id: string, afterSeq: number, limit: number): Promise<EventRow[]> {
    await this.row(id);
    return this.deps.events.events(id, afterSeq, limit + 1);
  }

  /**
   * Starts a run of the incident's attached procedure, linked to the incident.
   * Parameters, secret ones included, are checked and sealed by the runs
   * domain as for any run. `starting` is told what is about to run before the
   * run is created, so a refused run is described too (the audit entry).
   */
  async startRun(principal: Principal, id: string, body: IncidentRunBody, starting?: (target: IncidentRunTarget) => void): Promise<Run> {
    const { runbook } = await this.get(id);
    if (!runbook) throw new ConflictError('This incident has no runbook procedure attached');
    const { slug, version, procedureId } = runbook;
    starting?.({ slug, version, procedureId });
    return this.deps.runs.create(principal, {
      runbook: slug,
      version,
      procedure: procedureId,
      incidentId: id,
      ...(body?.parameters ? { parameters: body.parameters } : {}),
      ...(body?.secretParameters ? { secretParameters: body.secretParameters } : {}),
    });
  }

  async transition(actor: string, id: string, action: Transition): Promise<Incident> {
    return this.apply(actor, await this.row(id), { patch: {}, events: [] }, action);
  }

  /**
   * Fields and a move of state together, all or nothing: every part is
   * checked first (blank title, unknown users, the move's legality), then
   * written in one UPDATE whose compare-and-set on the state refuses the whole
   * of it if someone moved the incident meanwhile. Timeline events follow the
   * write, so a refused PATCH leaves none.
   */
  async patch(actor: string, id: string, body: PatchIncidentBody): Promise<Incident> {
    const current = await this.row(id);
    if (body.title !== undefined) refuseBlankTitle(body.title);
    await this.refuseUnknownUsers(current, body);
    const changes = this.fieldChanges(current, body);
    const action = body.state !== undefined && body.state !== current.state ? PATCH_STATE_TRANSITION[body.state] : null;
    if (!action && Object.keys(changes.patch).length === 0) return this.view(current);
    return this.apply(actor, current, changes, action);
  }

  private async apply(actor: string, current: IncidentRow, changes: FieldChanges, action: Transition | null): Promise<Incident> {
    const now = this.deps.clock();
    let patch: IncidentPatch = { ...changes.patch, updatedAt: now };
    let from: readonly IncidentState[] | undefined;
    if (action) {
      from = TRANSITIONS[action].from;
      if (!from.includes(current.state as IncidentState)) throw invalidTransition(action, current.state);
      // The move sees the fields as changed: a reopen's new clocks take the new severity's targets.
      const changed: IncidentRow = { ...current, ...(patch as Partial<IncidentRow>) };
      // A reopened incident pages from the first level again, under new paging keys.
      const paging = action === 'reopen' ? escalationStart(current.escalationPolicyId, now) : {};
      patch = { ...patch, ...transitionPatch(action, changed, now, actor), ...paging };
    }
    let row: IncidentRow | null;
    try {
      row = await this.deps.store.update(current.id, patch, from);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(`Cannot reopen: another incident of group ${current.groupKey} is open`, { groupKey: current.groupKey });
      }
      // A user deleted between the check and the write.
      if (isForeignKeyViolation(error)) throw new InputError('body/assigneeId or body/commanderId: no such user', { field: 'assigneeId' });
      throw error;
    }
    if (!row) {
      if (!action) throw new NotFoundError('incident', current.id);
      throw invalidTransition(action, (await this.row(current.id)).state);
    }
    for (const event of changes.events) await this.deps.timeline.record(row.id, { ...event, actor, summary: `${event.summary} by ${actor}` });
    if (action) {
      const to = TRANSITIONS[action].to;
      await this.deps.timeline.record(row.id, { kind: 'state', actor, summary: `${current.state} → ${to} by ${actor}`, data: { from: current.state, to } });
      // Channels hear of the first acknowledgement (a mitigate straight from triggered is one) and of the resolution.
      if (to === 'resolved') {
        this.deps.pager.notifyStateChange(row.id, 'resolved', actor);
        await closeIncidentRuns(this.deps, row.id, actor, now);
      } else if (current.state === 'triggered' && to !== 'triggered') this.deps.pager.notifyStateChange(row.id, 'acknowledged', actor);
    }
    if (action === 'reopen' || changes.patch.nextPageAt) this.deps.pager.kick(row.id);
    return this.published(row);
  }

  /** Checked before writing: the foreign key would refuse it too, but as a vague 409 naming no field. */
  private async refuseUnknownUsers(current: IncidentRow, body: PatchIncidentBody): Promise<void> {
    const named = (['assigneeId', 'commanderId'] as const).filter((field) => body[field] && body[field] !== current[field]);
    if (named.length === 0) return;
    const known = await this.deps.store.existingUsers(named.map((field) => body[field]!));
    for (const field of named) {
      if (!known.has(body[field]!)) throw new InputError(`body/${field}: no such user ${body[field]}`, { field });
    }
  }

  async addNote(actor: string, id: string, text: string) {
    await this.row(id);
    const event = await this.deps.timeline.record(id, { kind: 'note', actor, summary: text, data: {} });
    return event!;
  }

  private fieldChanges(current: IncidentRow, body: PatchIncidentBody): FieldChanges {
    const patch: IncidentPatch = {};
    const events: FieldChanges['events'] = [];
    if (body.title !== undefined && body.title !== current.title) {
      patch.title = body.title;
      events.push({ kind: 'title', summary: `Title changed to "${body.title}"`, data: { from: current.title, to: body.title } });
    }
    if (body.severity !== undefined && body.severity !== current.severity) {
      // Targets follow the severity; the clocks still run from where they started (the trigger, or a reopen).
      const sla = slaOf(body.severity, null);
      Object.assign(patch, {
        severity: body.severity,
        ...sla,
        ackDueAt: addMinutes(clockStart(current.ackDueAt, current.responseMinutes), sla.responseMinutes),
        resolveDueAt: addMinutes(clockStart(current.resolveDueAt, current.resolutionMinutes), sla.resolutionMinutes),
        // The response time moves the escalation levels that wait for it: let the pager look again.
        ...(current.state === 'triggered' && current.escalationPolicyId ? { nextPageAt: this.deps.clock() } : {}),
      });
      events.push({ kind: 'severity', summary: `Severity ${current.severity} → ${body.severity}`, data: { from: current.severity, to: body.severity } });
    }
    for (const field of ['assigneeId', 'commanderId'] as const) {
      const value = body[field];
      if (value !== undefined && value !== current[field]) {
        patch[field] = value;
        const role = field === 'assigneeId' ? 'assignee' : 'commander';
        events.push({ kind: 'assignment', summary: value ? `${role} set to ${value}` : `${role} cleared`, data: { role, from: current[field], to: value } });
      }
    }
    return { patch, events };
  }

  private async insert(input: InsertInput): Promise<IncidentRow> {
    const { logger, clock } = this.deps;
    const attached = await attachRunbook(this.deps.runbooks, input.severity, input.runbook, { strict: input.strict, fallback: input.fallback, logger });
    const now = clock();
    const row = await this.deps.store.insert({
      title: input.title,
      severity: input.severity,
      state: 'triggered',
      groupKey: input.groupKey ?? null,
      service: input.service ?? null,
      category: input.category ?? null,
      autoResolve: input.autoResolve ?? true,
      escalationPolicyId: input.escalationPolicyId ?? null,
      ...escalationStart(input.escalationPolicyId, now),
      ...attached,
      ackDueAt: addMinutes(now, attached.responseMinutes),
      resolveDueAt: addMinutes(now, attached.resolutionMinutes),
      triggeredAt: now,
      createdBy: input.actor,
      createdAt: now,
      updatedAt: now,
    });
    const how = input.groupKey ? 'by an alert' : `by ${input.actor}`;
    await this.deps.timeline.record(row.id, { kind: 'state', actor: input.actor, summary: `Opened ${how} as ${row.severity}`, data: { from: null, to: 'triggered' } });
    // Nothing is paged before the incident exists.
    this.deps.bus.publish(INCIDENT_EVENT.created, toIncident(row, []));
    if (row.nextPageAt) this.deps.pager.kick(row.id);
    return row;
  }

  private async linkAlerts(row: IncidentRow, alerts: AlertLink[], how: 'fired' | 'joined'): Promise<void> {
    const changed = await this.deps.links.linkAlerts(row.id, alerts, this.deps.clock());
    const events = alerts.flatMap((alert) => {
      const change = changed.get(alert.id);
      if (!change) return []; // already linked and firing
      const kind = change === 'refired' ? 'alert.refired' : `alert.${how}`;
      return [{ kind, actor: 'system', summary: alertEventText(change, how, alert), data: { alertId: alert.id, fingerprint: alert.fingerprint, labels: alert.labels } }];
    });
    await this.deps.timeline.recordAll(row.id, events);
  }

  private async published(row: IncidentRow): Promise<Incident> {
    const view = await this.view(row);
    this.deps.bus.publish(INCIDENT_EVENT.updated, view);
    return view;
  }
}
