import type { Logger } from '../../platform/logger.js';
import type { NotifyModule } from '../../notify/index.js';
import type { ScheduleRow, ScheduleRunRow, ScheduleStore } from './store.js';

export type OwnerNotify = Pick<NotifyModule, 'notify'> & { directory: Pick<NotifyModule['directory'], 'listContacts'> };

export interface OwnerNotifier {
  failed(schedule: ScheduleRow, run: ScheduleRunRow): Promise<void>;
}

const CONTACT_PAGE = 200;

/**
 * Tells a schedule's owner that a run failed, through the notify domain
 * (durable, retried, in the delivery log). Users and contacts are apart in
 * NEXUS: the owner's contact is the one with their e-mail address, or
 * failing that the one named like them. Whom it reached, or why nobody, is
 * written on the run.
 */
export function ownerNotifier(deps: { store: ScheduleStore; notify: OwnerNotify; logger: Logger; publicUrl?: string | undefined }): OwnerNotifier {
  return {
    async failed(schedule, run) {
      let outcome: string;
      try {
        const owner = await deps.store.owner(schedule.ownerId, true);
        const contact = owner ? await contactOf(deps.notify, owner) : null;
        if (!owner) outcome = 'Nobody was notified: the owner no longer exists';
        else if (!contact) outcome = `Nobody was notified: no contact has ${owner.username}'s e-mail address or name`;
        else {
          const result = await deps.notify.notify({
            key: `schedule-run:${run.id}:failed`,
            subject: `Scheduled run failed: ${schedule.name}`.slice(0, 200),
            text: [`The ${run.trigger} run of schedule "${schedule.name}" failed.`, run.summary ?? '', run.runbookRunId ? `Runbook run: ${run.runbookRunId}` : ''].filter(Boolean).join('\n'),
            targets: [{ type: 'contact', id: contact.id }],
            ...(deps.publicUrl ? { link: new URL('/schedules', deps.publicUrl).href } : {}),
          });
          outcome = `Notified ${contact.name} (${owner.username}), notification ${result.notificationId}`;
        }
      } catch (error) {
        deps.logger.warn({ err: error, runId: run.id }, 'could not notify the owner of a failed schedule run');
        outcome = `Notifying the owner failed: ${(error as Error).message}`;
      }
      await deps.store.setNotification(run.id, outcome.slice(0, 500));
    },
  };
}

async function contactOf(notify: OwnerNotify, owner: { username: string; email: string | null; displayName: string | null }) {
  const email = owner.email?.toLowerCase();
  const names = new Set([owner.username.toLowerCase(), owner.displayName?.toLowerCase()].filter((n): n is string => !!n));
  let byName: { id: string; name: string } | null = null;
  let after: [string, string] | null = null;
  for (;;) {
    const page = await notify.directory.listContacts(CONTACT_PAGE, after);
    for (const contact of page.slice(0, CONTACT_PAGE)) {
      if (email && contact.email?.toLowerCase() === email) return contact;
      if (!byName && names.has(contact.name.toLowerCase())) byName = contact;
    }
    const last = page[CONTACT_PAGE - 1];
    if (page.length <= CONTACT_PAGE || !last) return byName;
    after = [last.name, last.id];
  }
}
