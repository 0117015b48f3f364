import { Anchor, Badge, Table, Text } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import type { PostmortemSummary } from '../api/types.js';
import { formatDateTime } from '../common/format.js';
import { ListPanel } from '../common/ListPanel.js';
import { ScrollTable } from '../common/ScrollTable.js';
import { SegmentedField } from '../common/SegmentedField.js';
import { PageHeader } from '../shell/PageHeader.js';
import { STATE_COLOR } from './lifecycle.js';
import { usePostmortemList } from './queries.js';
import { SEVERITY_COLOR } from './severity.js';

type StatusFilter = 'all' | PostmortemSummary['status'];
const STATUS_OPTIONS: ReadonlyArray<{ value: StatusFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'draft', label: 'Drafts' },
  { value: 'edited', label: 'Edited' },
];

function PostmortemRow({ postmortem }: { postmortem: PostmortemSummary }) {
  const edited = postmortem.status === 'edited';
  return (
    <Table.Tr data-testid="postmortem-row" data-incident-id={postmortem.incidentId} data-status={postmortem.status}>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>
        <Anchor component={Link} to={`/incidents/${postmortem.incidentId}?tab=postmortem`} size="sm" fw={600}>
          {postmortem.title}
        </Anchor>
        {postmortem.service && (
          <Text size="xs" c="dimmed">
            {postmortem.service}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Badge color={SEVERITY_COLOR[postmortem.severity]} variant="light" size="sm">
          {postmortem.severity}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Badge color={edited ? 'blue' : 'gray'} variant="light" size="sm">
          {edited ? `version ${postmortem.version}` : 'draft'}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{edited && postmortem.updatedAt ? `${formatDateTime(postmortem.updatedAt)} by ${postmortem.editedBy ?? 'unknown'}` : 'never edited'}</Text>
      </Table.Td>
      <Table.Td>
        <Badge color={STATE_COLOR[postmortem.state]} variant="light" size="sm">
          {postmortem.state}
        </Badge>
        {postmortem.resolvedAt && (
          <Text size="xs" c="dimmed">
            resolved {formatDateTime(postmortem.resolvedAt)}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** `/postmortems`: every resolved incident's post-mortem, and any edited one, most recently changed first. */
export function PostmortemsPage() {
  const [search, setSearch] = useSearchParams();
  const asked = search.get('status');
  const status: StatusFilter = asked === 'draft' || asked === 'edited' ? asked : 'all';
  const list = usePostmortemList(status === 'all' ? undefined : status);
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader title="Post-mortems" description="What each resolved incident taught, drafted from its timeline" />
      <ListPanel
        title="Post-mortems"
        testId="postmortem-list"
        query={list}
        count={items.length}
        noun="the post-mortems"
        controls={
          <SegmentedField
            label="Show"
            value={status}
            data={STATUS_OPTIONS}
            onChange={(next) => setSearch(next === 'all' ? new URLSearchParams() : new URLSearchParams({ status: next }), { replace: true })}
          />
        }
        note="A draft is generated from the incident's timeline until someone saves an edit; each edit is a new version."
        emptyText={status === 'all' ? 'No incident has been resolved yet.' : `No ${status === 'draft' ? 'draft' : 'edited post-mortem'}.`}
        skeletonHeight={120}
      >
        {items.length > 0 && (
          <ScrollTable label="Post-mortems" minWidth={820} columns={['Incident', 'Severity', 'Post-mortem', 'Last edit', 'Incident state']}>
            {items.map((postmortem) => (
              <PostmortemRow key={postmortem.incidentId} postmortem={postmortem} />
            ))}
          </ScrollTable>
        )}
      </ListPanel>
    </>
  );
}
