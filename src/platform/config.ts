import os from 'node:os';
import path from 'node:path';
import { isRole, type Role } from './auth/roles.js';

/**
 * Configuration is read from the environment once, validated, and passed
 * around as a typed value. Nothing else in src/ reads process.env (lint
 * enforces it), so tests build a Config by hand and nothing leaks in.
 */
export interface Config {
  host: string;
  port: number;
  /** How people reach this NEXUS (NEXUS_PUBLIC_URL): links in notifications point here. */
  publicUrl: string;
  /** Embedded mode keeps PGlite data and the generated JWT key here. */
  dataDir: string;
  /** PostgreSQL connection string; unset means embedded PGlite. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  redisUrl: string | undefined;
  /** Redis pub/sub channel for events; distinct per installation sharing one Redis. */
  eventsChannel: string;
  /** Unset in embedded mode: a key is generated once and kept in dataDir. */
  jwtSecretKey: string | undefined;
  /** Still accepted for verification, so rotating the key logs no one out. */
  jwtSecretKeyPrevious: string | undefined;
  jwtTtlSeconds: number;
  adminPassword: string | undefined;
  /** `subset` label on HTTP metrics, matching the seed's Istio subsets. */
  subset: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** Prometheus that runbook lint checks PromQL against (PROMETHEUS_URL); unset skips that check. */
  prometheusUrl: string | undefined;
  loginRateLimit: { max: number; windowSeconds: number };
  trustProxy: boolean;
  /** Timeouts and the connection cap of the HTTP server: slow clients are cut off, not waited for. */
  http: HttpConfig;
  /** Live-event streams (GET /api/v1/events) open at once, per user and in all. */
  events: { maxStreamsPerUser: number; maxStreams: number };
  /** Parsing and linting runbooks, in worker threads (src/runbooks/analysis). */
  runbooks: RunbookAnalysisConfig;
  /** Runbook runs and runners (src/runbooks/runs, src/runners; ADR 0004). */
  runs: RunsConfig;
  /** Notifications: channels and delivery (src/notify; ADR 0005). */
  notify: NotifyConfig;
  /** Alerts: priority from the alert, and when a refired alert reopens its incident (src/alerts, src/incidents). */
  alerts: AlertsConfig;
  /** Progressive delivery: the controller and its traffic routers (src/deployments). */
  deployments: DeploymentsConfig;
  /** Database care and retention (src/maintenance/care). */
  care: CareConfig;
  /** Secret rotation (src/maintenance/secrets; ADR 0012). */
  secretRotation: SecretRotationConfig;
  /** Backups: where they go, how many are kept (src/maintenance/backups). */
  backups: BackupsConfig;
}

export interface BackupsConfig {
  /** NEXUS_BACKUP_TARGET: `directory` (default) or `s3`. */
  target: 'directory' | 's3';
  /** NEXUS_BACKUP_DIR, default `<dataDir>/backups`: the directory target's root. */
  directory: string;
  /** The S3-compatible target; set when target is `s3`. */
  s3: S3TargetConfig | undefined;
  /** NEXUS_BACKUP_PREFIX: objects go under `<prefix>/backups/` (manifests) and `<prefix>/database/` (dumps). */
  prefix: string;
  /** NEXUS_BACKUP_KEEP_DAILY (default 7): the newest backup of each of this many most recent days is kept. */
  keepDaily: number;
  /** NEXUS_BACKUP_KEEP_WEEKLY (default 4): and the newest of each of this many most recent ISO weeks. */
  keepWeekly: number;
  /** NEXUS_BACKUP_MAINTENANCE_SETTLE_MS (default 3000): after maintenance mode starts, the wait for other replicas to see it before a restore writes. */
  maintenanceSettleMs: number;
}

export interface S3TargetConfig {
  /** NEXUS_BACKUP_S3_BUCKET */
  bucket: string;
  /** NEXUS_BACKUP_S3_REGION, default us-east-1. */
  region: string;
  /** NEXUS_BACKUP_S3_ENDPOINT: an S3-compatible server (MinIO, s3rver…); unset: AWS. Path-style addressing when set. */
  endpoint: string | undefined;
  /** NEXUS_BACKUP_S3_ACCESS_KEY_ID / NEXUS_BACKUP_S3_SECRET_ACCESS_KEY; unset: the SDK's default chain (instance role, ~/.aws). Secrets: never logged or returned. */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
}

export interface SecretRotationConfig {
  /** Grace of a rotation that names none (NEXUS_SECRETS_GRACE_SECONDS, default 24 h): earlier keys verify this long. */
  defaultGraceSeconds: number;
  /** Set (NEXUS_K8S_SECRET names the Secret): a rotation also writes JWT_SECRET_KEY and JWT_SECRET_KEY_PREVIOUS into it. */
  kubernetes: { kubeconfig: string | undefined; namespace: string; secretName: string } | undefined;
}

/** Days a kind of record is kept; null: never pruned. */
export type RetentionDays = number | null;

export interface RetentionConfig {
  /** Resolved alerts, counted from when they resolved (NEXUS_RETENTION_ALERTS_DAYS, default 30). */
  alertsDays: RetentionDays;
  /** Finished runbook runs with their steps' output (NEXUS_RETENTION_RUNS_DAYS, default 90). */
  runsDays: RetentionDays;
  /** Notifications and their delivery records, once every delivery ended (NEXUS_RETENTION_DELIVERIES_DAYS, default 90). */
  deliveriesDays: RetentionDays;
  /** Timeline events of incidents closed at least this long ago (NEXUS_RETENTION_TIMELINE_DAYS, default 365). */
  timelineDays: RetentionDays;
  /** Closed incidents with their post-mortems (NEXUS_RETENTION_INCIDENTS_DAYS, default never). */
  incidentsDays: RetentionDays;
  /** Audit entries (NEXUS_RETENTION_AUDIT_DAYS, default 730): never shorter than any other age. */
  auditDays: RetentionDays;
  /** Rows deleted per statement (NEXUS_RETENTION_BATCH_SIZE): each batch is its own short transaction. */
  batchSize: number;
  /** Pause between batches (NEXUS_RETENTION_BATCH_PAUSE_MS), leaving the database to live traffic. */
  batchPauseMs: number;
}

export interface CareConfig {
  /** A statement or transaction running this long counts as long-running (NEXUS_DB_LONG_QUERY_SECONDS). */
  longQuerySeconds: number;
  retention: RetentionConfig;
}

export type Priority = 'P1' | 'P2' | 'P3';

export interface AlertsConfig {
  /**
   * An alert's `severity` label (lowercased) → priority, for routing rules
   * that take the priority from the alert: the defaults below, with
   * NEXUS_ALERT_SEVERITY_MAP's entries added or replacing them.
   */
  severityMap: Record<string, Priority>;
  /** When the label is missing or not in the map (NEXUS_ALERT_SEVERITY_DEFAULT). */
  defaultSeverity: Priority;
  /** An alert firing again this soon after its incident resolved reopens it; later, a new incident (NEXUS_ALERT_REOPEN_WINDOW_MINUTES; 0: never reopen). */
  reopenWindowMinutes: number;
}

export interface DeploymentsConfig {
  /** Longest the controller sleeps between looks at deployments (NEXUS_DEPLOY_TICK_MS); actions wake it sooner. */
  tickMs: number;
  /** The nginx router; unset (no NEXUS_NGINX_UPSTREAM_DIR): deployments cannot use it. */
  nginx: NginxConfig | undefined;
  /** The Istio and Gateway API routers; unset (no NEXUS_K8S_ROUTERS): deployments cannot use them. */
  kubernetes: KubernetesConfig | undefined;
}

export const KUBERNETES_ROUTERS = ['istio', 'gateway-api'] as const;

export interface KubernetesConfig {
  /** NEXUS_K8S_ROUTERS: `istio`, `gateway-api` or both, comma-separated. */
  routers: Array<(typeof KUBERNETES_ROUTERS)[number]>;
  /** NEXUS_KUBECONFIG; unset: KUBECONFIG, ~/.kube/config, then in-cluster (the pod's service account). */
  kubeconfig: string | undefined;
  /** NEXUS_K8S_NAMESPACE, default `default`: where the VirtualService, HTTPRoute and Deployments live. */
  namespace: string;
  /** NEXUS_ISTIO_VIRTUAL_SERVICE; default: the deployment's service name. */
  virtualService: string | undefined;
  /** NEXUS_GATEWAY_HTTPROUTE; default: the deployment's service name. */
  httpRoute: string | undefined;
  /** NEXUS_K8S_DEPLOYMENT, default `{service}-{upstream}`: the Deployment whose image a new version sets (`nexus-backend-canary`). */
  deploymentName: string;
  /** NEXUS_K8S_CONFLICT_RETRIES, default 5: re-reads after a 409 (someone else changed the object) before giving up. */
  conflictRetries: number;
  /** NEXUS_K8S_READY_TIMEOUT_SECONDS, default 300: how long a Deployment scaled up or given a new image may take to report ready before traffic moves to it. */
  readyTimeoutSeconds: number;
}

export interface NginxConfig {
  /** NEXUS writes `<service>.conf` (an `upstream` block) here; nginx.conf includes `<dir>/*.conf`. */
  upstreamDir: string;
  /** NEXUS_NGINX_BIN, default `nginx`. */
  binary: string;
  /** `-p` and `-c` for `nginx -t` and `nginx -s reload` (NEXUS_NGINX_PREFIX, NEXUS_NGINX_CONF). */
  prefix: string | undefined;
  conf: string | undefined;
  /** NEXUS_NGINX_PID_FILE: lets a reload wait until the old workers are gone. */
  pidFile: string | undefined;
  /** NEXUS_NGINX_RELOAD_COMMAND (split on spaces, no shell) instead of `nginx -s reload`. */
  reloadCommand: string[] | undefined;
}

export interface HttpConfig {
  /** Whole request (headers and body) must arrive within this (NEXUS_HTTP_REQUEST_TIMEOUT_SECONDS). */
  requestTimeoutMs: number;
  /** Headers must arrive within this (NEXUS_HTTP_HEADERS_TIMEOUT_SECONDS). */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (NEXUS_HTTP_KEEP_ALIVE_TIMEOUT_SECONDS). */
  keepAliveTimeoutMs: number;
  /** How often Node looks for requests past those timeouts (NEXUS_HTTP_TIMEOUT_CHECK_MS). */
  timeoutCheckIntervalMs: number;
  /** Connections beyond this are refused at once (NEXUS_HTTP_MAX_CONNECTIONS). */
  maxConnections: number;
}

export interface RunbookAnalysisConfig {
  /** One parse (import) or lint may run this long in its worker thread before it is stopped with a 422. */
  analysisTimeoutSeconds: number;
  analysisThreads: number;
  /**
   * PostgreSQL that lint checks `psql -c` SQL against (NEXUS_LINT_SQL_URL): the
   * database runbooks' SQL runs against, never NEXUS's own. Unset: SQL is not
   * checked live.
   */
  lintSqlUrl: string | undefined;
  /** Callers below this role get syntax errors only from the live SQL check, never what exists there. */
  lintSqlDetailRole: Role;
  /** Lints one person may have running or waiting at once, per process (NEXUS_LINT_MAX_PER_USER); more is a 429. */
  lintMaxPerUser: number;
}

export interface NotifyConfig {
  /** Slack incoming webhook for Slack channels that have no URL of their own (NEXUS_SLACK_WEBHOOK_URL). */
  slackWebhookUrl: string | undefined;
  /** `smtp://user:pass@host:port` or `smtps://…` (NEXUS_SMTP_URL); unset: e-mail is skipped as not configured. */
  smtpUrl: string | undefined;
  smtpFrom: string;
  /** Run delivery workers in this process (NEXUS_NOTIFY_DELIVERY); API-only replicas may turn it off. */
  delivery: boolean;
  /** Retries after the first attempt, then the dead-letter queue. */
  retryLimit: number;
  retryDelaySeconds: number;
}

export type RiskFloor = 'read' | 'change' | 'destructive' | 'none';

export interface RunsConfig {
  /** Run the in-process local runner in this `nexus serve` (NEXUS_LOCAL_RUNNER). */
  localRunner: boolean;
  /** Labels the local runner serves, matched against a command's `runner=` selector. */
  localRunnerLabels: Record<string, string>;
  localRunnerConcurrency: number;
  defaultTimeoutSeconds: number;
  /** Default for follow-style commands (`logs -f`, `watch`), which only end at their timeout. */
  followTimeoutSeconds: number;
  leaseSeconds: number;
  outputLimitBytes: number;
  /** Values redacted from every command's output: NEXUS's own secrets and the NEXUS_REDACT_ENV variables. */
  redactValues: string[];
  /** What every command's environment starts from: PATH, HOME, LANG and the NEXUS_RUNNER_ENV names. */
  baseEnv: Record<string, string>;
  /** Steps one person may have queued at once (NEXUS_MAX_QUEUED_STEPS_PER_USER); more is a 429. */
  maxQueuedStepsPerUser: number;
  /** Runs one person may have unfinished at once (NEXUS_MAX_ACTIVE_RUNS_PER_USER); more is a 429. */
  maxActiveRunsPerUser: number;
  /** NEXUS_SANDBOX: bubblewrap around every command (`auto`: when it works here), or `none` (src/runners/sandbox.ts). */
  sandbox: 'auto' | 'bwrap' | 'none';
  /** NEXUS_RUNNER_USER: whom commands run as; unset: `nexus-runner` when NEXUS runs as root, else the NEXUS user. */
  runnerUser: string | undefined;
  /** Minimum role to request a command of each risk; approvals needed from `approvalFrom` up. */
  policy: { read: Role; change: Role; destructive: Role; approver: Role; approvalFrom: RiskFloor };
}

/** A bad configuration value: the message names the variable, never a stack. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string, schemes: string[]): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    // Never echo the value: connection strings carry passwords.
    throw new ConfigError(name, 'is not a valid URL');
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) {
    throw new ConfigError(name, `scheme must be one of ${schemes.join(', ')}, got "${scheme}"`);
  }
  return raw;
}

function secret(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  // HS256 wants at least 256 bits of key; a short key is a guessable key.
  if (Buffer.byteLength(raw) < 32) throw new ConfigError(name, 'must be at least 32 bytes long');
  return raw;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!(values as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const host = text(env, 'HOST') ?? '127.0.0.1';
  const subset = text(env, 'NEXUS_SUBSET') ?? 'stable';
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(subset)) {
    throw new ConfigError('NEXUS_SUBSET', `must be a lowercase label like "stable" or "canary", got "${subset}"`);
  }
  const adminPassword = env.NEXUS_ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && adminPassword.length < 12) {
    throw new ConfigError('NEXUS_ADMIN_PASSWORD', 'must be at least 12 characters long');
  }
  const jwtSecretKey = secret(env, 'JWT_SECRET_KEY');
  const jwtSecretKeyPrevious = secret(env, 'JWT_SECRET_KEY_PREVIOUS');
  if (jwtSecretKeyPrevious && !jwtSecretKey) {
    throw new ConfigError('JWT_SECRET_KEY_PREVIOUS', 'is set but JWT_SECRET_KEY is not');
  }
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres', 'postgresql']);
  const port = integer(env, 'PORT', 8080, 0, 65535);
  return {
    host,
    port,
    publicUrl: publicUrl(env, host, port),
    dataDir: path.resolve(cwd, text(env, 'NEXUS_DATA_DIR') ?? '.nexus'),
    databaseUrl,
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
    redisUrl: url(env, 'REDIS_URL', ['redis', 'rediss']),
    eventsChannel: text(env, 'NEXUS_EVENTS_CHANNEL') ?? 'nexus:events',
    jwtSecretKey,
    jwtSecretKeyPrevious,
    jwtTtlSeconds: integer(env, 'JWT_TTL_SECONDS', 12 * 3600, 60, 30 * 24 * 3600),
    adminPassword,
    subset,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    bodyLimitBytes: integer(env, 'NEXUS_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    metricsToken: text(env, 'METRICS_TOKEN'),
    prometheusUrl: url(env, 'PROMETHEUS_URL', ['http', 'https']),
    loginRateLimit: {
      max: integer(env, 'LOGIN_RATE_LIMIT_MAX', 10, 1, 100000),
      windowSeconds: integer(env, 'LOGIN_RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86400),
    },
    trustProxy: flag(env, 'TRUST_PROXY', false),
    http: httpConfig(env),
    events: {
      maxStreamsPerUser: integer(env, 'NEXUS_EVENTS_MAX_STREAMS_PER_USER', 16, 1, 10_000),
      maxStreams: integer(env, 'NEXUS_EVENTS_MAX_STREAMS', 1000, 1, 1_000_000),
    },
    runbooks: runbookAnalysisConfig(env, databaseUrl),
    runs: runsConfig(env),
    notify: notifyConfig(env),
    alerts: alertsConfig(env),
    deployments: deploymentsConfig(env, cwd),
    care: careConfig(env),
    secretRotation: secretRotationConfig(env, cwd),
    backups: backupsConfig(env, cwd, path.resolve(cwd, text(env, 'NEXUS_DATA_DIR') ?? '.nexus')),
  };
}

/** Segments of letters, digits, `.`, `_`, `-` joined by `/`; no `.` or `..` segment (a key must never climb out of its prefix). */
const BACKUP_PREFIX = /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9._-]{1,64}(?:\/[A-Za-z0-9._-]{1,64}){0,7}$/;

function backupsConfig(env: Env, cwd: string, dataDir: string): BackupsConfig {
  const target = oneOf(env, 'NEXUS_BACKUP_TARGET', ['directory', 's3'] as const, 'directory');
  const prefix = (text(env, 'NEXUS_BACKUP_PREFIX') ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix !== '' && !BACKUP_PREFIX.test(prefix)) {
    throw new ConfigError('NEXUS_BACKUP_PREFIX', 'must be path segments of letters, digits, ".", "_" or "-" separated by "/", without "." or ".." segments');
  }
  const bucket = text(env, 'NEXUS_BACKUP_S3_BUCKET');
  if (target === 's3' && !bucket) throw new ConfigError('NEXUS_BACKUP_S3_BUCKET', 'is required when NEXUS_BACKUP_TARGET=s3');
  if (bucket && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ConfigError('NEXUS_BACKUP_S3_BUCKET', `"${bucket}" is not a valid bucket name`);
  const accessKeyId = text(env, 'NEXUS_BACKUP_S3_ACCESS_KEY_ID');
  const secretAccessKey = env.NEXUS_BACKUP_S3_SECRET_ACCESS_KEY || undefined;
  // Half a key pair would fall back to the SDK's chain silently and fail later with a confusing 403.
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new ConfigError(accessKeyId ? 'NEXUS_BACKUP_S3_SECRET_ACCESS_KEY' : 'NEXUS_BACKUP_S3_ACCESS_KEY_ID', 'the S3 access key id and secret access key must be set together');
  }
  return {
    target,
    directory: path.resolve(cwd, text(env, 'NEXUS_BACKUP_DIR') ?? path.join(dataDir, 'backups')),
    s3:
      target === 's3' && bucket
        ? {
            bucket,
            region: text(env, 'NEXUS_BACKUP_S3_REGION') ?? 'us-east-1',
            endpoint: url(env, 'NEXUS_BACKUP_S3_ENDPOINT', ['http', 'https']),
            credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
          }
        : undefined,
    prefix,
    keepDaily: integer(env, 'NEXUS_BACKUP_KEEP_DAILY', 7, 0, 3660),
    keepWeekly: integer(env, 'NEXUS_BACKUP_KEEP_WEEKLY', 4, 0, 520),
    maintenanceSettleMs: integer(env, 'NEXUS_BACKUP_MAINTENANCE_SETTLE_MS', 3000, 0, 600_000),
  };
}

function secretRotationConfig(env: Env, cwd: string): SecretRotationConfig {
  const secretName = text(env, 'NEXUS_K8S_SECRET');
  const kubeconfig = text(env, 'NEXUS_KUBECONFIG');
  if (secretName !== undefined && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(secretName)) {
    throw new ConfigError('NEXUS_K8S_SECRET', `must be a Kubernetes object name like "nexus-secrets", got "${secretName}"`);
  }
  return {
    defaultGraceSeconds: integer(env, 'NEXUS_SECRETS_GRACE_SECONDS', 24 * 3600, 0, 30 * 24 * 3600),
    kubernetes: secretName
      ? {
          kubeconfig: kubeconfig === undefined ? undefined : path.resolve(cwd, kubeconfig),
          // The seed keeps nexus-secrets in nexus-platform.
          namespace: text(env, 'NEXUS_K8S_SECRET_NAMESPACE') ?? 'nexus-platform',
          secretName,
        }
      : undefined,
  };
}

/** Whole days or `never`. */
function retentionDays(env: Env, name: string, fallback: RetentionDays): RetentionDays {
  const raw = text(env, name);
  if (raw !== undefined && raw.toLowerCase() === 'never') return null;
  if (raw !== undefined && !/^\d+$/.test(raw)) throw new ConfigError(name, `expected a number of days or "never", got "${raw}"`);
  return raw === undefined ? fallback : integer(env, name, 0, 1, 36_500);
}

function careConfig(env: Env): CareConfig {
  const retention: RetentionConfig = {
    alertsDays: retentionDays(env, 'NEXUS_RETENTION_ALERTS_DAYS', 30),
    runsDays: retentionDays(env, 'NEXUS_RETENTION_RUNS_DAYS', 90),
    deliveriesDays: retentionDays(env, 'NEXUS_RETENTION_DELIVERIES_DAYS', 90),
    timelineDays: retentionDays(env, 'NEXUS_RETENTION_TIMELINE_DAYS', 365),
    incidentsDays: retentionDays(env, 'NEXUS_RETENTION_INCIDENTS_DAYS', null),
    auditDays: retentionDays(env, 'NEXUS_RETENTION_AUDIT_DAYS', 730),
    batchSize: integer(env, 'NEXUS_RETENTION_BATCH_SIZE', 1000, 10, 100_000),
    batchPauseMs: integer(env, 'NEXUS_RETENTION_BATCH_PAUSE_MS', 10, 0, 60_000),
  };
  // The audit log is the record of who pruned what: it must outlive every pruned kind it speaks about.
  if (retention.auditDays !== null) {
    const others = [
      ['NEXUS_RETENTION_ALERTS_DAYS', retention.alertsDays],
      ['NEXUS_RETENTION_RUNS_DAYS', retention.runsDays],
      ['NEXUS_RETENTION_DELIVERIES_DAYS', retention.deliveriesDays],
      ['NEXUS_RETENTION_TIMELINE_DAYS', retention.timelineDays],
      ['NEXUS_RETENTION_INCIDENTS_DAYS', retention.incidentsDays],
    ] as const;
    for (const [name, days] of others) {
      // A kind never pruned needs no audit of its pruning.
      if (days !== null && days > retention.auditDays) {
        throw new ConfigError('NEXUS_RETENTION_AUDIT_DAYS', `audit entries must be kept at least as long as anything pruned, but ${name} keeps ${days} days and audit only ${retention.auditDays}`);
      }
    }
  }
  return { longQuerySeconds: integer(env, 'NEXUS_DB_LONG_QUERY_SECONDS', 60, 1, 86_400), retention };
}

const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3'];

/** Prometheus' usual `severity` values and NEXUS's own priorities. */
export const DEFAULT_SEVERITY_MAP: Readonly<Record<string, Priority>> = {
  critical: 'P1',
  page: 'P1',
  p1: 'P1',
  warning: 'P2',
  p2: 'P2',
  info: 'P3',
  p3: 'P3',
};

/** `NEXUS_ALERT_SEVERITY_MAP=critical=P1,high=P2,low=P3`: added to the defaults, a key given replaces its default. */
function alertsConfig(env: Env): AlertsConfig {
  const severityMap: Record<string, Priority> = { ...DEFAULT_SEVERITY_MAP };
  for (const [key, value] of Object.entries(labels(env, 'NEXUS_ALERT_SEVERITY_MAP'))) {
    const priority = value.toUpperCase() as Priority;
    if (!PRIORITIES.includes(priority)) throw new ConfigError('NEXUS_ALERT_SEVERITY_MAP', `${key} must map to P1, P2 or P3, got "${value}"`);
    severityMap[key.toLowerCase()] = priority;
  }
  return {
    severityMap,
    defaultSeverity: oneOf(env, 'NEXUS_ALERT_SEVERITY_DEFAULT', PRIORITIES, 'P3'),
    reopenWindowMinutes: integer(env, 'NEXUS_ALERT_REOPEN_WINDOW_MINUTES', 30, 0, 7 * 24 * 60),
  };
}

function deploymentsConfig(env: Env, cwd: string): DeploymentsConfig {
  const upstreamDir = text(env, 'NEXUS_NGINX_UPSTREAM_DIR');
  const absolute = (name: string) => {
    const value = text(env, name);
    return value === undefined ? undefined : path.resolve(cwd, value);
  };
  const reload = text(env, 'NEXUS_NGINX_RELOAD_COMMAND')?.split(/\s+/);
  return {
    tickMs: integer(env, 'NEXUS_DEPLOY_TICK_MS', 1000, 50, 60_000),
    nginx:
      upstreamDir === undefined
        ? undefined
        : {
            upstreamDir: path.resolve(cwd, upstreamDir),
            binary: text(env, 'NEXUS_NGINX_BIN') ?? 'nginx',
            prefix: absolute('NEXUS_NGINX_PREFIX'),
            conf: absolute('NEXUS_NGINX_CONF'),
            pidFile: absolute('NEXUS_NGINX_PID_FILE'),
            reloadCommand: reload,
          },
    kubernetes: kubernetesConfig(env, cwd),
  };
}

function kubernetesConfig(env: Env, cwd: string): KubernetesConfig | undefined {
  const names = text(env, 'NEXUS_K8S_ROUTERS')?.split(',').map((r) => r.trim()).filter(Boolean);
  if (!names?.length) return undefined;
  const unknown = names.filter((n) => !(KUBERNETES_ROUTERS as readonly string[]).includes(n));
  if (unknown.length) throw new ConfigError('NEXUS_K8S_ROUTERS', `unknown router ${unknown.join(', ')} (known: ${KUBERNETES_ROUTERS.join(', ')})`);
  const kubeconfig = text(env, 'NEXUS_KUBECONFIG');
  return {
    routers: [...new Set(names)] as KubernetesConfig['routers'],
    kubeconfig: kubeconfig === undefined ? undefined : path.resolve(cwd, kubeconfig),
    namespace: text(env, 'NEXUS_K8S_NAMESPACE') ?? 'default',
    virtualService: text(env, 'NEXUS_ISTIO_VIRTUAL_SERVICE'),
    httpRoute: text(env, 'NEXUS_GATEWAY_HTTPROUTE'),
    deploymentName: text(env, 'NEXUS_K8S_DEPLOYMENT') ?? '{service}-{upstream}',
    conflictRetries: integer(env, 'NEXUS_K8S_CONFLICT_RETRIES', 5, 0, 100),
    readyTimeoutSeconds: integer(env, 'NEXUS_K8S_READY_TIMEOUT_SECONDS', 300, 1, 3600),
  };
}

function httpConfig(env: Env): HttpConfig {
  const requestTimeoutMs = integer(env, 'NEXUS_HTTP_REQUEST_TIMEOUT_SECONDS', 15, 1, 3600) * 1000;
  const headersTimeoutMs = integer(env, 'NEXUS_HTTP_HEADERS_TIMEOUT_SECONDS', 10, 1, 3600) * 1000;
  // Node applies the smaller of the two to headers anyway; refusing says so instead of surprising.
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('NEXUS_HTTP_HEADERS_TIMEOUT_SECONDS', 'must not be longer than NEXUS_HTTP_REQUEST_TIMEOUT_SECONDS');
  }
  return {
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: integer(env, 'NEXUS_HTTP_KEEP_ALIVE_TIMEOUT_SECONDS', 10, 1, 3600) * 1000,
    timeoutCheckIntervalMs: integer(env, 'NEXUS_HTTP_TIMEOUT_CHECK_MS', 1000, 100, 60_000),
    maxConnections: integer(env, 'NEXUS_HTTP_MAX_CONNECTIONS', 4096, 16, 1_000_000),
  };
}

/** The same server and database, whatever the credentials or spelling of the URL. */
function sameDatabase(a: string, b: string): boolean {
  const where = (raw: string) => {
    const parsed = new URL(raw);
    return `${parsed.hostname.toLowerCase()}:${parsed.port || '5432'}/${decodeURIComponent(parsed.pathname.replace(/^\//, '')) || parsed.username}`;
  };
  return where(a) === where(b);
}

function runbookAnalysisConfig(env: Env, databaseUrl: string | undefined): RunbookAnalysisConfig {
  const lintSqlUrl = url(env, 'NEXUS_LINT_SQL_URL', ['postgres', 'postgresql']);
  // Lint is open to viewers: checking their SQL against NEXUS's own database maps its schema (issue 14, point 6).
  if (lintSqlUrl && databaseUrl && sameDatabase(lintSqlUrl, databaseUrl)) {
    throw new ConfigError('NEXUS_LINT_SQL_URL', "points at NEXUS's own database (DATABASE_URL); give the database runbooks query");
  }
  const detailRole = text(env, 'NEXUS_LINT_SQL_DETAIL_ROLE') ?? 'operator';
  if (!isRole(detailRole)) throw new ConfigError('NEXUS_LINT_SQL_DETAIL_ROLE', `must be viewer, responder, operator or admin, got "${detailRole}"`);
  return {
    analysisTimeoutSeconds: integer(env, 'NEXUS_RUNBOOK_ANALYSIS_TIMEOUT_SECONDS', 10, 1, 600),
    analysisThreads: integer(env, 'NEXUS_RUNBOOK_ANALYSIS_THREADS', 2, 1, 64),
    lintSqlUrl,
    lintSqlDetailRole: detailRole,
    lintMaxPerUser: integer(env, 'NEXUS_LINT_MAX_PER_USER', 2, 1, 1000),
  };
}

/** Without NEXUS_PUBLIC_URL, the address NEXUS listens on (a wildcard host is no address to click). */
function publicUrl(env: Env, host: string, port: number): string {
  const given = url(env, 'NEXUS_PUBLIC_URL', ['http', 'https']);
  if (given) {
    const parsed = new URL(given);
    if (parsed.username || parsed.password) throw new ConfigError('NEXUS_PUBLIC_URL', 'must not contain credentials');
    if (parsed.search || parsed.hash) throw new ConfigError('NEXUS_PUBLIC_URL', 'must be a base URL without ?query or #fragment');
    return given.replace(/\/+$/, '');
  }
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

function notifyConfig(env: Env): NotifyConfig {
  const slackWebhookUrl = url(env, 'NEXUS_SLACK_WEBHOOK_URL', ['http', 'https']);
  // A webhook URL with user:password would end up in request logs of every proxy on the way.
  if (slackWebhookUrl && URL.parse(slackWebhookUrl)?.username) {
    throw new ConfigError('NEXUS_SLACK_WEBHOOK_URL', 'must not contain credentials');
  }
  const smtpFrom = text(env, 'NEXUS_SMTP_FROM') ?? 'NEXUS <nexus@localhost>';
  // "Name <a@b>" or "a@b"; nodemailer would accept worse and the SMTP server reject it at 3 a.m.
  if (!/^(?:[^<>\r\n]{0,100}<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(smtpFrom)) {
    throw new ConfigError('NEXUS_SMTP_FROM', `expected an address like "NEXUS <nexus@example.com>", got "${smtpFrom}"`);
  }
  return {
    slackWebhookUrl,
    smtpUrl: url(env, 'NEXUS_SMTP_URL', ['smtp', 'smtps']),
    smtpFrom,
    delivery: flag(env, 'NEXUS_NOTIFY_DELIVERY', true),
    retryLimit: integer(env, 'NEXUS_NOTIFY_RETRY_LIMIT', 5, 0, 20),
    retryDelaySeconds: integer(env, 'NEXUS_NOTIFY_RETRY_DELAY_SECONDS', 2, 1, 3600),
  };
}

function labels(env: Env, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (text(env, name) ?? '').split(',').filter((p) => p.trim() !== '')) {
    const match = /^\s*([A-Za-z0-9_./-]{1,63})=([A-Za-z0-9_./-]{0,63})\s*$/.exec(pair);
    if (!match) throw new ConfigError(name, `expected key=value[,key=value], got "${pair}"`);
    out[match[1]!] = match[2]!;
  }
  return out;
}

const POLICY_KEYS = ['read', 'change', 'destructive', 'approver', 'approvalFrom'] as const;

/** `NEXUS_RUN_POLICY=read=responder,change=operator,destructive=operator,approver=operator,approvalFrom=destructive`. */
function runPolicy(env: Env): RunsConfig['policy'] {
  const policy: RunsConfig['policy'] = { read: 'responder', change: 'operator', destructive: 'operator', approver: 'operator', approvalFrom: 'destructive' };
  for (const [key, value] of Object.entries(labels(env, 'NEXUS_RUN_POLICY'))) {
    if (key === 'approvalFrom') {
      if (!['read', 'change', 'destructive', 'none'].includes(value)) {
        throw new ConfigError('NEXUS_RUN_POLICY', `approvalFrom must be read, change, destructive or none, got "${value}"`);
      }
      policy.approvalFrom = value as RiskFloor;
    } else if ((POLICY_KEYS as readonly string[]).includes(key) && isRole(value)) {
      policy[key as Exclude<(typeof POLICY_KEYS)[number], 'approvalFrom'>] = value;
    } else {
      throw new ConfigError('NEXUS_RUN_POLICY', `expected ${POLICY_KEYS.join('|')}=<role>, got "${key}=${value}"`);
    }
  }
  return policy;
}

/** Secrets of NEXUS itself are always redacted; a URL's password also on its own. */
function redactValues(env: Env): string[] {
  const names = ['JWT_SECRET_KEY', 'JWT_SECRET_KEY_PREVIOUS', 'NEXUS_ADMIN_PASSWORD', 'METRICS_TOKEN', 'NEXUS_SLACK_WEBHOOK_URL', 'NEXUS_BACKUP_S3_SECRET_ACCESS_KEY'];
  names.push(...(text(env, 'NEXUS_REDACT_ENV') ?? '').split(',').map((n) => n.trim()).filter(Boolean));
  const values = names.map((name) => env[name]).filter((v): v is string => v !== undefined && v !== '');
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'NEXUS_SMTP_URL']) {
    const raw = env[name];
    const password = raw ? URL.parse(raw)?.password : undefined;
    if (raw && password) values.push(raw, decodeURIComponent(password));
  }
  return [...new Set(values)];
}

function runnerUser(env: Env): string | undefined {
  const name = text(env, 'NEXUS_RUNNER_USER');
  if (name !== undefined && !/^[a-z_][a-z0-9_-]{0,31}\$?$/i.test(name)) {
    throw new ConfigError('NEXUS_RUNNER_USER', `"${name}" is not a user name`);
  }
  return name;
}

function runsConfig(env: Env): RunsConfig {
  const baseEnv: Record<string, string> = {
    PATH: env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: env.HOME ?? os.homedir(),
    LANG: env.LANG ?? 'C.UTF-8',
  };
  for (const name of (text(env, 'NEXUS_RUNNER_ENV') ?? '').split(',').map((n) => n.trim()).filter(Boolean)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ConfigError('NEXUS_RUNNER_ENV', `"${name}" is not a variable name`);
    const value = env[name];
    if (value !== undefined) baseEnv[name] = value;
  }
  return {
    localRunner: flag(env, 'NEXUS_LOCAL_RUNNER', true),
    // `runner=local` in a command's annotation pins it to the server's own runner.
    localRunnerLabels: text(env, 'NEXUS_LOCAL_RUNNER_LABELS') === undefined ? { runner: 'local' } : labels(env, 'NEXUS_LOCAL_RUNNER_LABELS'),
    localRunnerConcurrency: integer(env, 'NEXUS_LOCAL_RUNNER_CONCURRENCY', 4, 1, 64),
    defaultTimeoutSeconds: integer(env, 'NEXUS_STEP_TIMEOUT_SECONDS', 300, 1, 86400),
    followTimeoutSeconds: integer(env, 'NEXUS_FOLLOW_TIMEOUT_SECONDS', 60, 1, 86400),
    leaseSeconds: integer(env, 'NEXUS_RUNNER_LEASE_SECONDS', 30, 2, 3600),
    outputLimitBytes: integer(env, 'NEXUS_STEP_OUTPUT_LIMIT_BYTES', 256 * 1024, 1024, 64 * 1024 * 1024),
    redactValues: redactValues(env),
    baseEnv,
    maxQueuedStepsPerUser: integer(env, 'NEXUS_MAX_QUEUED_STEPS_PER_USER', 20, 1, 100_000),
    maxActiveRunsPerUser: integer(env, 'NEXUS_MAX_ACTIVE_RUNS_PER_USER', 200, 1, 100_000),
    sandbox: oneOf(env, 'NEXUS_SANDBOX', ['auto', 'bwrap', 'none'] as const, 'auto'),
    runnerUser: runnerUser(env),
    policy: runPolicy(env),
  };
}
