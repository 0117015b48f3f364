/**
 * Every TanStack Query key the console uses, in one place, by domain. Keys
 * are hierarchical: invalidating `queryKeys.incidents.all` refetches every
 * incident list and detail; `queryKeys.incidents.detail(id)` one incident
 * with its timeline and post-mortem. Live events (src/live/invalidation.ts)
 * invalidate these prefixes, so a page that builds its keys here updates
 * by itself.
 */

type Filters = Record<string, string | number | boolean | readonly string[] | undefined>;

export const queryKeys = {
  me: ['me'] as const,
  incidents: {
    all: ['incidents'] as const,
    lists: () => ['incidents', 'list'] as const,
    list: (filters: Filters) => ['incidents', 'list', filters] as const,
    /** The dashboard's open incidents. */
    open: () => ['incidents', 'list', 'open'] as const,
    /** Under `lists`: an incident that changes state refreshes the post-mortem list too. */
    postmortems: (filters: Filters) => ['incidents', 'list', 'postmortems', filters] as const,
    detail: (id: string) => ['incidents', 'detail', id] as const,
    timeline: (id: string) => ['incidents', 'detail', id, 'timeline'] as const,
    postmortem: (id: string) => ['incidents', 'detail', id, 'postmortem'] as const,
  },
  alerts: {
    all: ['alerts'] as const,
    list: (filters: Filters) => ['alerts', 'list', filters] as const,
  },
  silences: {
    all: ['silences'] as const,
    list: (filters: Filters) => ['silences', 'list', filters] as const,
  },
  routingRules: { all: ['routing-rules'] as const },
  runs: {
    all: ['runs'] as const,
    lists: () => ['runs', 'list'] as const,
    list: (filters: Filters) => ['runs', 'list', filters] as const,
    detail: (id: string) => ['runs', 'detail', id] as const,
    /** Outside `detail`: a step changing state must not refetch output that live chunks already extend. */
    output: (runId: string, commandId: string, attempt: number) => ['runs', 'output', runId, commandId, attempt] as const,
  },
  backups: {
    all: ['backups'] as const,
    list: () => ['backups', 'list'] as const,
  },
  deployments: {
    all: ['deployments'] as const,
    lists: () => ['deployments', 'list'] as const,
    list: (filters: Filters) => ['deployments', 'list', filters] as const,
    detail: (id: string) => ['deployments', 'detail', id] as const,
  },
  schedules: {
    all: ['schedules'] as const,
    list: () => ['schedules', 'list'] as const,
    /** The built-in tasks: fixed while NEXUS runs. */
    tasks: () => ['schedule-tasks'] as const,
    /** One schedule's run history (its live progress included). */
    runs: (scheduleId: string) => ['schedules', 'runs', scheduleId] as const,
  },
  runbooks: {
    all: ['runbooks'] as const,
    list: (filters: Filters) => ['runbooks', 'list', filters] as const,
    detail: (idOrSlug: string) => ['runbooks', 'detail', idOrSlug] as const,
    versions: (idOrSlug: string) => ['runbooks', 'detail', idOrSlug, 'versions'] as const,
    /** One version, parsed: immutable once imported. */
    version: (idOrSlug: string, version: number) => ['runbooks', 'detail', idOrSlug, 'version', version] as const,
    /**
     * A lint report, by the SHA-256 of the source it read: the same source
     * lints the same way, so it sits outside `runbooks` and an import does
     * not re-lint (and re-audit) every version on screen.
     */
    lint: (checksum: string) => ['runbook-lint', checksum] as const,
  },
  oncall: {
    contacts: ['contacts'] as const,
    rotations: ['rotations'] as const,
    escalationPolicies: ['escalation-policies'] as const,
    notifications: ['notifications'] as const,
    notificationList: (filters: Filters) => ['notifications', 'list', filters] as const,
    /** Who is on call now: under `rotations`, so a rotation change refreshes it. */
    onCallNow: (rotationId: string) => ['rotations', rotationId, 'oncall'] as const,
    channels: ['channels'] as const,
  },
  audit: {
    all: ['audit'] as const,
    list: (filters: Filters) => ['audit', 'list', filters] as const,
  },
  users: {
    all: ['users'] as const,
    list: (filters: Filters) => ['users', 'list', filters] as const,
  },
  tokens: {
    all: ['tokens'] as const,
    /** `mine`, or `all` (admins: everyone's). */
    list: (scope: 'mine' | 'all') => ['tokens', 'list', scope] as const,
  },
  secrets: {
    all: ['secrets'] as const,
    rotations: ['secrets', 'rotations'] as const,
  },
} as const;
