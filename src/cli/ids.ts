import { InvalidArgumentError } from 'commander';
import { isUuid } from '../platform/uuid.js';
import type { NexusClient } from './client.js';
import { CliError, EXIT, UsageError, cell } from './output.js';

/*
 * Ids as git takes commit hashes: a full UUID, or a unique prefix of one
 * (`5f0c1a2b`), found by walking the list the API already serves. A full
 * UUID goes straight to the server, so the common scripted case costs no
 * extra request.
 */

/** Fewer would match half the list on a busy installation; git's own minimum is 4 too. */
export const MIN_PREFIX = 4;
/** Enough candidates to pick from; more is noise in a terminal. */
const MAX_CANDIDATES = 10;

const HEX = /^[0-9a-f]+$/;

const compact = (id: string) => id.toLowerCase().replace(/-/g, '');

/** With or without the dashes: `5f0c1a2b3c` and `5f0c1a2b-3c` name the same id. */
export const idStartsWith = (id: string, prefix: string) => compact(id).startsWith(compact(prefix));

/** True for a full UUID or something that can only be the start of one: hex digits and the dashes between them. */
export function isIdOrPrefix(value: string): boolean {
  if (isUuid(value)) return true;
  const hex = compact(value);
  return hex.length >= MIN_PREFIX && hex.length < 32 && HEX.test(hex) && /^[0-9a-f]/i.test(value) && !/--/.test(value);
}

/** A commander argParser: the shape is checked before any request. */
export function idArgument(kind: string): (value: string) => string {
  return (value) => {
    if (!isIdOrPrefix(value)) {
      throw new InvalidArgumentError(`must be ${article(kind)} ${kind} id, or a unique prefix of one (at least ${MIN_PREFIX} hex digits)`);
    }
    return value.toLowerCase();
  };
}

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

export interface Candidate {
  id: string;
  /** One line that tells candidates apart: a title, a name, a state. */
  label: string;
}

/** The one item of `candidates` whose id starts with `prefix`; exit 5 for none, 2 (listing them) for several. */
export async function matchPrefix(kind: string, prefix: string, candidates: AsyncIterable<Candidate> | Iterable<Candidate>): Promise<string> {
  const matches: Candidate[] = [];
  for await (const candidate of candidates) if (idStartsWith(candidate.id, prefix)) matches.push(candidate);
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length === 0) throw new CliError(`no ${kind} id starts with ${prefix}`, EXIT.notFound);
  const shown = matches.slice(0, MAX_CANDIDATES).map((m) => `  ${m.id}  ${cell(m.label)}`);
  if (matches.length > MAX_CANDIDATES) shown.push(`  … and ${matches.length - MAX_CANDIDATES} more`);
  throw new UsageError(`${prefix} is the start of ${matches.length} ${kind} ids:\n${shown.join('\n')}`, 'give more of the id');
}

/** A full id as is; a prefix resolved against every item `list` yields. */
export async function resolveId(kind: string, ref: string, list: () => AsyncIterable<Candidate>): Promise<string> {
  if (isUuid(ref)) return ref.toLowerCase();
  return matchPrefix(kind, ref, list());
}

async function* mapped<T>(items: AsyncIterable<T>, toCandidate: (item: T) => Candidate): AsyncGenerator<Candidate> {
  for await (const item of items) yield toCandidate(item);
}

type Paged<T> = { items: T[]; next: string | null };

/** The resolvers by kind, each walking the list API that kind has. */
export function ids(client: NexusClient) {
  const walk = <T>(path: string, query: Record<string, string> = {}) =>
    client.paginate((page) => client.request<Paged<T>>('GET', path, { query: { ...query, ...page } }));
  return {
    incident: (ref: string) =>
      resolveId('incident', ref, () =>
        mapped(walk<{ id: string; severity: string; state: string; title: string }>('/api/v1/incidents'), (i) => ({
          id: i.id,
          label: `${i.severity} ${i.state} ${i.title}`,
        })),
      ),
    run: (ref: string) =>
      resolveId('run', ref, () =>
        mapped(walk<{ id: string; status: string; procedureTitle: string }>('/api/v1/runs'), (r) => ({ id: r.id, label: `${r.status} ${r.procedureTitle}` })),
      ),
    deployment: (ref: string) =>
      resolveId('deployment', ref, () =>
        mapped(walk<{ id: string; service: string; version: string; state: string }>('/api/v1/deployments'), (d) => ({ id: d.id, label: `${d.service} ${d.version} ${d.state}` })),
      ),
    runner: (ref: string) => resolveId('runner', ref, () => mapped(client.paginate((page) => client.listRunners(page)), (r) => ({ id: r.id, label: `${r.name} ${r.state}` }))),
    schedule: (ref: string) =>
      resolveId('schedule', ref, () => mapped(walk<{ id: string; name: string; enabled: boolean }>('/api/v1/schedules'), (s) => ({ id: s.id, label: `${s.name} ${s.enabled ? 'enabled' : 'disabled'}` }))),
    token: (ref: string) => resolveId('API token', ref, () => tokenCandidates(client)),
  };
}

/** The tokens the caller may revoke: an admin anyone's, others their own. */
async function* tokenCandidates(client: NexusClient): AsyncGenerator<Candidate> {
  // The role this credential acts with, which may be below its owner's.
  const scope = (await client.me()).role === 'admin' ? 'all' : 'mine';
  for await (const token of client.paginate((page) => client.listTokens({ ...page, scope }))) yield { id: token.id, label: `${token.name} ${token.prefix}…` };
}
