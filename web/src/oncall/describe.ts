import type { ResponseOf } from '../api/types.js';

export type Contact = ResponseOf<'/api/v1/contacts', 'get'>['items'][number];
export type Rotation = ResponseOf<'/api/v1/rotations', 'get'>['items'][number];
export type Override = Rotation['overrides'][number];
export type OnCall = ResponseOf<'/api/v1/rotations/{id}/oncall', 'get'>;
export type EscalationPolicy = ResponseOf<'/api/v1/escalation-policies', 'get'>['items'][number];
export type EscalationLevel = EscalationPolicy['levels'][number];
export type PolicyTarget = EscalationLevel['targets'][number];
export type LevelDelay = EscalationLevel['delay'];
export type Channel = ResponseOf<'/api/v1/channels', 'get'>['items'][number];
export type Delivery = ResponseOf<'/api/v1/notifications', 'get'>['items'][number];
export type Weekday = Rotation['handoffWeekday'];

export const WEEKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
export const RESPONSE_TIME = 'response-time';

/** "at once", "after 15 min", "after 2 h", "at the incident's response time". */
export function describeDelay(delay: LevelDelay): string {
  if (delay === RESPONSE_TIME) return "at the incident's response time";
  if (delay === 0) return 'at once';
  if (delay % 1440 === 0) return `after ${delay / 1440} d`;
  if (delay % 60 === 0) return `after ${delay / 60} h`;
  if (delay > 60) return `after ${Math.floor(delay / 60)} h ${delay % 60} min`;
  return `after ${delay} min`;
}

/** The form's text for a delay ("15", "response-time") back to what the API takes, or null when it is neither. */
export function parseDelay(text: string): LevelDelay | null {
  const trimmed = text.trim();
  if (trimmed === RESPONSE_TIME) return RESPONSE_TIME;
  if (!/^\d+$/.test(trimmed)) return null;
  const minutes = Number(trimmed);
  return minutes <= 10_080 ? minutes : null;
}

/** Names for the ids a policy's targets carry. */
export interface Directory {
  contacts: ReadonlyMap<string, string>;
  rotations: ReadonlyMap<string, string>;
  /** Only admins may list channels; others see "a channel". */
  channels: ReadonlyMap<string, string> | null;
}

export function describeTarget(target: PolicyTarget, directory: Directory): string {
  const name =
    target.type === 'contact'
      ? directory.contacts.get(target.id)
      : target.type === 'rotation'
        ? directory.rotations.get(target.id)
        : directory.channels?.get(target.id);
  const who = name ? `${target.type} ${name}` : target.type === 'channel' && !directory.channels ? 'a channel' : `${target.type} (unknown: ${target.id.slice(0, 8)})`;
  return target.whenCategory ? `${who}, only for ${target.whenCategory} incidents` : who;
}

/** "Weekly, Monday 09:00 Europe/Berlin, from 2024-05-06". */
export function describeHandoff(rotation: Pick<Rotation, 'handoffWeekday' | 'handoffTime' | 'timezone' | 'startDate'>): string {
  const day = rotation.handoffWeekday.charAt(0).toUpperCase() + rotation.handoffWeekday.slice(1);
  return `Hands over ${day}s at ${rotation.handoffTime} (${rotation.timezone}), from ${rotation.startDate}`;
}

/** A contact's ways to be reached, for a one-line summary. */
export function contactMeans(contact: Pick<Contact, 'phone' | 'email' | 'slack'>): string {
  return [contact.phone, contact.email, contact.slack].filter(Boolean).join(' · ') || 'no phone, e-mail or Slack';
}
