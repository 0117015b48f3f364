import { Alert, Anchor, Badge, Button, Grid, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { Run } from '../api/types.js';
import { formatDateTime } from '../common/format.js';
import { useRun } from '../runs/queries.js';
import { hasRole } from '../session/roles.js';
import { useCurrentUser } from '../session/queries.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { PageHeader } from '../shell/PageHeader.js';
import { Panel } from '../shell/Panel.js';
import { FindingList } from './FindingList.js';
import { placeFindings } from './lint-placement.js';
import { LintBadges, LiveChecks } from './LintSummary.js';
import { commandsOf, indexRunbook, type RunbookDetail } from './model.js';
import { useLint, useRunbook } from './queries.js';
import { RunbookMarkdown, type RunTarget } from './RunbookMarkdown.js';
import { RunDialog } from './RunDialog.js';
import { RunPanel } from './RunPanel.js';
import { VersionHistory } from './VersionHistory.js';

const positiveInt = (value: string | null) => (value !== null && /^[1-9]\d*$/.test(value) ? Number(value) : undefined);

function LintPanel({ lint }: { lint: ReturnType<typeof useLint> }) {
  return (
    <Panel
      title="Lint"
      testId="runbook-lint"
      actions={
        <Button variant="subtle" size="compact-sm" onClick={() => void lint.refetch()} loading={lint.isFetching} disabled={!lint.data && !lint.isError}>
          Check again
        </Button>
      }
    >
      {lint.isPending && <Skeleton height={40} role="status" aria-label="Linting the runbook" />}
      {lint.isError && <ErrorNotice error={lint.error} title="Could not lint this version" />}
      {lint.data && (
        <Stack gap="xs">
          <LintBadges report={lint.data} />
          <LiveChecks report={lint.data} />
          {lint.data.findings.length > 0 ? (
            <FindingList findings={lint.data.findings} withLinks />
          ) : (
            <Text size="sm">Nothing to fix.</Text>
          )}
        </Stack>
      )}
    </Panel>
  );
}

function ProceduresPanel({ detail, onRun }: { detail: RunbookDetail; onRun: ((target: RunTarget) => void) | null }) {
  const procedures = detail.parsed.procedures;
  return (
    <Panel title="Procedures" count={procedures.length} testId="runbook-procedures">
      {procedures.length === 0 ? (
        <Text size="sm">NEXUS found no procedure (a `###` section with steps) in this runbook.</Text>
      ) : (
        <Stack component="ul" gap="xs" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Procedures">
          {procedures.map((procedure) => {
            const commands = commandsOf(procedure).length;
            return (
              <li key={procedure.id} data-testid="runbook-procedure" data-procedure-id={procedure.id}>
                <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
                  <div style={{ minWidth: 0 }}>
                    <Anchor href={`#proc-${procedure.id}`} size="sm" fw={600} underline="always">
                      {procedure.title}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {[procedure.metadata.priority, procedure.group, `${commands} command${commands === 1 ? '' : 's'}`].filter(Boolean).join(' · ')}
                    </Text>
                  </div>
                  {onRun && commands > 0 && (
                    <Button size="compact-sm" variant="light" onClick={() => onRun({ kind: 'procedure', procedure })} aria-label={`Run procedure ${procedure.title}`}>
                      Run
                    </Button>
                  )}
                </Group>
              </li>
            );
          })}
        </Stack>
      )}
    </Panel>
  );
}

/**
 * `/runbooks/:slug`: one runbook as written, with lint findings where they
 * apply and Run buttons on procedures, steps and commands. `?version=N`
 * shows an older version; `?run=<id>` shows a run started from here;
 * `?incident=<id>` preselects the incident new runs belong to.
 */
export function RunbookPage() {
  const { slug = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const version = positiveInt(params.get('version'));
  const runId = params.get('run');
  const user = useCurrentUser();
  const detail = useRunbook(slug, version);
  const lint = useLint(detail.data);
  const [target, setTarget] = useState<RunTarget | null>(null);
  const activeRun = useRun(runId);

  const index = useMemo(() => (detail.data ? indexRunbook(detail.data.parsed) : null), [detail.data]);
  const findings = useMemo(() => placeFindings(lint.data?.findings ?? [], index?.commands.map((ref) => ref.command) ?? []), [lint.data, index]);
  const canRun = user !== null && hasRole(user.role, 'responder');

  const onStarted = (run: Run) => {
    setTarget(null);
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.set('run', run.id);
        return next;
      },
      { replace: false },
    );
    window.scrollTo({ top: 0, behavior: 'smooth' });
  };
  const closeRun = () =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.delete('run');
      return next;
    });

  if (detail.isPending) {
    return (
      <>
        <PageHeader title={`Runbook ${slug}`} />
        <Skeleton height={240} role="status" aria-label="Loading the runbook" />
      </>
    );
  }
  if (detail.isError) {
    return (
      <>
        <PageHeader title={`Runbook ${slug}`} />
        <ErrorNotice error={detail.error} title="Could not load this runbook" onRetry={() => void detail.refetch()} />
        <Anchor component={Link} to="/runbooks" mt="md" display="inline-block" underline="always">
          Back to the library
        </Anchor>
      </>
    );
  }

  const data = detail.data;
  const { runbook, stats } = data;
  const shown = data.version.version;
  const older = shown < runbook.latestVersion;

  return (
    <>
      <PageHeader
        title={runbook.title}
        description={`${runbook.slug} · version ${shown}${older ? ` of ${runbook.latestVersion}` : ''} · imported by ${data.version.importedBy}, ${formatDateTime(data.version.importedAt)}`}
        actions={
          <Button component={Link} to="/runbooks" variant="default">
            Library
          </Button>
        }
      />
      <Stack gap="md">
        {older && (
          <Alert color="blue" variant="light" title={`An older version (${shown})`}>
            Runs started here use version {shown}.{' '}
            <Anchor component={Link} to={{ search: '' }} underline="always" c="inherit" fw={600}>
              Show the latest, version {runbook.latestVersion}
            </Anchor>
            .
          </Alert>
        )}
        {!canRun && (
          <Text size="sm" c="dimmed">
            Starting runs needs the responder role; you can read and lint.
          </Text>
        )}
        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <Stack gap="md">
              {runId && <RunPanel key={runId} runId={runId} onClose={closeRun} />}
              <Panel
                title="Runbook"
                testId="runbook-content"
                actions={lint.data ? <LintBadges report={lint.data} /> : lint.isPending ? <Badge variant="light" color="gray">linting…</Badge> : null}
              >
                <Text size="sm" c="dimmed" mb="sm">
                  {stats.procedures} procedures · {stats.steps} steps · {stats.commands} commands · {stats.checks} manual checks
                </Text>
                <RunbookMarkdown source={data.source} index={index!} findings={findings} onRun={canRun ? setTarget : null} />
              </Panel>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <Stack gap="md">
              <ProceduresPanel detail={data} onRun={canRun ? setTarget : null} />
              <LintPanel lint={lint} />
              <VersionHistory detail={data} />
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
      {canRun && (
        <RunDialog
          target={target}
          detail={data}
          activeRun={activeRun.data ?? null}
          defaultIncidentId={params.get('incident')}
          onClose={() => setTarget(null)}
          onStarted={onStarted}
        />
      )}
    </>
  );
}
