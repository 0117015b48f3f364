import { Tabs } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { hasRole } from '../session/roles.js';
import { useCurrentUser } from '../session/queries.js';
import { PageHeader } from '../shell/PageHeader.js';
import { ChannelsTab } from './ChannelsTab.js';
import { ContactsTab } from './ContactsTab.js';
import { DeliveriesTab } from './DeliveriesTab.js';
import { PoliciesTab } from './PoliciesTab.js';
import { useDirectory } from './queries.js';
import { RotationsTab } from './RotationsTab.js';

const TABS = ['rotations', 'policies', 'contacts', 'channels', 'deliveries'] as const;
type Tab = (typeof TABS)[number];

/**
 * `/oncall`: who is on call, who gets paged when, and what was sent. One
 * tab at a time (`?tab=` keeps it in the address); only the open tab loads.
 */
export function OncallPage() {
  const user = useCurrentUser();
  const isAdmin = user !== null && hasRole(user.role, 'admin');
  const isOperator = user !== null && hasRole(user.role, 'operator');
  const directory = useDirectory(isAdmin);
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab') as Tab | null;
  const tab: Tab = requested && TABS.includes(requested) && (requested !== 'channels' || isAdmin) ? requested : 'rotations';
  return (
    <>
      <PageHeader title="On-call" description="Rotations, escalation policies, contacts, channels and the delivery log" />
      <Tabs
        value={tab}
        onChange={(value) =>
          setParams(
            (current) => {
              const next = new URLSearchParams(current);
              next.set('tab', value ?? 'rotations');
              return next;
            },
            { replace: true },
          )
        }
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="rotations">Rotations</Tabs.Tab>
          <Tabs.Tab value="policies">Escalation policies</Tabs.Tab>
          <Tabs.Tab value="contacts">Contacts</Tabs.Tab>
          {isAdmin && <Tabs.Tab value="channels">Channels</Tabs.Tab>}
          <Tabs.Tab value="deliveries">Delivery log</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="rotations">
          <RotationsTab canEdit={isOperator} />
        </Tabs.Panel>
        <Tabs.Panel value="policies">
          <PoliciesTab canEdit={isOperator} directory={directory} />
        </Tabs.Panel>
        <Tabs.Panel value="contacts">
          <ContactsTab isAdmin={isAdmin} />
        </Tabs.Panel>
        {isAdmin && (
          <Tabs.Panel value="channels">
            <ChannelsTab />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="deliveries">
          <DeliveriesTab />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
