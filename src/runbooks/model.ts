/**
 * The parsed form of a Markdown runbook. The parser (parser.ts) produces it,
 * lint reads it, runs execute it, and the console renders it. Every node
 * keeps the 1-based line of the source it came from, so findings and run
 * output can point back at the Markdown people edit.
 *
 * Ids are stable slugs derived from titles and positions, so a re-imported
 * version of the same runbook keeps the ids of unchanged parts.
 */

export type RiskClass = 'read' | 'change' | 'destructive';

/** `$VAR`, `${VAR}` or `<name>`: a value the run asks for before it starts. */
export interface Placeholder {
  /** As written: `$S3_BUCKET`, `${S3_BUCKET}`, `<affected-pod>`. */
  raw: string;
  syntax: 'dollar' | 'braces' | 'angle';
  /** The environment variable a run passes the value in: `S3_BUCKET`, `AFFECTED_POD`. */
  param: string;
  line: number;
}

/** Optional per-command settings from `<!-- nexus: timeout=30s risk=read runner=k8s expect="ok" -->` or fence attributes. */
export interface CommandAnnotations {
  timeoutSeconds?: number;
  risk?: RiskClass;
  /** Runner label selector, `key=value[,key=value]`. */
  runner?: string;
  /** Text the output must contain for the command to count as succeeded. */
  expect?: string;
  /** Explicitly approved as destructive-with-approval (silences the lint rule). */
  approval?: boolean;
}

export interface Command {
  id: string;
  /** The shell text to run: one line, or `\`-continued lines joined exactly as written. */
  text: string;
  line: number;
  endLine: number;
  /** Fence info string: bash, sh, shell, console, zsh, … */
  language: string;
  /** The `# comment` line(s) directly above, without the `#`. */
  description: string | null;
  placeholders: Placeholder[];
  /** Variables this command defines for later commands (`BLUE_IP=$(…)`). */
  assigns: string[];
  annotations: CommandAnnotations;
}

export interface ManualCheck {
  id: string;
  text: string;
  line: number;
  /** `- [x]` in the source: already ticked in the template (rare). */
  checked: boolean;
}

export interface Prose {
  /** Markdown text of a paragraph, bullet list or other non-executable block. */
  markdown: string;
  line: number;
}

/** A numbered item with a bold title ("1. **Check Logs**"), or a heading/list item in other styles. */
export interface Step {
  id: string;
  /** The item's number in its list, when it has one. */
  number: number | null;
  title: string;
  line: number;
  commands: Command[];
  checks: ManualCheck[];
  prose: Prose[];
}

/** A `####` section: Immediate Actions, Resolution Steps, Rollback Procedure, … */
export interface Phase {
  id: string;
  title: string;
  line: number;
  /** True when the procedure had steps with no `####` above them. */
  implicit: boolean;
  steps: Step[];
  checks: ManualCheck[];
  prose: Prose[];
}

export interface Duration {
  /** As written: "15 minutes". */
  text: string;
  minutes: number;
}

export interface ProcedureMetadata {
  /** As written: "Critical", "High", "Medium". */
  severity: string | null;
  /** P1/P2/P3 from the title ("P1 - …") or the severity word. */
  priority: 'P1' | 'P2' | 'P3' | null;
  responseTime: Duration | null;
  resolutionTime: Duration | null;
  /** Any other `**Key**: value` lines and front-matter-like fields. */
  extra: Record<string, string>;
}

export interface Symptom {
  text: string;
  line: number;
}

/** A `###` section: "P1 - Critical Service Down", "Blue-Green Deployment", "Daily Tasks". */
export interface Procedure {
  id: string;
  title: string;
  line: number;
  /** Title of the `##` group it sits in. */
  group: string | null;
  metadata: ProcedureMetadata;
  symptoms: Symptom[];
  phases: Phase[];
  prose: Prose[];
}

export interface Contact {
  /** "On-Call Engineer", "Security Team", "Slack". */
  role: string;
  value: string;
  kind: 'phone' | 'email' | 'slack' | 'url' | 'other';
  line: number;
}

export interface Group {
  title: string;
  line: number;
  prose: Prose[];
  procedureIds: string[];
}

export interface ParsedRunbook {
  /** The `#` title, or front matter `title`, or null. */
  title: string | null;
  frontMatter: Record<string, unknown>;
  groups: Group[];
  procedures: Procedure[];
  contacts: Contact[];
  /** Number of lines in the source. */
  lineCount: number;
}

/** Every command of a procedure in order, with the step and phase it belongs to. */
export function commandsOf(procedure: Procedure): Array<{ phase: Phase; step: Step; command: Command }> {
  return procedure.phases.flatMap((phase) =>
    phase.steps.flatMap((step) => step.commands.map((command) => ({ phase, step, command }))),
  );
}
