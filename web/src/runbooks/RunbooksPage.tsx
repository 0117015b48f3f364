import { Anchor, Badge, Button, Code, Group, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link } from 'react-router';
import { formatDateTime } from '../common/format.js';
import { ListPanel } from '../common/ListPanel.js';
import { ScrollTable } from '../common/ScrollTable.js';
import { hasRole } from '../session/roles.js';
import { useCurrentUser } from '../session/queries.js';
import { PageHeader } from '../shell/PageHeader.js';
import { ImportRunbookModal } from './ImportRunbookModal.js';
import { LintBadges } from './LintSummary.js';
import type { RunbookSummary } from './model.js';
import { useLint, useRunbook, useRunbookPages } from './queries.js';


/** The latest version's lint counts; each row lints on its own, so one slow runbook does not hold the table. */
function LintCell({ slug }: { slug: string }) {
  const detail = useRunbook(slug);
  const lint = useLint(detail.data);
  if (detail.isError || lint.isError) {
    return (
      <Text size="sm" c="dimmed">
        not checked: {(detail.error ?? lint.error)?.message}
      </Text>
    );
  }
  if (!lint.data) {
    return (
      <Text size="sm" c="dimmed">
        checking…
      </Text>
    );
  }
  return <LintBadges report={lint.data} />;
}

function RunbookRow({ runbook }: { runbook: RunbookSummary }) {
  return (
    <Table.Tr data-testid="runbook-row" data-slug={runbook.slug}>
      <Table.Td>
        <Anchor component={Link} to={`/runbooks/${runbook.slug}`} fw={600}>
          {runbook.title}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Code>{runbook.slug}</Code>
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Text size="sm">v{runbook.latestVersion}</Text>
          {runbook.builtin && (
            <Badge variant="light" color="gray" size="sm" title="Shipped with NEXUS under runbooks/ and imported at start">
              built-in
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatDateTime(runbook.updatedAt)}</Text>
      </Table.Td>
      <Table.Td>
        <LintCell slug={runbook.slug} />
      </Table.Td>
    </Table.Tr>
  );
}

/** `/runbooks`: the library. Operators import new runbooks and new versions from Markdown. */
export function RunbooksPage() {
  const user = useCurrentUser();
  const canImport = user !== null && hasRole(user.role, 'operator');
  const [importOpen, importModal] = useDisclosure(false);
  const runbooks = useRunbookPages();
  const items = runbooks.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title="Runbooks"
        description="Procedures that run step by step, checked by lint"
        actions={
          canImport ? (
            <Button onClick={importModal.open}>Import a runbook</Button>
          ) : (
            <Text size="sm" c="dimmed">
              Importing needs the operator role.
            </Text>
          )
        }
      />
      <ListPanel title="Library" testId="runbook-list" query={runbooks} count={items.length} noun="the runbooks" emptyText={`The library is empty. ${canImport ? 'Import a runbook to start.' : ''}`} skeletonHeight={120}>
        {items.length > 0 && (
          <ScrollTable label="Runbooks" minWidth={720} columns={['Title', 'Slug', 'Version', 'Updated', 'Lint (latest version)']}>
            {items.map((runbook) => (
              <RunbookRow key={runbook.id} runbook={runbook} />
            ))}
          </ScrollTable>
        )}
      </ListPanel>
      {canImport && <ImportRunbookModal opened={importOpen} onClose={importModal.close} />}
    </>
  );
}
