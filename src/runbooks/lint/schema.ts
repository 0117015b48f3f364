import { Type, type Static } from 'typebox';

export const FindingSchema = Type.Object(
  {
    rule: Type.String({ description: 'Stable kebab-case rule id, e.g. curl-url-unquoted' }),
    severity: Type.Union([Type.Literal('error'), Type.Literal('warning'), Type.Literal('info')]),
    line: Type.Integer({ minimum: 0, description: '1-based line in the Markdown source' }),
    message: Type.String(),
    hint: Type.String({ description: 'How to fix it, often the corrected command' }),
    procedureId: Type.Optional(Type.String()),
    commandId: Type.Optional(Type.String()),
  },
  { $id: 'LintFinding' },
);
export type Finding = Static<typeof FindingSchema>;
export type Severity = Finding['severity'];

/**
 * Which live checks ran: a clean report means little if the SQL was never
 * checked. `syntax-only`: the caller's role sees what the SQL parser rejects,
 * not what exists in the database.
 */
export const LiveChecksSchema = Type.Object({
  sql: Type.Union([Type.Literal('checked'), Type.Literal('syntax-only'), Type.Literal('skipped'), Type.Literal('failed'), Type.Literal('nothing-to-check')]),
  promql: Type.Union([Type.Literal('checked'), Type.Literal('skipped'), Type.Literal('failed'), Type.Literal('nothing-to-check')]),
});
export type LiveChecks = Static<typeof LiveChecksSchema>;
export type LiveCheckState = LiveChecks['sql'];

export const LintReportSchema = Type.Object(
  {
    findings: Type.Array(FindingSchema),
    summary: Type.Object({ errors: Type.Integer(), warnings: Type.Integer(), infos: Type.Integer() }),
    checks: LiveChecksSchema,
  },
  { $id: 'LintReport' },
);
export type LintReport = Static<typeof LintReportSchema>;
