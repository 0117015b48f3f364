import type { EscalationLevel, PolicyTarget } from './oncall-schema.js';
import type { ContactRow, DirectoryStore, NewContact, PolicyRow } from './store.js';

export const DEFAULT_POLICY_NAME = 'default';
export const DEFAULT_SLACK_CHANNEL = '#nexus-platform-alerts';
/** Any fixed number distinct from other advisory lock keys (the migration lock is 7_303_451_001). */
const DEFAULTS_LOCK_KEY = 7_303_451_005;

/** The seed runbook's "Contact Information", verbatim. */
export const SEED_CONTACTS = {
  onCall: { name: 'On-Call Engineer', phone: '+1-555-0123' },
  manager: { name: 'Escalation Manager', phone: '+1-555-0124' },
  security: { name: 'Security Team', email: 'security@nexusplatform.com', team: 'security' },
} satisfies Record<string, NewContact>;

async function contactNamed(store: DirectoryStore, contact: NewContact): Promise<ContactRow> {
  return (await store.contactByName(contact.name)) ?? store.insertContact(contact);
}

/**
 * The default escalation policy from the seed: the on-call engineer at
 * trigger, the escalation manager at the incident's response time, the
 * security team at trigger for security incidents, the Slack channel always.
 *
 * Created once: the policy's existence is the marker, so an admin's later
 * edits (or a contact renamed) are never undone by a restart. Replicas
 * starting together serialise on an advisory lock. Returns the policy when
 * this call created it, null when it already existed.
 */
export async function createDefaultPolicy(store: DirectoryStore): Promise<PolicyRow | null> {
  return store.transaction(async (tx) => {
    await tx.lock(DEFAULTS_LOCK_KEY);
    if (await tx.policyByName(DEFAULT_POLICY_NAME)) return null;
    const onCall = await contactNamed(tx, SEED_CONTACTS.onCall);
    const manager = await contactNamed(tx, SEED_CONTACTS.manager);
    const security = await contactNamed(tx, SEED_CONTACTS.security);
    // No URL of its own: it posts to NEXUS_SLACK_WEBHOOK_URL, and is skipped as "not configured" without one.
    const slack = (await tx.channelByName(DEFAULT_SLACK_CHANNEL)) ?? (await tx.insertChannel({ name: DEFAULT_SLACK_CHANNEL, kind: 'slack' }));
    const levels: EscalationLevel[] = [
      {
        delay: 0,
        targets: [
          { type: 'contact', id: onCall.id },
          { type: 'contact', id: security.id, whenCategory: 'security' },
        ],
      },
      { delay: 'response-time', targets: [{ type: 'contact', id: manager.id }] },
    ];
    const always: PolicyTarget[] = [{ type: 'channel', id: slack.id }];
    return tx.insertPolicy({
      name: DEFAULT_POLICY_NAME,
      description: "From the runbook's Contact Information: on-call engineer, escalation manager after the response time, security team for security incidents, Slack always.",
      levels,
      always,
    });
  });
}
