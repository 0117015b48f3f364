import type { CommandAnnotations, RiskClass } from './model.js';

interface RiskRule {
  risk: Exclude<RiskClass, 'read'>;
  pattern: RegExp;
  reason: string;
}

/**
 * What makes a command change or destroy something. Destructive means hard
 * or impossible to undo, or taking capacity to zero (DESIGN.md §4): those
 * need a second person's approval. Rules match the command text as written;
 * anything matching no rule is a read.
 */
const RULES: RiskRule[] = [
  { risk: 'destructive', pattern: /\bDROP\s+(DATABASE|TABLE|SCHEMA|INDEX|ROLE|USER)\b/i, reason: 'SQL DROP' },
  { risk: 'destructive', pattern: /\bTRUNCATE\b/i, reason: 'SQL TRUNCATE' },
  { risk: 'destructive', pattern: /\bDELETE\s+FROM\b/i, reason: 'SQL DELETE' },
  { risk: 'destructive', pattern: /\bFLUSH(DB|ALL)\b/i, reason: 'Redis FLUSHDB/FLUSHALL empties the cache' },
  // `auth can-i delete` asks a question and `--dry-run` deletes nothing: both are reads.
  { risk: 'destructive', pattern: /\b(kubectl|oc)\b(?![^|;&]*(\bauth\s+can-i\b|--dry-run\b))[^|;&]*\sdelete\b/, reason: 'kubectl delete' },
  { risk: 'destructive', pattern: /--replicas[= ]0\b/, reason: 'scales to zero replicas' },
  { risk: 'destructive', pattern: /\brollout\s+restart\b/, reason: 'restarts every pod of a deployment' },
  {
    risk: 'destructive',
    pattern: /\bcreate\s+secret\b[\s\S]*\|\s*kubectl\s+apply\b|\bkubectl\s+(delete|replace)\s+secret\b/,
    reason: 'replaces a secret',
  },
  // Revoked keys cannot be brought back: every session ends (and with --revoke-api-tokens every token).
  { risk: 'destructive', pattern: /\bnexus\s+secrets\s+rotate\b[^|;&]*\s--revoke\b/, reason: 'revokes every signing key: all sessions end' },
  // A restore replaces every row of NEXUS's database with the backup's: everything since it is gone.
  { risk: 'destructive', pattern: /\bnexus\s+backup\s+restore\b/, reason: "replaces NEXUS's database with a backup" },
  { risk: 'destructive', pattern: /\brm\s+(-[a-zA-Z]*[rf][a-zA-Z]*\s+)+/, reason: 'rm -r/-f' },
  { risk: 'destructive', pattern: /\baws\s+s3\s+(rm|rb)\b/, reason: 'deletes from S3' },
  { risk: 'destructive', pattern: /\bhelm\s+(uninstall|delete)\b/, reason: 'helm uninstall' },
  { risk: 'destructive', pattern: /\b(mkfs(\.\w+)?|shutdown|reboot|halt|poweroff)\b/, reason: 'machine-level' },
  { risk: 'destructive', pattern: /\bpg_restore\b[^|;&]*--clean\b|\bdropdb\b/, reason: 'replaces a database' },
  { risk: 'destructive', pattern: /\bdd\s+[^|;&]*\bof=/, reason: 'dd writes a device or file' },

  { risk: 'change', pattern: /\bkubectl\b[^|;&]*\s(apply|patch|scale|create|edit|replace|annotate|label|cordon|uncordon|drain|taint)\b/, reason: 'kubectl write' },
  { risk: 'change', pattern: /\bkubectl\b[^|;&]*\sset\s+(image|env|resources)\b/, reason: 'kubectl set' },
  { risk: 'change', pattern: /\brollout\s+(undo|pause|resume)\b/, reason: 'changes a rollout' },
  { risk: 'change', pattern: /\b(INSERT\s+INTO|UPDATE\s+\w+\s+SET|ALTER\s+\w+|CREATE\s+(DATABASE|TABLE|INDEX|EXTENSION|ROLE|USER)|GRANT|REVOKE|VACUUM|(?<!istioctl\s+)ANALYZE|REINDEX|CLUSTER)\b/i, reason: 'SQL write or maintenance' },
  { risk: 'change', pattern: /\bCONFIG\s+SET\b|\bredis-cli\b[^|;&]*\s(SET|DEL|EXPIRE|HSET|LPUSH)\s/i, reason: 'Redis write' },
  { risk: 'change', pattern: /\bcurl\b[^|;&]*(-X\s*|--request\s+)(POST|PUT|PATCH|DELETE)\b/, reason: 'HTTP write' },
  { risk: 'change', pattern: /\baws\s+s3\s+(cp|mv|sync)\b/, reason: 'copies S3 objects' },
  { risk: 'change', pattern: /\b(docker|podman)\s+(pull|push|run|rm|stop|restart)\b/, reason: 'container change' },
  { risk: 'change', pattern: /\bsystemctl\s+(restart|stop|start|reload)\b|\bservice\s+\S+\s+(restart|stop|start)\b/, reason: 'service control' },
  { risk: 'change', pattern: /\b(apt-get|apt|yum|dnf)\s+(install|upgrade|remove)\b|\bnpm\s+(install|ci)\b/, reason: 'package install' },
  { risk: 'change', pattern: /\bpsql\b[^|;&]*\s-f\s/, reason: 'runs a SQL file' },
  { risk: 'change', pattern: /\bistioctl\s+(install|upgrade|x\s+uninstall)\b/, reason: 'istio change' },
  { risk: 'change', pattern: /\bnexus\s+(deploy|secrets\s+rotate)\b/, reason: 'nexus change' },
];

const ORDER: Record<RiskClass, number> = { read: 0, change: 1, destructive: 2 };

export interface RiskAssessment {
  risk: RiskClass;
  /** What the rules matched (empty for a plain read). */
  reasons: string[];
  /** The risk from rules alone, before any annotation. */
  detected: RiskClass;
  /** Each matched rule with its own class, so a caller can name only what made it destructive. */
  matches: Array<{ risk: Exclude<RiskClass, 'read'>; reason: string }>;
}

export interface RiskOptions {
  /**
   * An admin approved the runbook version: a `risk=` annotation may then
   * lower the class (they know `DELETE FROM tmp_x` is routine). Otherwise an
   * annotation only raises it: whoever can import a runbook must not be able
   * to take a destructive command out of the approval gate.
   */
  annotationsMayLower?: boolean;
}

export function classifyRisk(text: string, annotations: CommandAnnotations = {}, options: RiskOptions = {}): RiskAssessment {
  let detected: RiskClass = 'read';
  const matches: RiskAssessment['matches'] = [];
  for (const rule of RULES) {
    if (!rule.pattern.test(text)) continue;
    matches.push({ risk: rule.risk, reason: rule.reason });
    if (ORDER[rule.risk] > ORDER[detected]) detected = rule.risk;
  }
  const annotated = annotations.risk;
  const risk = annotated === undefined ? detected : options.annotationsMayLower || ORDER[annotated] > ORDER[detected] ? annotated : detected;
  return { risk, reasons: matches.map((m) => m.reason), detected, matches };
}

export function riskAtLeast(actual: RiskClass, floor: RiskClass): boolean {
  return ORDER[actual] >= ORDER[floor];
}
