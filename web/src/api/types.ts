import type { paths } from './schema.js';

/**
 * Named entity types, read out of the generated `paths` so they follow the
 * server's schemas. Add one here when a page needs it rather than spelling
 * the `paths[…]` expression in components.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type JsonBody<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Responses<P extends keyof paths, M extends Method> = paths[P][M] extends { responses: infer R } ? R : never;

/** The JSON body of a route's success (200 or 201) response. */
export type ResponseOf<P extends keyof paths, M extends Method> =
  Responses<P, M> extends { 200: infer R } ? JsonBody<R> : Responses<P, M> extends { 201: infer R } ? JsonBody<R> : never;

/** The JSON body a route accepts. */
export type RequestBodyOf<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

/** The query parameters a route accepts. */
export type QueryOf<P extends keyof paths, M extends Method> = paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type Me = ResponseOf<'/api/v1/me', 'get'>;
export type User = Me['user'];
export type Role = User['role'];
export type LoginResponse = ResponseOf<'/api/v1/auth/login', 'post'>;

export type Incident = ResponseOf<'/api/v1/incidents/{id}', 'patch'>;
/** One incident as its page reads it: with the deployments of its service around it. */
export type IncidentDetail = ResponseOf<'/api/v1/incidents/{id}', 'get'>;
export type Severity = Incident['severity'];
export type IncidentState = Incident['state'];
export type IncidentListItem = ResponseOf<'/api/v1/incidents', 'get'>['items'][number];
export type IncidentListQuery = QueryOf<'/api/v1/incidents', 'get'>;
export type SlaOutcome = Incident['sla']['response'];
export type PostmortemSummary = ResponseOf<'/api/v1/postmortems', 'get'>['items'][number];
export type TimelineEvent = ResponseOf<'/api/v1/incidents/{id}/timeline', 'get'>['items'][number];

export type Alert = ResponseOf<'/api/v1/alerts', 'get'>['items'][number];
export type RunSummary = ResponseOf<'/api/v1/runs', 'get'>['items'][number];
export type Run = ResponseOf<'/api/v1/runs/{id}', 'get'>;
export type RunStep = Run['steps'][number];
export type RunStatus = RunSummary['status'];
export type RunCheck = Run['checks'][number];
export type StepState = RunStep['state'];
export type RiskClass = RunStep['risk'];
export type StepOutput = ResponseOf<'/api/v1/runs/{id}/steps/{step}/output', 'get'>;
export type Postmortem = ResponseOf<'/api/v1/incidents/{id}/postmortem', 'get'>;
export type RunbookDetail = ResponseOf<'/api/v1/runbooks/{id}', 'get'>;
export type Procedure = RunbookDetail['parsed']['procedures'][number];

export type Schedule = ResponseOf<'/api/v1/schedules', 'get'>['items'][number];
export type ScheduleRun = ResponseOf<'/api/v1/schedules/{id}/runs', 'get'>['items'][number];
export type BackupSummary = ResponseOf<'/api/v1/backups', 'get'>['items'][number];
export type DeploymentSummary = ResponseOf<'/api/v1/deployments', 'get'>['items'][number];
export type DeploymentDetail = ResponseOf<'/api/v1/deployments/{id}', 'get'>;
export type DeploymentState = DeploymentSummary['state'];
export type DeploymentMeasurement = DeploymentDetail['measurements'][number];
export type DeploymentEvent = DeploymentDetail['timeline'][number];
