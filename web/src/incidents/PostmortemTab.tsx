import { Alert, Badge, Button, Group, Skeleton, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ApiError } from '../api/client.js';
import type { Postmortem } from '../api/types.js';
import { formatDateTime } from '../common/format.js';
import { hasRole } from '../session/roles.js';
import { useCurrentUser } from '../session/queries.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';
import { Markdown } from './Markdown.js';
import { useDownloadPostmortem, usePostmortem, useSavePostmortem } from './queries.js';

function VersionLine({ postmortem }: { postmortem: Postmortem }) {
  if (postmortem.generated) {
    return (
      <Group gap="xs">
        <Badge variant="light" color="gray" data-testid="postmortem-version" data-version={0}>
          Draft
        </Badge>
        <Text size="sm" c="dimmed">
          Generated from the timeline; it follows the incident until someone saves an edit.
        </Text>
      </Group>
    );
  }
  return (
    <Group gap="xs">
      <Badge variant="light" color="blue" data-testid="postmortem-version" data-version={postmortem.version}>
        Version {postmortem.version}
      </Badge>
      <Text size="sm" c="dimmed">
        Saved by {postmortem.editedBy ?? 'unknown'}
        {postmortem.updatedAt ? ` on ${formatDateTime(postmortem.updatedAt)}` : ''}
      </Text>
    </Group>
  );
}

function Editor({ incidentId, postmortem, onDone }: { incidentId: string; postmortem: Postmortem; onDone: () => void }) {
  const [markdown, setMarkdown] = useState(postmortem.markdown);
  // The version this edit started from: the server refuses the save if someone saved after it.
  const [baseVersion] = useState(postmortem.version);
  const save = useSavePostmortem(incidentId);
  const conflict = save.error instanceof ApiError && save.error.status === 409;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ markdown, baseVersion }, { onSuccess: onDone });
      }}
    >
      <Stack gap="sm">
        <Textarea
          label="Post-mortem (Markdown)"
          description={`Editing from ${baseVersion === 0 ? 'the generated draft' : `version ${baseVersion}`}; saving makes version ${baseVersion + 1}.`}
          autosize
          minRows={12}
          maxRows={40}
          value={markdown}
          onChange={(event) => setMarkdown(event.currentTarget.value)}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-sm)' } }}
        />
        {save.isError && <ErrorNotice error={save.error} title={conflict ? 'Someone saved a newer version' : 'The post-mortem was not saved'} />}
        {conflict && (
          <Text size="sm">
            Copy your text if you need it, then cancel to see their version and edit again.
          </Text>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={markdown.trim() === ''}>
            Save version {baseVersion + 1}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The post-mortem: the generated draft or the latest saved version, rendered; edit, save, download. */
export function PostmortemTab({ incidentId }: { incidentId: string }) {
  const postmortem = usePostmortem(incidentId);
  const user = useCurrentUser();
  const canEdit = user !== null && hasRole(user.role, 'responder');
  const [editing, setEditing] = useState(false);
  const download = useDownloadPostmortem(incidentId);
  const data = postmortem.data;
  return (
    <Panel
      title="Post-mortem"
      testId="postmortem"
      actions={
        data && !editing ? (
          <Group gap="xs">
            <Button size="xs" variant="default" loading={download.isPending} onClick={() => download.mutate(data.version)}>
              Download .md
            </Button>
            {canEdit && (
              <Button size="xs" onClick={() => setEditing(true)}>
                Edit
              </Button>
            )}
          </Group>
        ) : undefined
      }
    >
      {postmortem.isPending && <Skeleton height={240} role="status" aria-label="Loading the post-mortem" />}
      {postmortem.isError && <ErrorNotice error={postmortem.error} title="Could not load the post-mortem" onRetry={() => void postmortem.refetch()} />}
      {download.isError && <ErrorNotice error={download.error} title="The download failed" />}
      {data && (
        <Stack gap="md">
          <VersionLine postmortem={data} />
          {editing ? (
            <Editor incidentId={incidentId} postmortem={data} onDone={() => setEditing(false)} />
          ) : (
            <div data-testid="postmortem-document">
              <Markdown source={data.markdown} label="Post-mortem" headingOffset={2} />
            </div>
          )}
          {!canEdit && (
            <Alert variant="light" color="gray">
              Editing the post-mortem needs the responder role.
            </Alert>
          )}
        </Stack>
      )}
    </Panel>
  );
}
