import type { Clock } from '../platform/clock.js';
import { isForeignKeyViolation } from '../platform/db/pg-errors.js';
import type { DomainEvent, EventBus } from '../platform/events/index.js';
import type { Logger } from '../platform/logger.js';
import { meansOf } from '../notify/index.js';
import { RUN_EVENT, type StepEvent } from '../runbooks/index.js';
import type { TimelineEvent } from './schema.js';
import type { EventRow, TimelineStore } from './timeline-store.js';
import { toTimelineEvent } from './views.js';
import { SerialWork } from '../platform/serial-work.js';

export const INCIDENT_EVENT = { created: 'incident.created', updated: 'incident.updated', timeline: 'incident.timeline' } as const;

/** Terminal step states (runs/events.ts): a step's result is recorded once it has one. */
const STEP_DONE = new Set(['succeeded', 'failed', 'timed-out', 'cancelled', 'skipped', 'lost']);
/** The notify domain's events (src/notify/delivery.ts NOTIFICATION_EVENTS), by name: notify is not imported for two strings. */
const NOTIFICATION = { sent: 'notification.sent', failed: 'notification.failed', skipped: 'notification.skipped' } as const;

export interface NewTimelineEvent {
  kind: string;
  actor: string;
  summary: string;
  data?: Record<string, unknown>;
  /** Events heard on the bus carry one, so hearing them again (another replica, a replay) records nothing. */
  dedupeKey?: string;
}

function firstLine(text: string, max = 120): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * The incident timeline: records events and hears other domains' news on
 * the bus (DESIGN.md §3: runs and notify never call incidents).
 */
export class Timeline {
  private readonly work = new SerialWork();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly deps: { store: TimelineStore; bus: EventBus; logger: Logger; clock: Clock },
  ) {}

  async record(incidentId: string, event: NewTimelineEvent): Promise<TimelineEvent | null> {
    const row = await this.deps.store.addEvent(this.newRow(incidentId, event, this.deps.clock()));
    return row ? this.published(incidentId, row) : null;
  }

  /** Several events at one time, in one statement and in this order (alerts opening or joining an incident). */
  async recordAll(incidentId: string, events: NewTimelineEvent[]): Promise<TimelineEvent[]> {
    const at = this.deps.clock();
    const rows = await this.deps.store.addEvents(events.map((event) => this.newRow(incidentId, event, at)));
    return rows.map((row) => this.published(incidentId, row));
  }

  private newRow(incidentId: string, event: NewTimelineEvent, at: Date) {
    return {
      incidentId,
      kind: event.kind,
      actor: event.actor,
      summary: event.summary,
      data: event.data ?? {},
      dedupeKey: event.dedupeKey ?? null,
      at,
    };
  }

  /** Tells the bus of an event another statement wrote (alerts joining in `joinOpen`). */
  publish(row: EventRow): TimelineEvent {
    return this.published(row.incidentId, row);
  }

  private published(incidentId: string, row: EventRow): TimelineEvent {
    const view = toTimelineEvent(row);
    this.deps.bus.publish(INCIDENT_EVENT.timeline, { incidentId, ...view });
    return view;
  }

  /** Starts hearing runs and notifications; handled one at a time so the timeline keeps their order. */
  listen(): void {
    this.unsubscribe = this.deps.bus.subscribe((event) => {
      const incidentId = (event.data as { incidentId?: unknown } | null)?.incidentId;
      if (typeof incidentId !== 'string') return;
      this.work.add(
        () => this.hear(incidentId, event),
        (error) => {
          // A foreign key violation: an event about an incident that does not exist (anymore).
          if (!isForeignKeyViolation(error)) this.deps.logger.warn({ err: error, type: event.type }, 'timeline could not record an event');
        },
      );
    });
  }

  /** Resolves once every event heard so far is recorded (tests, shutdown). */
  idle(): Promise<void> {
    return this.work.idle();
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    await this.idle();
  }

  private async hear(incidentId: string, event: DomainEvent): Promise<void> {
    const data = event.data as Record<string, unknown>;
    if (event.type === RUN_EVENT.created) {
      const runId = String(data.runId);
      await this.record(incidentId, {
        kind: 'run.created',
        actor: String(data.actor ?? 'system'),
        summary: `Run of "${String(data.procedureTitle ?? '')}" started`,
        data: { runId, procedureId: data.procedureId, version: data.version },
        dedupeKey: `run.created:${runId}`,
      });
    } else if (event.type === RUN_EVENT.step) {
      await this.hearStep(incidentId, data as unknown as StepEvent);
    } else if (event.type === NOTIFICATION.sent || event.type === NOTIFICATION.failed || event.type === NOTIFICATION.skipped) {
      await this.hearNotification(incidentId, event.type, data);
    }
  }

  private async hearStep(incidentId: string, step: StepEvent): Promise<void> {
    const key = `${step.id}:${step.attempt}`;
    const ref = { runId: step.runId, commandId: step.commandId, command: step.command, attempt: step.attempt, risk: step.risk };
    if (step.state === 'awaiting-approval') {
      await this.record(incidentId, {
        kind: 'approval.requested',
        actor: step.actor,
        summary: `Approval requested for \`${firstLine(step.command)}\` (${step.risk})`,
        data: ref,
        dedupeKey: `approval.requested:${key}`,
      });
    } else if (step.state === 'queued' && (await this.deps.store.hasEvent(`approval.requested:${key}`))) {
      // Queued after awaiting approval means someone approved it; the event names who.
      await this.record(incidentId, {
        kind: 'approval.granted',
        actor: step.actor,
        summary: `\`${firstLine(step.command)}\` approved by ${step.actor}`,
        data: ref,
        dedupeKey: `approval.granted:${key}`,
      });
    } else if (step.state === 'skipped' && step.actor === 'system') {
      // Skipped by the system only when the run closed with its incident: the incident's `run.closed` event says it once.
    } else if (STEP_DONE.has(step.state)) {
      const exit = step.exitCode === null ? '' : ` (exit ${step.exitCode})`;
      await this.record(incidentId, {
        kind: 'run.step',
        actor: step.actor,
        summary: `\`${firstLine(step.command)}\` ${step.state}${exit}`,
        data: { ...ref, state: step.state, exitCode: step.exitCode, durationMs: step.durationMs, error: step.error, outputExcerpt: step.outputExcerpt ?? '' },
        dedupeKey: `run.step:${key}`,
      });
    }
  }

  private async hearNotification(incidentId: string, type: string, data: Record<string, unknown>): Promise<void> {
    // "On-Call Engineer by phone", "#nexus-platform-alerts on Slack": `via` names what asked for the destination.
    const what = `${String(data.via ?? data.target ?? '').replace(/^(contact|channel):/, '').replace(/^rotation:/, 'rotation ')} ${meansOf(String(data.channel ?? '')).how}`;
    // A skipped page (a phone NEXUS cannot call, Slack not configured) is as worth knowing at 3 a.m. as a failed one.
    const summary =
      type === NOTIFICATION.sent
        ? `Notified ${what}`
        : type === NOTIFICATION.skipped
          ? `Not notified: ${what}${data.reason ? ` (${String(data.reason)})` : ''}`
          : `Notification to ${what} failed${data.error ? `: ${String(data.error)}` : ''}`;
    await this.record(incidentId, {
      kind: type,
      actor: 'system',
      summary,
      data: {
        deliveryId: data.deliveryId,
        via: data.via,
        channel: data.channel,
        attempts: data.attempts,
        ...(data.error ? { error: data.error } : {}),
        ...(data.reason ? { reason: data.reason } : {}),
      },
      dedupeKey: `${type}:${String(data.deliveryId)}:${String(data.attempts)}`,
    });
  }
}
