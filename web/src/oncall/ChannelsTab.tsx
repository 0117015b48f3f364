import { Alert, Badge, Button, Card, Checkbox, Group, Modal, PasswordInput, SegmentedControl, Skeleton, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import type { RequestBodyOf } from '../api/types.js';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { useApi } from '../session/SessionProvider.js';
import { ErrorNotice } from '../shell/ErrorNotice.js';
import { Panel } from '../shell/Panel.js';
import type { Channel } from './describe.js';
import { useChannels } from './queries.js';

type Kind = Channel['kind'];
type UpdateBody = RequestBodyOf<'/api/v1/channels/{id}', 'patch'>;

/**
 * A channel's URL and HMAC key are write-only: the API shows the URL's
 * origin and whether a key is set, never the values. Editing leaves them
 * as they are unless something new is typed (or they are cleared).
 */
function ChannelForm({ channel, onClose }: { channel: Channel | null; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [name, setName] = useState(channel?.name ?? '');
  const [kind, setKind] = useState<Kind>(channel?.kind ?? 'slack');
  const [url, setUrl] = useState('');
  const [clearUrl, setClearUrl] = useState(false);
  const [address, setAddress] = useState(channel?.address ?? '');
  const [secret, setSecret] = useState('');
  const [removeSecret, setRemoveSecret] = useState(false);
  const [enabled, setEnabled] = useState(channel?.enabled ?? true);

  const save = useMutation({
    mutationFn: () => {
      if (!channel) {
        return unwrap(
          api.POST('/api/v1/channels', {
            body: {
              name: name.trim(),
              kind,
              enabled,
              ...(kind !== 'email' && url.trim() ? { url: url.trim() } : {}),
              ...(kind === 'email' ? { address: address.trim() } : {}),
              ...(kind === 'webhook' && secret ? { secret } : {}),
            },
          }),
        );
      }
      const body: UpdateBody = {};
      if (name.trim() !== channel.name) body.name = name.trim();
      if (enabled !== channel.enabled) body.enabled = enabled;
      if (kind === 'email' && address.trim() !== (channel.address ?? '')) body.address = address.trim();
      if (kind !== 'email' && url.trim()) body.url = url.trim();
      else if (kind === 'slack' && clearUrl) body.url = null;
      if (kind === 'webhook' && secret) body.secret = secret;
      else if (removeSecret) body.secret = null;
      return unwrap(api.PATCH('/api/v1/channels/{id}', { params: { path: { id: channel.id } }, body }));
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.oncall.channels });
      onClose();
    },
  });

  const urlHelp =
    kind === 'slack'
      ? 'An incoming-webhook URL; leave empty to use the server default (NEXUS_SLACK_WEBHOOK_URL).'
      : 'Where NEXUS POSTs the JSON notification (https).';
  const ready = name.trim() !== '' && (kind !== 'email' || address.trim() !== '') && (channel !== null || kind !== 'webhook' || url.trim() !== '');

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (ready) save.mutate();
      }}
    >
      <Stack gap="sm">
        {channel?.unreadable && (
          <Alert color="red" variant="light" title="Set the URL and key again">
            They were sealed with a key this NEXUS no longer has; until they are set again, deliveries to this channel are skipped.
          </Alert>
        )}
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
        {channel ? (
          <Text size="sm">
            Kind: <strong>{channel.kind}</strong> (fixed once created)
          </Text>
        ) : (
          <Stack gap={4}>
            <Text size="sm" fw={500} id="channel-kind-label">
              Kind
            </Text>
            <SegmentedControl
              aria-labelledby="channel-kind-label"
              value={kind}
              onChange={(value) => setKind(value as Kind)}
              data={[
                { value: 'slack', label: 'Slack' },
                { value: 'webhook', label: 'Webhook' },
                { value: 'email', label: 'E-mail' },
              ]}
            />
          </Stack>
        )}
        {kind === 'email' ? (
          <TextInput label="Address" type="email" required value={address} onChange={(e) => setAddress(e.currentTarget.value)} />
        ) : (
          <>
            <PasswordInput
              label="URL"
              description={
                channel
                  ? `${urlHelp} Now: ${channel.url ?? (channel.usesDefaultWebhook ? 'the server default' : 'unreadable')}. Leave empty to keep it.`
                  : urlHelp
              }
              required={!channel && kind === 'webhook'}
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
              autoComplete="off"
            />
            {channel && kind === 'slack' && !channel.usesDefaultWebhook && (
              <Checkbox label="Use the server default webhook instead" checked={clearUrl} onChange={(e) => setClearUrl(e.currentTarget.checked)} disabled={url.trim() !== ''} />
            )}
          </>
        )}
        {kind === 'webhook' && (
          <>
            <PasswordInput
              label="Signing key (HMAC)"
              description={`16 to 512 characters; the receiver checks the signature with it.${channel ? (channel.secretSet ? ' One is set; leave empty to keep it.' : ' None is set.') : ''}`}
              value={secret}
              onChange={(e) => setSecret(e.currentTarget.value)}
              autoComplete="new-password"
            />
            {channel?.secretSet && (
              <Checkbox label="Remove the signing key" checked={removeSecret} onChange={(e) => setRemoveSecret(e.currentTarget.checked)} disabled={secret !== ''} />
            )}
          </>
        )}
        <Switch label="Enabled" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
        {save.isError && <ErrorNotice error={save.error} title="Could not save the channel" />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!ready}>
            {channel ? 'Save' : 'Add the channel'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ChannelCard({ channel, onEdit, onDelete }: { channel: Channel; onEdit: () => void; onDelete: () => void }) {
  const where = channel.kind === 'email' ? channel.address : channel.url ?? (channel.usesDefaultWebhook ? 'the server default webhook' : null);
  return (
    <Card withBorder padding="sm" component="article" aria-label={`Channel ${channel.name}`} data-testid="channel" data-channel-id={channel.id} data-unreadable={channel.unreadable}>
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Group gap={6} wrap="wrap">
            <Text fw={700}>{channel.name}</Text>
            <Badge variant="light" color="gray" size="sm">
              {channel.kind}
            </Badge>
            {!channel.enabled && (
              <Badge variant="light" color="gray" size="sm">
                disabled
              </Badge>
            )}
            {channel.secretSet && (
              <Badge variant="light" color="teal" size="sm">
                signed
              </Badge>
            )}
          </Group>
          <Group gap={4}>
            <Button size="compact-sm" variant="default" onClick={onEdit} aria-label={`Edit channel ${channel.name}`}>
              Edit
            </Button>
            <Button size="compact-sm" variant="subtle" color="red" onClick={onDelete} aria-label={`Delete channel ${channel.name}`}>
              Delete
            </Button>
          </Group>
        </Group>
        {where && (
          <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {where}
          </Text>
        )}
        {channel.unreadable && (
          <Alert color="red" variant="light" p="xs">
            Its URL or signing key can no longer be read (the server&apos;s key changed): deliveries are skipped until an admin sets them again with Edit.
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

/** Slack, webhook and e-mail channels (admin only). URLs show as their origin; secrets never show. */
export function ChannelsTab() {
  const api = useApi();
  const queryClient = useQueryClient();
  const channels = useChannels(true);
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Channel | null>(null);
  const remove = useMutation({
    mutationFn: (channel: Channel) => unwrap(api.DELETE('/api/v1/channels/{id}', { params: { path: { id: channel.id } } })),
    onSuccess: () => {
      setDeleting(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.oncall.channels });
    },
  });
  const items = channels.data?.items ?? [];
  return (
    <Panel
      title="Channels"
      count={channels.data?.items.length}
      testId="channel-list"
      actions={
        <Button size="xs" onClick={() => setEditing('new')}>
          Add a channel
        </Button>
      }
    >
      <Stack gap="sm">
        {channels.isPending && <Skeleton height={60} aria-label="Loading channels" />}
        {channels.isError && <ErrorNotice error={channels.error} title="Could not load channels" onRetry={() => void channels.refetch()} />}
        {channels.isSuccess && items.length === 0 && <Text size="sm">No channel yet.</Text>}
        {items.map((channel) => (
          <ChannelCard
            key={channel.id}
            channel={channel}
            onEdit={() => setEditing(channel)}
            onDelete={() => {
              remove.reset();
              setDeleting(channel);
            }}
          />
        ))}
      </Stack>
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'New channel' : `Edit ${editing?.name ?? ''}`}>
        {editing !== null && <ChannelForm key={editing === 'new' ? 'new' : editing.id} channel={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete the channel ${deleting?.name ?? ''}?`}
        confirmLabel="Delete the channel"
        approval="No one else: admins manage channels alone. The deletion is in the audit log."
        onConfirm={() => deleting && remove.mutate(deleting)}
        pending={remove.isPending}
        error={remove.error}
      >
        <Text size="sm">Its URL and key are gone for good. NEXUS refuses while an escalation policy still uses it.</Text>
      </ConfirmModal>
    </Panel>
  );
}
