import { systemClock, type Clock } from '../platform/clock.js';
import { ConflictError, InputError, NotFoundError } from '../platform/errors.js';
import { planLevels, policyProblems, targetsOf, type PlanInput, type PlanLevel, type TargetRef } from './escalation.js';
import { isTimeZone, onCallShift, onCallShiftUntilTakeover, type Shift, type WeeklySchedule } from './oncall.js';
import {
  WEEKDAYS,
  type CreateOverrideBody,
  type CreatePolicyBody,
  type CreateRotationBody,
  type EscalationPolicy,
  type OnCall,
  type Override,
  type Rotation,
  type UpdatePolicyBody,
  type UpdateRotationBody,
} from './oncall-schema.js';
import type { OverrideWithContact, RotationRow, RotationStore, RotationWithMembers } from './rotation-store.js';
import { toContact } from './service.js';
import type { ContactRow, DirectoryStore, NewPolicy, PolicyRow } from './store.js';

/** Longer than this is a reassignment, not an override; edit the rotation instead. */
const MAX_OVERRIDE_MS = 366 * 24 * 3600_000;

function toOverride({ override, contact }: OverrideWithContact): Override {
  return {
    id: override.id,
    rotationId: override.rotationId,
    contact,
    startsAt: override.startsAt.toISOString(),
    endsAt: override.endsAt.toISOString(),
    reason: override.reason,
    createdBy: override.createdBy,
    createdAt: override.createdAt.toISOString(),
  };
}

function toRotation({ rotation, members }: RotationWithMembers, overrides: OverrideWithContact[]): Rotation {
  return {
    id: rotation.id,
    name: rotation.name,
    members,
    handoffWeekday: WEEKDAYS[rotation.handoffWeekday - 1]!,
    handoffTime: rotation.handoffTime,
    timezone: rotation.timezone,
    startDate: rotation.startDate,
    overrides: overrides.map(toOverride),
    createdAt: rotation.createdAt.toISOString(),
    updatedAt: rotation.updatedAt.toISOString(),
  };
}

export function toPolicy(row: PolicyRow): EscalationPolicy {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    levels: row.levels,
    always: row.always,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The last instant with an ISO 8601 form that the database takes as a parameter. */
const LAST_STORABLE = new Date('9999-12-31T23:59:59.999Z');

function scheduleOf({ rotation, members }: RotationWithMembers): WeeklySchedule {
  return {
    memberIds: members.map((m) => m.id),
    handoffWeekday: rotation.handoffWeekday,
    handoffTime: rotation.handoffTime,
    timezone: rotation.timezone,
    startDate: rotation.startDate,
  };
}

export interface OnCallNow {
  rotation: RotationRow;
  contact: ContactRow | null;
  shift: Shift | null;
}

/** Rotations, overrides and escalation policies: who is on call, who gets paged at level N. */
export class OnCallService {
  constructor(
    private readonly directory: DirectoryStore,
    private readonly rotations: RotationStore,
    private readonly clock: Clock = systemClock,
  ) {}

  async listRotations(limit: number, after: [string, string] | null): Promise<Rotation[]> {
    const rows = await this.rotations.list(limit, after);
    const now = this.clock();
    return Promise.all(rows.map(async (row) => toRotation(row, await this.rotations.currentOverrides(row.rotation.id, now))));
  }

  async getRotation(id: string): Promise<Rotation> {
    const row = await this.rotations.get(id);
    if (!row) throw new NotFoundError('rotation', id);
    return toRotation(row, await this.rotations.currentOverrides(id, this.clock()));
  }

  async createRotation(body: CreateRotationBody): Promise<Rotation> {
    await this.checkRotation(body.timezone, body.members);
    const row = await this.rotations.insert(
      {
        name: body.name.trim(),
        handoffWeekday: WEEKDAYS.indexOf(body.handoffWeekday) + 1,
        handoffTime: body.handoffTime,
        timezone: body.timezone,
        startDate: body.startDate,
      },
      body.members,
    );
    return this.getRotation(row.id);
  }

  async updateRotation(id: string, body: UpdateRotationBody): Promise<Rotation> {
    const { members, handoffWeekday, name, ...rest } = body;
    await this.checkRotation(body.timezone, members);
    const patch = {
      ...rest,
      ...(name !== undefined ? { name: name.trim() } : {}),
      ...(handoffWeekday !== undefined ? { handoffWeekday: WEEKDAYS.indexOf(handoffWeekday) + 1 } : {}),
    };
    if (!(await this.rotations.update(id, patch, members))) throw new NotFoundError('rotation', id);
    return this.getRotation(id);
  }

  async addOverride(actor: string, rotationId: string, body: CreateOverrideBody): Promise<Override> {
    const startsAt = new Date(body.startsAt);
    const endsAt = new Date(body.endsAt);
    if (!(endsAt > startsAt)) throw new InputError('body/endsAt must be after body/startsAt');
    if (endsAt.getTime() - startsAt.getTime() > MAX_OVERRIDE_MS) throw new InputError('body/endsAt: an override lasts at most a year');
    if (!(await this.rotations.get(rotationId))) throw new NotFoundError('rotation', rotationId);
    const contact = await this.directory.contact(body.contactId);
    if (!contact) throw new InputError(`body/contactId: contact ${body.contactId} does not exist`);
    const row = await this.rotations.insertOverride({ rotationId, contactId: contact.id, startsAt, endsAt, reason: body.reason ?? null, createdBy: actor });
    return toOverride({ override: row, contact: { id: contact.id, name: contact.name } });
  }

  /** Who is on call for the rotation at `at` (an override if one covers it, else the weekly schedule). */
  async onCallAt(rotationId: string, at: Date): Promise<OnCallNow> {
    const row = await this.rotations.get(rotationId);
    if (!row) throw new NotFoundError('rotation', rotationId);
    const overrides = await this.rotations.overridesAt(rotationId, at);
    const shift = onCallShift(scheduleOf(row), overrides, at);
    const contact = shift ? await this.directory.contact(shift.contactId) : null;
    return { rotation: row.rotation, contact, shift };
  }

  async onCallView(rotationId: string, at: Date | undefined): Promise<OnCall> {
    const when = at ?? this.clock();
    const row = await this.rotations.get(rotationId);
    if (!row) throw new NotFoundError('rotation', rotationId);
    // "Until" is when someone else takes over, which an override starting sooner than the handoff brings forward:
    // the overrides read are every one from `when` on, not only those active then.
    const shift = onCallShiftUntilTakeover(scheduleOf(row), await this.rotations.overridesDuring(rotationId, when, LAST_STORABLE), when);
    const contact = shift ? await this.directory.contact(shift.contactId) : null;
    return {
      rotationId,
      at: when.toISOString(),
      contact: contact ? toContact(contact) : null,
      source: shift?.source ?? null,
      from: shift ? shift.from.toISOString() : null,
      // A shift ending after year 9999 has no ISO 8601 form (toISOString gives "+010000-…"): open-ended.
      until: shift && shift.until.getUTCFullYear() <= 9999 ? shift.until.toISOString() : null,
    };
  }

  /** For routing rules, which name their policy. */
  async policyIdByName(name: string): Promise<string | null> {
    return (await this.directory.policyByName(name))?.id ?? null;
  }

  async listPolicies(limit: number, after: [string, string] | null): Promise<PolicyRow[]> {
    return this.directory.listPolicies(limit, after);
  }

  async getPolicy(id: string): Promise<EscalationPolicy> {
    const row = await this.directory.policy(id);
    if (!row) throw new NotFoundError('escalation policy', id);
    return toPolicy(row);
  }

  async createPolicy(body: CreatePolicyBody): Promise<EscalationPolicy> {
    const policy: NewPolicy = { name: body.name.trim(), description: body.description ?? null, levels: body.levels, always: body.always ?? [] };
    await this.checkPolicy(policy);
    if (await this.directory.policyByName(policy.name)) throw new ConflictError(`An escalation policy named "${policy.name}" already exists`);
    return toPolicy(await this.directory.insertPolicy(policy));
  }

  async updatePolicy(id: string, body: UpdatePolicyBody): Promise<EscalationPolicy> {
    const current = await this.directory.policy(id);
    if (!current) throw new NotFoundError('escalation policy', id);
    const patch: Partial<NewPolicy> = { ...body, ...(body.name !== undefined ? { name: body.name.trim() } : {}) };
    await this.checkPolicy({ ...current, ...patch });
    if (patch.name && patch.name !== current.name && (await this.directory.policyByName(patch.name))) {
      throw new ConflictError(`An escalation policy named "${patch.name}" already exists`);
    }
    const row = await this.directory.updatePolicy(id, patch);
    if (!row) throw new NotFoundError('escalation policy', id);
    return toPolicy(row);
  }

  /**
   * Who is paged when: the levels of the policy for an incident of this
   * category and response time, with target names. The incidents domain
   * schedules level N at `afterMinutes` and stops when acknowledged.
   */
  async planEscalation(policyId: string, input: PlanInput): Promise<PlanLevel[]> {
    if (!Number.isFinite(input.responseMinutes) || input.responseMinutes < 0) {
      throw new InputError('responseMinutes must be a non-negative number');
    }
    const policy = await this.directory.policy(policyId);
    if (!policy) throw new NotFoundError('escalation policy', policyId);
    const names = await this.namesOf(targetsOf(policy));
    return planLevels(policy, input, (t) => names.get(`${t.type}:${t.id}`) ?? `(deleted ${t.type})`);
  }

  private async checkRotation(timezone: string | undefined, members: string[] | undefined): Promise<void> {
    if (timezone !== undefined && !isTimeZone(timezone)) {
      throw new InputError(`body/timezone "${timezone}" is not an IANA time zone this server knows (e.g. Europe/Berlin, UTC)`);
    }
    if (members) {
      const found = new Set((await this.directory.contactsByIds([...new Set(members)])).map((c) => c.id));
      const missing = members.filter((id) => !found.has(id));
      if (missing.length) throw new InputError('body/members: some contacts do not exist', { missing });
    }
  }

  private async checkPolicy(policy: Pick<NewPolicy, 'levels' | 'always'>): Promise<void> {
    const problems = policyProblems(policy);
    if (problems.length) throw new InputError(`body/${problems[0]}`, { problems });
    const targets = targetsOf(policy);
    const names = await this.namesOf(targets);
    const missing = targets.filter((t) => !names.has(`${t.type}:${t.id}`)).map((t) => `${t.type}:${t.id}`);
    if (missing.length) throw new InputError(`body: targets that do not exist: ${missing.join(', ')}`, { missing });
  }

  private async namesOf(targets: TargetRef[]): Promise<Map<string, string>> {
    const ids = (type: TargetRef['type']) => targets.filter((t) => t.type === type).map((t) => t.id);
    const [contacts, channels, rotations] = await Promise.all([
      this.directory.contactsByIds(ids('contact')),
      this.directory.channelsByIds(ids('channel')),
      Promise.all(ids('rotation').map((id) => this.rotations.get(id))),
    ]);
    const names = new Map<string, string>();
    for (const c of contacts) names.set(`contact:${c.id}`, c.name);
    for (const c of channels) names.set(`channel:${c.id}`, c.name);
    for (const r of rotations) if (r) names.set(`rotation:${r.rotation.id}`, r.rotation.name);
    return names;
  }
}
