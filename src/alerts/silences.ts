import type { Clock } from '../platform/clock.js';
import { InputError, NotFoundError } from '../platform/errors.js';
import { validateMatchers } from './matchers.js';
import type { CreateSilenceBody, Matcher, Silence } from './schema.js';
import type { AlertStore, SilenceRow } from './store.js';

export function toSilence(row: SilenceRow, now: Date): Silence {
  return {
    id: row.id,
    kind: row.kind as Silence['kind'],
    matchers: row.matchers as Matcher[],
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    comment: row.comment,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    active: row.startsAt <= now && now < row.endsAt,
  };
}

/** Silences and maintenance windows: an active one that matches stores the alert but pages nobody. */
export class SilenceService {
  constructor(
    private readonly store: AlertStore,
    private readonly clock: Clock,
    /** Told after every change, so cached copies of the silences are dropped. */
    private readonly changed: () => void = () => {},
  ) {}

  async create(actor: string, body: CreateSilenceBody): Promise<Silence> {
    validateMatchers(body.matchers, 'body/matchers');
    const now = this.clock();
    const startsAt = body.startsAt ? new Date(body.startsAt) : now;
    const endsAt = new Date(body.endsAt);
    if (endsAt <= startsAt) throw new InputError('body/endsAt must be after startsAt');
    if (endsAt <= now) throw new InputError('body/endsAt is in the past: the silence would never be active');
    const row = await this.store.insertSilence({
      kind: body.kind ?? 'silence',
      matchers: body.matchers,
      startsAt,
      endsAt,
      comment: body.comment,
      createdBy: actor,
    });
    this.changed();
    return toSilence(row, now);
  }

  async list(limit: number, active: boolean | undefined, before: [string, string] | null): Promise<SilenceRow[]> {
    return this.store.listSilences(limit, active ? this.clock() : null, before);
  }

  /** Ends it now; the row stays so alerts it silenced still name it. */
  async expire(id: string): Promise<void> {
    const row = await this.store.expireSilence(id, this.clock());
    if (!row) throw new NotFoundError('silence', id);
    this.changed();
  }

  now(): Date {
    return this.clock();
  }
}
