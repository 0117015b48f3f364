import { gateOrigin } from './gate.js';
import type { Deployment, DeploymentEvent, DeploymentState, Measurement, Strategy } from './schema.js';
import type { DeploymentRow, EventRow, MeasurementRow, StepRow } from './store.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toDeployment(row: DeploymentRow, steps: StepRow[]): Deployment {
  return {
    id: row.id,
    service: row.service,
    strategy: row.strategy as Strategy,
    router: row.router,
    stable: { version: row.stableVersion, upstream: row.stableUpstream },
    version: row.version,
    upstream: row.upstream,
    image: row.image,
    stableImage: row.stableImage,
    stableHandover: row.stableHandover,
    analysis: (row.analysis as Record<string, unknown> | null) ?? null,
    state: row.state as DeploymentState,
    reason: row.reason,
    currentStep: row.currentStep,
    canaryWeight: row.canaryWeight,
    pendingWeight: row.intentWeight,
    incidentId: row.incidentId,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finishedAt: iso(row.finishedAt),
    steps: steps.map((s) => ({
      index: s.index,
      kind: s.kind,
      spec: publicSpec(s.spec as Record<string, unknown>),
      state: s.state as Deployment['steps'][number]['state'],
      message: s.message,
      startedAt: iso(s.startedAt),
      finishedAt: iso(s.finishedAt),
    })),
  };
}

export function toMeasurement(row: MeasurementRow): Measurement {
  return {
    seq: row.seq,
    step: row.stepIndex,
    round: row.round,
    metric: row.metric,
    value: row.value,
    phase: row.phase,
    message: row.message,
    weight: row.weight,
    at: row.at.toISOString(),
  };
}

export function toEvent(row: EventRow): DeploymentEvent {
  return { seq: row.seq, at: row.at.toISOString(), kind: row.kind, actor: row.actor, summary: row.summary, data: row.data as Record<string, unknown> };
}

/** A gate's URL may hold its credential (path, query): only its origin leaves the server. */
function publicSpec(spec: Record<string, unknown>): Record<string, unknown> {
  return spec.kind === 'gate' && typeof spec.url === 'string' ? { ...spec, url: gateOrigin(spec.url) } : spec;
}
