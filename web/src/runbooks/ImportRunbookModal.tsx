import { Alert, Button, FileInput, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { FindingList } from './FindingList.js';
import { LintBadges, LiveChecks } from './LintSummary.js';
import { useImportRunbook, useLintSource } from './queries.js';

/** What the server takes (src/runbooks/library/schema.ts MAX_RUNBOOK_SOURCE). */
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;

/**
 * Import Markdown as a runbook, or as a new version of one: pasted or read
 * from a file, optionally linted first. Importing the same text again
 * stores nothing new, and says so.
 */
export function ImportRunbookModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [source, setSource] = useState('');
  const [slug, setSlug] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  const lint = useLintSource();
  const importRunbook = useImportRunbook();

  const readFile = async (chosen: File | null) => {
    setFile(chosen);
    setFileError(null);
    if (!chosen) return;
    if (chosen.size > MAX_SOURCE_BYTES) {
      setFileError(`${chosen.name} is ${Math.ceil(chosen.size / 1024)} KiB; a runbook may be at most 2 MiB.`);
      return;
    }
    setSource(await chosen.text());
    lint.reset();
    importRunbook.reset();
  };

  const close = () => {
    onClose();
    setSource('');
    setSlug('');
    setFile(null);
    setFileError(null);
    lint.reset();
    importRunbook.reset();
  };

  const slugProblem = slug.trim() !== '' && !SLUG.test(slug.trim()) ? 'Lowercase letters, digits and inner dashes, up to 80 characters.' : null;
  const tooBig = new Blob([source]).size > MAX_SOURCE_BYTES;
  const done = importRunbook.data;

  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={close} title="Import a runbook" size="xl">
      {done ? (
        <Stack gap="sm">
          <Alert color={done.created ? 'teal' : 'blue'} variant="light" title={done.created ? 'Imported' : 'Nothing new'}>
            {done.copyOf
              ? `${done.copyOf} is a built-in runbook that only an admin may change, so this was imported as a new runbook, ${done.runbook.slug}. The built-in is unchanged.`
              : done.created
              ? `${done.runbook.title} is now at version ${done.version.version} (${done.stats.procedures} procedures, ${done.stats.commands} commands).`
              : `This text is identical to version ${done.version.version} of ${done.runbook.title}; no new version was stored.`}
          </Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Close
            </Button>
            <Button component={Link} to={`/runbooks/${done.runbook.slug}`} onClick={close}>
              Open the runbook
            </Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            importRunbook.mutate({ source, ...(slug.trim() ? { slug: slug.trim() } : {}) });
          }}
        >
          <Stack gap="sm">
            <FileInput
              label="Markdown file"
              description="Or paste the text below"
              placeholder="Choose a .md file"
              accept=".md,.markdown,text/markdown,text/plain"
              value={file}
              onChange={(chosen) => void readFile(chosen)}
              error={fileError}
              clearable
              clearButtonProps={{ 'aria-label': 'Clear the chosen file' }}
            />
            <Textarea
              label="Markdown"
              required
              autosize
              minRows={8}
              maxRows={18}
              value={source}
              onChange={(event) => {
                setSource(event.currentTarget.value);
                lint.reset();
              }}
              error={tooBig ? 'A runbook may be at most 2 MiB.' : null}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-sm)' } }}
            />
            <TextInput
              label="Slug"
              description="Optional: the runbook's address, such as nexus-platform. By default it comes from the title; an existing slug gets a new version."
              value={slug}
              onChange={(event) => setSlug(event.currentTarget.value)}
              error={slugProblem}
            />
            {lint.isError && <ErrorNotice error={lint.error} title="Could not lint" />}
            {lint.data && (
              <Stack gap="xs" data-testid="import-lint">
                <Group gap="xs">
                  <Text size="sm" fw={600}>
                    Lint:
                  </Text>
                  <LintBadges report={lint.data} />
                </Group>
                <LiveChecks report={lint.data} />
                {lint.data.findings.length > 0 && <FindingList findings={lint.data.findings} />}
              </Stack>
            )}
            {importRunbook.isError && <ErrorNotice error={importRunbook.error} title="Could not import" />}
            <Text size="xs" c="dimmed">
              Importing stores a new version; earlier versions stay readable, and runs keep the version they started with.
            </Text>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button variant="light" onClick={() => lint.mutate(source)} loading={lint.isPending} disabled={source.trim() === '' || tooBig}>
                Lint first
              </Button>
              <Button type="submit" loading={importRunbook.isPending} disabled={source.trim() === '' || tooBig || slugProblem !== null}>
                Import
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
