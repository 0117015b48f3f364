import { Type, type Static } from 'typebox';
import { NullableTimestamp, PageQuery, Timestamp } from '../platform/http/schemas.js';

export const STRATEGIES = ['canary', 'blue-green'] as const;
export type Strategy = (typeof STRATEGIES)[number];
/** Routers this NEXUS knows (each is usable once configured). */
export const ROUTER_KINDS = ['nginx', 'istio', 'gateway-api'] as const;
export const STATES = ['progressing', 'paused', 'aborting', 'rolling_back', 'succeeded', 'aborted', 'failed', 'rolled_back'] as const;
export type DeploymentState = (typeof STATES)[number];
/** States in which the controller still has work; `paused` waits for a person. */
export const MOVING_STATES: readonly DeploymentState[] = ['progressing', 'aborting', 'rolling_back'];
export const ACTIVE_STATES: readonly DeploymentState[] = ['progressing', 'paused', 'aborting', 'rolling_back'];
export const STEP_STATES = ['pending', 'running', 'succeeded', 'failed', 'skipped'] as const;
export type StepState = (typeof STEP_STATES)[number];

const Uuid = Type.String({ format: 'uuid' });
const NullableString = Type.Union([Type.String(), Type.Null()]);

/**
 * Service names end up in nginx configuration (`upstream <service>`), file
 * names and Kubernetes object names: DNS-label characters only, so none of
 * them can carry a `;`, `}` or path separator into a file NEXUS writes.
 */
export const ServiceName = Type.String({ minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' });
/** A release name (`v1.4.2`, `2026.12.07-3`); it is substituted into PromQL as `{{version}}`, so no quotes or braces. */
export const VersionName = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._+-]*$' });
/**
 * `host:port` or `[v6]:port` (nginx; Gateway API: Service `name:port`), or an
 * Istio subset name (a DNS label); written into the router's configuration as
 * is: no spaces, semicolons or braces. Which form a router takes is checked on create.
 */
export const Upstream = Type.String({
  minLength: 1,
  maxLength: 261,
  pattern: '^(?:(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]{2,45}\\]):[0-9]{1,5}|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)$',
});
const Image = Type.String({ minLength: 1, maxLength: 512, pattern: '^[A-Za-z0-9][A-Za-z0-9./:@_-]*$' });
const MetricName = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]*$' });

export const SetWeightStep = Type.Object({ kind: Type.Literal('setWeight'), weight: Type.Integer({ minimum: 0, maximum: 100 }) }, { additionalProperties: false });
export const PauseStep = Type.Object(
  {
    kind: Type.Literal('pause'),
    /** Absent: until a person promotes. */
    durationSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 24 * 3600 })),
  },
  { additionalProperties: false },
);
export const AnalysisStep = Type.Object({ kind: Type.Literal('analysis') }, { additionalProperties: false });
/** Holds the deployment until a webhook answers 2xx to a POST of {deployment, step}; asked again every intervalSeconds. Promote skips it. */
const GateHook = {
  url: Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://[^\\s]+$', description: 'http(s) URL; only its origin is ever shown' }),
  intervalSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, default: 10 })),
};
export const GateStep = Type.Object({ kind: Type.Literal('gate'), ...GateHook }, { additionalProperties: false });
export type GateStep = Static<typeof GateStep>;
/** Steps a person writes for a canary; blue-green plans are made by NEXUS (plan.ts) and add healthCheck and scaleDown. */
export const CanaryStep = Type.Union([SetWeightStep, PauseStep, AnalysisStep, GateStep]);
export type CanaryStep = Static<typeof CanaryStep>;
export const HealthCheckStep = Type.Object(
  {
    kind: Type.Literal('healthCheck'),
    paths: Type.Array(Type.String()),
    timeoutSeconds: Type.Integer(),
    /** Base URL of the new colour (blueGreen.healthUrl); absent: the upstream's address (nginx) or the Deployment's readiness alone (Kubernetes routers). */
    url: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export const ScaleDownStep = Type.Object({ kind: Type.Literal('scaleDown') }, { additionalProperties: false });
export const Step = Type.Union([SetWeightStep, PauseStep, AnalysisStep, GateStep, HealthCheckStep, ScaleDownStep]);
export type Step = Static<typeof Step>;

export const AnalysisMetric = Type.Object(
  {
    name: MetricName,
    /** PromQL; `{{service}}` and `{{version}}` are replaced by the deployment's. */
    query: Type.String({ minLength: 1, maxLength: 4000 }),
    /** Passes when every sample is ≤ max and ≥ min; at least one of them is required. */
    max: Type.Optional(Type.Number()),
    min: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);
export type AnalysisMetric = Static<typeof AnalysisMetric>;

export const Analysis = Type.Object(
  {
    metrics: Type.Array(AnalysisMetric, { minItems: 1, maxItems: 10 }),
    intervalSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, default: 60 })),
    /** Rounds per analysis step. */
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 3 })),
    /** Failed rounds tolerated; one more fails the analysis (and aborts the deployment). */
    failureLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, default: 0 })),
    /** Inconclusive rounds (no data, NaN, Prometheus unreachable) tolerated; one more pauses for a person. */
    inconclusiveLimit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, default: 0 })),
    /** Wait before the first round, so rate windows fill with the new weight's traffic. */
    initialDelaySeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600, default: 0 })),
  },
  { additionalProperties: false },
);
export type Analysis = Static<typeof Analysis>;
/** Analysis with every default filled in, as stored. */
export type AnalysisSettings = Required<Analysis>;

export const CreateDeploymentBody = Type.Object(
  {
    service: ServiceName,
    version: VersionName,
    upstream: Upstream,
    image: Type.Optional(Image),
    /** The version running now; needed for a service's first deployment, later the last promoted one is used. */
    stable: Type.Optional(Type.Object({ version: VersionName, upstream: Upstream }, { additionalProperties: false })),
    strategy: Type.Optional(Type.Enum(STRATEGIES, { default: 'canary' })),
    router: Type.Optional(Type.Enum(ROUTER_KINDS, { default: 'nginx' })),
    /** Canary only; default: the seed's 10 → 25 → 50 → 100, each weight followed by analysis (or a pause until promoted without analysis). */
    steps: Type.Optional(Type.Array(CanaryStep, { minItems: 1, maxItems: 100 })),
    analysis: Type.Optional(Analysis),
    blueGreen: Type.Optional(
      Type.Object(
        {
          /** How long the old colour stays in the router, ready for a switch back, before it is scaled down. */
          scaleDownDelaySeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 * 24 * 3600, default: 30 })),
          /** The seed's health checks of the new colour. */
          healthPaths: Type.Optional(Type.Array(Type.String({ pattern: '^/[A-Za-z0-9/._~-]{0,200}$' }), { minItems: 1, maxItems: 5 })),
          healthTimeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, default: 60 })),
          /** Webhooks that must each answer 2xx before the switch (as a canary's gate steps), asked in order after the health check and any analysis. */
          gates: Type.Optional(Type.Array(Type.Object(GateHook, { additionalProperties: false }), { minItems: 1, maxItems: 10 })),
          /** false: wait for a person's promote before the switch (Argo Rollouts' autoPromotionEnabled: false). */
          autoPromotion: Type.Optional(Type.Boolean({ default: true })),
          /**
           * Base URL the new colour answers at, for the health paths
           * (`http://nexus-backend-green.nexus-platform.svc:8000`): a subset name
           * is not an address. http(s), no credentials, no query. Without it a
           * Kubernetes router's health step is the Deployment's readiness alone.
           */
          healthUrl: Type.Optional(Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://[^\\s]+$', description: 'http(s) base URL of the new colour, no credentials' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type CreateDeploymentBody = Static<typeof CreateDeploymentBody>;

export const DeploymentStep = Type.Object({
  index: Type.Integer(),
  kind: Type.String({ description: 'setWeight, pause, analysis, gate, healthCheck, scaleDown' }),
  spec: Type.Record(Type.String(), Type.Unknown()),
  state: Type.Enum(STEP_STATES),
  message: NullableString,
  startedAt: NullableTimestamp,
  finishedAt: NullableTimestamp,
});

export const Deployment = Type.Object({
  id: Uuid,
  service: Type.String(),
  strategy: Type.Enum(STRATEGIES),
  router: Type.String(),
  stable: Type.Object({ version: Type.String(), upstream: Type.String() }),
  version: Type.String(),
  upstream: Type.String(),
  image: NullableString,
  /** The image the stable Deployment ran at the start (Kubernetes routers, canary with an image): what a rollback after promotion puts back. */
  stableImage: NullableString,
  /** `promoting` / `promoted`: the promotion hands the new image to the stable Deployment, which then serves alone (Kubernetes routers). */
  stableHandover: NullableString,
  analysis: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  state: Type.Enum(STATES),
  reason: NullableString,
  currentStep: Type.Integer(),
  /** Percent of traffic on the new version, as the router last confirmed. */
  canaryWeight: Type.Integer(),
  /** A traffic change sent to the router and not yet confirmed. */
  pendingWeight: Type.Union([Type.Integer(), Type.Null()]),
  incidentId: Type.Union([Uuid, Type.Null()]),
  createdBy: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  finishedAt: NullableTimestamp,
  steps: Type.Array(DeploymentStep),
});
export type Deployment = Static<typeof Deployment>;

export const Measurement = Type.Object({
  seq: Type.Integer(),
  step: Type.Integer(),
  round: Type.Integer(),
  metric: Type.String(),
  value: Type.Union([Type.Number(), Type.Null()]),
  phase: Type.String({ description: 'successful, failed, inconclusive' }),
  message: NullableString,
  weight: Type.Integer(),
  at: Timestamp,
});
export type Measurement = Static<typeof Measurement>;

export const DeploymentEvent = Type.Object({
  seq: Type.Integer(),
  at: Timestamp,
  kind: Type.String({ description: 'created, step, traffic, analysis, gate, paused, resumed, promoted, aborting, aborted, failed, succeeded, rolled_back, incident, handover' }),
  actor: Type.String(),
  summary: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
});
export type DeploymentEvent = Static<typeof DeploymentEvent>;

export const DeploymentDetail = Type.Object({
  ...Deployment.properties,
  /** The latest measurements (up to 2,000), oldest first. */
  measurements: Type.Array(Measurement),
  /** The latest timeline events (up to 1,000), oldest first. */
  timeline: Type.Array(DeploymentEvent),
});
export type DeploymentDetail = Static<typeof DeploymentDetail>;

export const DeploymentListQuery = Type.Object(
  { ...PageQuery, service: Type.Optional(ServiceName), state: Type.Optional(Type.Enum(STATES)) },
  { additionalProperties: false },
);

export const PromoteBody = Type.Union([
  Type.Object({ full: Type.Optional(Type.Boolean({ description: 'Skip every remaining pause and analysis: straight to 100 %' })) }, { additionalProperties: false }),
  Type.Null(),
]);
export const ReasonBody = Type.Union([Type.Object({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) }, { additionalProperties: false }), Type.Null()]);

/** What every deployment event on the bus carries, so incidents and consoles need no lookup. */
export interface DeploymentBusEvent {
  deploymentId: string;
  service: string;
  version: string;
  stableVersion: string;
  state: DeploymentState;
  canaryWeight: number;
  event: DeploymentEvent;
}
