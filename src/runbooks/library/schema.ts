import { Type, type Static, type TSchema } from 'typebox';
import { PageQuery, Timestamp } from '../../platform/http/schemas.js';
import type { ParsedRunbook } from '../model.js';

/*
 * The parsed model (../model.ts) as a schema, so the API documents it and
 * fast-json-stringify serialises exactly it. The type check at the bottom
 * fails the build if the two ever drift apart.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Line = Type.Integer({ minimum: 1, description: '1-based line in the Markdown source' });

const Placeholder = Type.Object({
  raw: Type.String(),
  syntax: Type.Union([Type.Literal('dollar'), Type.Literal('braces'), Type.Literal('angle')]),
  param: Type.String(),
  line: Line,
});

export const RiskClassSchema = Type.Union([Type.Literal('read'), Type.Literal('change'), Type.Literal('destructive')]);

const CommandAnnotations = Type.Object({
  timeoutSeconds: Type.Optional(Type.Number()),
  risk: Type.Optional(RiskClassSchema),
  runner: Type.Optional(Type.String()),
  expect: Type.Optional(Type.String()),
  approval: Type.Optional(Type.Boolean()),
});

const CommandSchema = Type.Object({
  id: Type.String(),
  text: Type.String(),
  line: Line,
  endLine: Line,
  language: Type.String(),
  description: Nullable(Type.String()),
  placeholders: Type.Array(Placeholder),
  assigns: Type.Array(Type.String()),
  annotations: CommandAnnotations,
});

const ManualCheck = Type.Object({ id: Type.String(), text: Type.String(), line: Line, checked: Type.Boolean() });
const Prose = Type.Object({ markdown: Type.String(), line: Line });

const StepSchema = Type.Object({
  id: Type.String(),
  number: Nullable(Type.Integer()),
  title: Type.String(),
  line: Line,
  commands: Type.Array(CommandSchema),
  checks: Type.Array(ManualCheck),
  prose: Type.Array(Prose),
});

const PhaseSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  line: Line,
  implicit: Type.Boolean(),
  steps: Type.Array(StepSchema),
  checks: Type.Array(ManualCheck),
  prose: Type.Array(Prose),
});

const Duration = Type.Object({ text: Type.String(), minutes: Type.Number() });

const ProcedureSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  line: Line,
  group: Nullable(Type.String()),
  metadata: Type.Object({
    severity: Nullable(Type.String()),
    priority: Nullable(Type.Union([Type.Literal('P1'), Type.Literal('P2'), Type.Literal('P3')])),
    responseTime: Nullable(Duration),
    resolutionTime: Nullable(Duration),
    extra: Type.Record(Type.String(), Type.String()),
  }),
  symptoms: Type.Array(Type.Object({ text: Type.String(), line: Line })),
  phases: Type.Array(PhaseSchema),
  prose: Type.Array(Prose),
});

const ContactSchema = Type.Object({
  role: Type.String(),
  value: Type.String(),
  kind: Type.Union([Type.Literal('phone'), Type.Literal('email'), Type.Literal('slack'), Type.Literal('url'), Type.Literal('other')]),
  line: Line,
});

export const ParsedRunbookSchema = Type.Object({
  title: Nullable(Type.String()),
  frontMatter: Type.Record(Type.String(), Type.Unknown()),
  groups: Type.Array(
    Type.Object({ title: Type.String(), line: Line, prose: Type.Array(Prose), procedureIds: Type.Array(Type.String()) }),
  ),
  procedures: Type.Array(ProcedureSchema),
  contacts: Type.Array(ContactSchema),
  lineCount: Type.Integer({ minimum: 0 }),
});

/** Lowercase letters, digits and inner dashes: `nexus-platform`. */
export const RunbookSlug = Type.String({ minLength: 1, maxLength: 80, pattern: '^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$' });

export const Runbook = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  title: Type.String(),
  latestVersion: Type.Integer({ minimum: 1 }),
  builtin: Type.Boolean({ description: 'shipped with NEXUS under runbooks/ and imported at start' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const NullableUuid = (description: string) => Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description });

export const RunbookVersion = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  checksum: Type.String({ description: 'SHA-256 of the Markdown source, hex' }),
  importedBy: Type.String({ description: "the importer's username, or system for the built-in library" }),
  importedById: NullableUuid("the importer's user id; null for the built-in library"),
  importedAt: Timestamp,
  approvedBy: NullableUuid('the admin who approved this version: only then may its risk= annotations lower a risk'),
  approvedAt: Type.Union([Timestamp, Type.Null()]),
});

export const RunbookStats = Type.Object({
  procedures: Type.Integer(),
  phases: Type.Integer(),
  steps: Type.Integer(),
  commands: Type.Integer(),
  checks: Type.Integer(),
  contacts: Type.Integer(),
});

/** The largest runbook accepted: far beyond any real one, small enough to parse in well under a second per MiB. */
export const MAX_RUNBOOK_SOURCE = 2 * 1024 * 1024;

export const ImportBody = Type.Object(
  {
    source: Type.String({ minLength: 1, maxLength: MAX_RUNBOOK_SOURCE, description: 'the Markdown runbook' }),
    slug: Type.Optional(RunbookSlug),
  },
  { additionalProperties: false },
);

export const ImportResponse = Type.Object({
  runbook: Runbook,
  version: RunbookVersion,
  /** False when the source was identical to the latest version (HTTP 200 instead of 201). */
  created: Type.Boolean(),
  stats: RunbookStats,
  copyOf: Type.Union([Type.String(), Type.Null()], {
    description: 'Set when the slug named a built-in runbook that only an admin may change: this import became a new runbook, the built-in is unchanged',
  }),
});


export const RunbookDetail = Type.Object({
  runbook: Runbook,
  version: RunbookVersion,
  stats: RunbookStats,
  parsed: ParsedRunbookSchema,
  source: Type.String(),
});

/** A runbook by id (UUID) or slug; anything else is a 400 before any lookup. */
export const RunbookRefParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9][A-Za-z0-9-]*$', description: 'a runbook id or slug' }) },
  { additionalProperties: false },
);

export const VersionParams = Type.Object(
  { ...RunbookRefParams.properties, version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) },
  { additionalProperties: false },
);

export const RunbookListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export const RunbookGetQuery = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'default: the latest' })) },
  { additionalProperties: false },
);

export type RunbookView = Static<typeof Runbook>;
export type RunbookVersionView = Static<typeof RunbookVersion>;
export type RunbookStatsView = Static<typeof RunbookStats>;
export type ImportResult = Static<typeof ImportResponse>;
export type RunbookDetailView = Static<typeof RunbookDetail>;

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
// Compile-time only: the schema describes ParsedRunbook exactly.
const schemaMatchesModel: Equal<Static<typeof ParsedRunbookSchema>, ParsedRunbook> = true;
void schemaMatchesModel;
