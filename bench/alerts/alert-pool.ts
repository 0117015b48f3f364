/**
 * The alerts the benchmark sends: a bounded set of Alertmanager groups
 * (alertname × service, as `group_by: [alertname, cluster, service]` makes
 * them), each growing its own set of alerts (one per instance). A fixed share
 * of every case's alerts are new fingerprints and the rest repeat ones already
 * sent, whatever the throughput, so NEXUS and Alertmanager see the same mix.
 *
 * The same stream is written either as an Alertmanager webhook v4 body (what
 * NEXUS receives) or as a `POST /api/v2/alerts` array (what Prometheus sends
 * Alertmanager).
 */
import { createHash } from 'node:crypto';

/**
 * Names of deploy/prometheus/rules.yml, so the default routing rules (src/alerts/routing.ts)
 * route them: P1, P2 and P3 rules, and one that only the catch-all rule takes.
 */
const ALERTNAMES = ['NexusHighErrorRate', 'NexusHighLatencyP95', 'NexusTargetDown', 'NexusHighCPU', 'NexusHighMemory', 'NodeFilesystemAlmostFull'];
const CRITICAL = new Set(['NexusTargetDown']);
/** What Alertmanager writes for a firing alert's endsAt in a webhook (Go's zero time). */
const NOT_ENDED = '0001-01-01T00:00:00Z';
/** Prometheus sends endsAt a few evaluation intervals ahead and re-sends before it passes. */
const PROMETHEUS_ENDS_AFTER_MS = 4 * 60_000;

export type Labels = Record<string, string>;

export interface BenchAlert {
  labels: Labels;
  annotations: Labels;
  startsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface Batch {
  groupKey: string;
  groupLabels: Labels;
  alerts: BenchAlert[];
}

interface Group {
  key: string;
  labels: Labels;
  alerts: BenchAlert[];
  visits: number;
  /** Fractional new alerts owed to this group (a 10 % share of 1-alert payloads is one new alert every 10th visit). */
  credit: number;
  cursor: number;
}

/** 16 hex digits over the sorted labels, like Alertmanager's own fingerprints (not the same hash). */
function fingerprint(labels: Labels): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(labels).sort()) hash.update(`${name}\u0000${labels[name]}\u0000`);
  return hash.digest('hex').slice(0, 16);
}

export interface StreamOptions {
  /** The `cluster` label: one value per benchmark case, so each case can be counted in storage on its own. */
  cluster: string;
  groups: number;
  perPayload: number;
  /** Share of alerts that are new fingerprints once a group exists (its first payload is all new). */
  newShare: number;
  /** Default: the names the default routing rules know (ALERTNAMES). */
  alertnames?: string[];
}

/**
 * Payloads visit the groups round-robin, so payloads in flight at one time
 * belong to different groups as long as there are more groups than
 * connections (one Alertmanager does not send one group twice at once either).
 */
export class AlertStream {
  private readonly groups: Group[];
  private next = 0;

  constructor(private readonly options: StreamOptions) {
    this.groups = Array.from({ length: options.groups }, (_, g) => {
      const names = options.alertnames ?? ALERTNAMES;
      const alertname = names[g % names.length]!;
      const labels = { alertname, cluster: options.cluster, service: `svc-${String(g).padStart(3, '0')}` };
      // Alertmanager's groupKey: the route's matchers, then the group_by labels in name order.
      const key = `{}:{alertname="${alertname}", cluster="${options.cluster}", service="${labels.service}"}`;
      return { key, labels, alerts: [], visits: 0, credit: 0, cursor: 0 };
    });
  }

  /** The next payload's group and alerts. */
  batch(): Batch {
    const group = this.groups[this.next]!;
    this.next = (this.next + 1) % this.groups.length;
    const n = this.options.perPayload;
    let fresh: number;
    if (group.visits === 0) fresh = n;
    else {
      group.credit += n * this.options.newShare;
      // The epsilon keeps ten additions of 0.1 from summing to 0.9999….
      fresh = Math.floor(group.credit + 1e-9);
      group.credit -= fresh;
    }
    group.visits += 1;
    const older = group.alerts.length;
    for (let i = 0; i < fresh; i++) group.alerts.push(this.alert(group, group.alerts.length));
    let alerts: BenchAlert[];
    if (n === 1) {
      // One alert per payload: a new one, or the group's next older one in turn (the repeats cover the whole group).
      alerts = fresh > 0 ? group.alerts.slice(-1) : [group.alerts[group.cursor++ % older]!];
    } else {
      // A group's webhook carries its current alerts: the newest n, of which `fresh` just appeared.
      alerts = group.alerts.slice(-n);
    }
    return { groupKey: group.key, groupLabels: group.labels, alerts };
  }

  private alert(group: Group, index: number): BenchAlert {
    const { alertname, service } = group.labels as { alertname: string; service: string };
    const instance = `ip-10-${group.labels.service!.slice(4)}-${index >> 8}-${index & 255}:9100`;
    const labels: Labels = {
      ...group.labels,
      instance,
      job: 'node',
      namespace: 'production',
      severity: CRITICAL.has(alertname) ? 'critical' : 'warning',
    };
    return {
      labels,
      annotations: {
        summary: `${alertname} on ${instance}`,
        description: `${alertname} has been firing for ${service} on ${instance} for more than 5 minutes.`,
        runbook_url: `https://runbooks.example.com/nexus-platform#${alertname.toLowerCase()}`,
      },
      startsAt: new Date().toISOString(),
      generatorURL: `http://prometheus.monitoring:9090/graph?g0.expr=${encodeURIComponent(`${alertname}{service="${service}"}`)}&g0.tab=1`,
      fingerprint: fingerprint(labels),
    };
  }
}

function commonOf(maps: Labels[]): Labels {
  const [first, ...rest] = maps;
  const out: Labels = {};
  for (const [name, value] of Object.entries(first ?? {})) if (rest.every((m) => m[name] === value)) out[name] = value;
  return out;
}

/** The body Alertmanager POSTs to a webhook receiver (version 4), firing alerts only. */
export function webhookBody(batch: Batch): string {
  return JSON.stringify({
    version: '4',
    groupKey: batch.groupKey,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'nexus',
    groupLabels: batch.groupLabels,
    commonLabels: commonOf(batch.alerts.map((a) => a.labels)),
    commonAnnotations: commonOf(batch.alerts.map((a) => a.annotations)),
    externalURL: 'http://alertmanager.monitoring:9093',
    alerts: batch.alerts.map((a) => ({
      status: 'firing',
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: NOT_ENDED,
      generatorURL: a.generatorURL,
      fingerprint: a.fingerprint,
    })),
  });
}

/** The body Prometheus POSTs to Alertmanager's `/api/v2/alerts` (postable alerts). */
export function postableAlerts(batch: Batch): string {
  const endsAt = new Date(Date.now() + PROMETHEUS_ENDS_AFTER_MS).toISOString();
  return JSON.stringify(
    batch.alerts.map((a) => ({ labels: a.labels, annotations: a.annotations, startsAt: a.startsAt, endsAt, generatorURL: a.generatorURL })),
  );
}
