import { Alert, Badge, Card, Checkbox, Group, PasswordInput, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { RequestBodyOf } from '../api/types.js';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { SegmentedField } from '../common/SegmentedField.js';
import { CrudForm, EditModal, RowActions, useConfirmed, useEditing } from '../common/crud.js';
import { ListPanel } from '../common/ListPanel.js';
import type { Channel } from './describe.js';
import { useChannels, useDeleteChannel, useSaveChannel } from './queries.js';

type Kind = Channel['kind'];
type ChannelChange = RequestBodyOf<'/api/v1/channels/{id}', 'patch'>;

/**
 * A channel's URL and HMAC key are write-only: the API shows the URL's
 * origin and whether a key is set, never the values. Editing leaves them
 * as they are unless something new is typed (or they are cleared).
 */
function ChannelForm({ channel, onClose }: { channel: Channel | null; onClose: () => void }) {
  const [name, setName] = useState(channel?.name ?? '');
  const [kind, setKind] = useState<Kind>(channel?.kind ?? 'slack');
  const [url, setUrl] = useState('');
  const [clearUrl, setClearUrl] = useState(false);
  const [address, setAddress] = useState(channel?.address ?? '');
  const [secret, setSecret] = useState('');
  const [removeSecret, setRemoveSecret] = useState(false);
  const [enabled, setEnabled] = useState(channel?.enabled ?? true);

  const save = useSaveChannel();
  const submit = () => {
    if (!channel) {
      const body = {
        name: name.trim(),
        kind,
        enabled,
        ...(kind !== 'email' && url.trim() ? { url: url.trim() } : {}),
        ...(kind === 'email' ? { address: address.trim() } : {}),
        ...(kind === 'webhook' && secret ? { secret } : {}),
      };
      save.mutate({ item: null, body }, { onSuccess: onClose });
      return;
    }
    const body: ChannelChange = {};
    if (name.trim() !== channel.name) body.name = name.trim();
    if (enabled !== channel.enabled) body.enabled = enabled;
    if (kind === 'email' && address.trim() !== (channel.address ?? '')) body.address = address.trim();
    if (kind !== 'email' && url.trim()) body.url = url.trim();
    else if (kind === 'slack' && clearUrl) body.url = null;
    if (kind === 'webhook' && secret) body.secret = secret;
    else if (removeSecret) body.secret = null;
    save.mutate({ item: channel, body }, { onSuccess: onClose });
  };

  const urlHelp =
    kind === 'slack'
      ? 'An incoming-webhook URL; leave empty to use the server default (NEXUS_SLACK_WEBHOOK_URL).'
      : 'Where NEXUS POSTs the JSON notification (https).';
  const ready = name.trim() !== '' && (kind !== 'email' || address.trim() !== '') && (channel !== null || kind !== 'webhook' || url.trim() !== '');

  return (
    <CrudForm ready={ready} onSubmit={submit} onCancel={onClose} submitLabel={channel ? 'Save' : 'Add the channel'} action={save} errorTitle="Could not save the channel">
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
        <SegmentedField
          label="Kind"
          value={kind}
          onChange={setKind}
          data={[
            { value: 'slack', label: 'Slack' },
            { value: 'webhook', label: 'Webhook' },
            { value: 'email', label: 'E-mail' },
          ]}
        />
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
    </CrudForm>
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
          <RowActions name={`channel ${channel.name}`} onEdit={onEdit} onDelete={onDelete} />
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
  const channels = useChannels(true);
  const form = useEditing<Channel>();
  const remove = useConfirmed(useDeleteChannel());
  const items = channels.data?.items ?? [];
  return (
    <ListPanel title="Channels" testId="channel-list" query={channels} count={items.length} noun="channels" addLabel="Add a channel" onAdd={form.create} emptyText="No channel yet.">
      {items.map((channel) => (
        <ChannelCard key={channel.id} channel={channel} onEdit={() => form.edit(channel)} onDelete={() => remove.ask(channel)} />
      ))}
      <EditModal editing={form.editing} onClose={form.close} title={(channel) => (channel ? `Edit ${channel.name}` : 'New channel')}>
        {(channel) => <ChannelForm channel={channel} onClose={form.close} />}
      </EditModal>
      <ConfirmModal
        {...remove.modal}
        title={`Delete the channel ${remove.target?.name ?? ''}?`}
        confirmLabel="Delete the channel"
        approval="No one else: admins manage channels alone. The deletion is in the audit log."
      >
        <Text size="sm">Its URL and key are gone for good. NEXUS refuses while an escalation policy still uses it.</Text>
      </ConfirmModal>
    </ListPanel>
  );
}
