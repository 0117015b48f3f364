import { Alert, Badge, Button, Card, Checkbox, Group, NativeSelect, PasswordInput, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { RequestBodyOf } from '../api/types.js';
import { ConfirmModal } from '../common/ConfirmModal.js';
import { CrudForm, EditModal, RowActions, useConfirmed, useEditing } from '../common/crud.js';
import { ListPanel } from '../common/ListPanel.js';
import type { Channel } from './describe.js';
import { useChannels, useDeleteChannel, useSaveChannel, useTestChannel } from './queries.js';

type Kind = Channel['kind'];
type Settings = Channel['settings'];
type ChannelChange = RequestBodyOf<'/api/v1/channels/{id}', 'patch'>;

/**
 * What each kind asks for (the server checks the same: notify/service.ts
 * KIND_RULES). `url` null: the kind has no URL (e-mail).
 */
const KINDS: Record<Kind, { label: string; url: { label: string; help: string; required: boolean } | null; secret: { label: string; help: string; required: boolean } | null; settings: Array<{ key: keyof Settings; label: string; help: string; required: boolean }> }> = {
  slack: { label: 'Slack', url: { label: 'Webhook URL', help: 'An incoming-webhook URL; leave empty to use the server default (NEXUS_SLACK_WEBHOOK_URL).', required: false }, secret: null, settings: [] },
  teams: { label: 'Microsoft Teams', url: { label: 'Webhook URL', help: 'The incoming webhook (or Workflows) URL of the Teams channel.', required: true }, secret: null, settings: [] },
  mattermost: {
    label: 'Mattermost',
    url: { label: 'Webhook URL', help: 'The incoming webhook URL.', required: true },
    secret: null,
    settings: [
      { key: 'channel', label: 'Channel', help: "Optional: post here instead of the webhook's channel (town-square, @user).", required: false },
      { key: 'username', label: 'Username', help: 'Optional: the name shown as the poster, if the server allows it.', required: false },
    ],
  },
  discord: { label: 'Discord', url: { label: 'Webhook URL', help: 'The channel webhook URL; alert text can mention no one.', required: true }, secret: null, settings: [] },
  telegram: {
    label: 'Telegram',
    url: { label: 'API base URL', help: 'Leave empty for https://api.telegram.org (a Bot API server of your own otherwise).', required: false },
    secret: { label: 'Bot token', help: 'As BotFather gives it (123456:ABC…).', required: true },
    settings: [{ key: 'chatId', label: 'Chat id', help: 'A numeric chat id (groups are negative) or @channelname.', required: true }],
  },
  ntfy: {
    label: 'ntfy',
    url: { label: 'Topic URL', help: 'https://<ntfy server>/<topic>; phones subscribed to the topic get the page, with an Acknowledge button.', required: true },
    secret: { label: 'Access token', help: 'Optional: for a topic that needs one (tk_…).', required: false },
    settings: [],
  },
  sms: {
    label: 'SMS',
    url: { label: 'API base URL', help: 'Leave empty for https://api.twilio.com (any Twilio-compatible API otherwise). Contacts with a phone are texted through it.', required: false },
    secret: { label: 'Auth token', help: 'The account auth token (HTTP basic auth with the account SID).', required: true },
    settings: [
      { key: 'accountSid', label: 'Account SID', help: 'AC…', required: true },
      { key: 'from', label: 'From number', help: 'The caller id, +E.164 (+14155550100).', required: true },
    ],
  },
  voice: {
    label: 'Voice call',
    url: { label: 'API base URL', help: 'Leave empty for https://api.twilio.com. Contacts with a phone are called; pressing 1 acknowledges.', required: false },
    secret: { label: 'Auth token', help: 'The account auth token (HTTP basic auth with the account SID).', required: true },
    settings: [
      { key: 'accountSid', label: 'Account SID', help: 'AC…', required: true },
      { key: 'from', label: 'From number', help: 'The caller id, +E.164 (+14155550100).', required: true },
    ],
  },
  webhook: {
    label: 'Webhook',
    url: { label: 'URL', help: 'Where NEXUS POSTs the JSON notification (https).', required: true },
    secret: { label: 'Signing key (HMAC)', help: '16 to 512 characters; the receiver checks the signature with it.', required: false },
    settings: [],
  },
  email: { label: 'E-mail', url: null, secret: null, settings: [] },
};
const KIND_OPTIONS = (Object.keys(KINDS) as Kind[]).map((value) => ({ value, label: KINDS[value].label }));
const isPhoneKind = (kind: Kind) => kind === 'sms' || kind === 'voice';

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
  const [settings, setSettings] = useState<Settings>(channel?.settings ?? {});
  const [enabled, setEnabled] = useState(channel?.enabled ?? true);
  const spec = KINDS[kind];

  const save = useSaveChannel();
  const cleanSettings = (): Settings =>
    Object.fromEntries(spec.settings.map(({ key }) => [key, settings[key]?.trim()]).filter(([, value]) => value)) as Settings;
  const submit = () => {
    if (!channel) {
      const body = {
        name: name.trim(),
        kind,
        enabled,
        ...(spec.url && url.trim() ? { url: url.trim() } : {}),
        ...(kind === 'email' ? { address: address.trim() } : {}),
        ...(spec.secret && secret ? { secret } : {}),
        ...(spec.settings.length ? { settings: cleanSettings() } : {}),
      };
      save.mutate({ item: null, body }, { onSuccess: onClose });
      return;
    }
    const body: ChannelChange = {};
    if (name.trim() !== channel.name) body.name = name.trim();
    if (enabled !== channel.enabled) body.enabled = enabled;
    if (kind === 'email' && address.trim() !== (channel.address ?? '')) body.address = address.trim();
    if (spec.url && url.trim()) body.url = url.trim();
    else if (spec.url && !spec.url.required && clearUrl) body.url = null;
    if (spec.secret && secret) body.secret = secret;
    else if (removeSecret) body.secret = null;
    if (spec.settings.length && JSON.stringify(cleanSettings()) !== JSON.stringify(channel.settings)) body.settings = cleanSettings();
    save.mutate({ item: channel, body }, { onSuccess: onClose });
  };

  const settingsReady = spec.settings.every(({ key, required }) => !required || (settings[key] ?? '').trim() !== '');
  const ready =
    name.trim() !== '' &&
    (kind !== 'email' || address.trim() !== '') &&
    settingsReady &&
    (channel !== null || ((!spec.url?.required || url.trim() !== '') && (!spec.secret?.required || secret !== '')));

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
          Kind: <strong>{KINDS[channel.kind].label}</strong> (fixed once created)
        </Text>
      ) : (
        <NativeSelect label="Kind" data={KIND_OPTIONS} value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)} />
      )}
      {kind === 'email' && <TextInput label="Address" type="email" required value={address} onChange={(e) => setAddress(e.currentTarget.value)} />}
      {spec.url && (
        <>
          <PasswordInput
            label={spec.url.label}
            description={
              channel
                ? `${spec.url.help} Now: ${channel.url ?? (channel.usesDefaultWebhook ? 'the server default' : channel.unreadable ? 'unreadable' : 'the default')}. Leave empty to keep it.`
                : spec.url.help
            }
            required={!channel && spec.url.required}
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            autoComplete="off"
          />
          {channel && !spec.url.required && channel.url && (
            <Checkbox label="Use the default instead" checked={clearUrl} onChange={(e) => setClearUrl(e.currentTarget.checked)} disabled={url.trim() !== ''} />
          )}
        </>
      )}
      {spec.settings.map(({ key, label, help, required }) => (
        <TextInput
          key={key}
          label={label}
          description={help}
          required={required}
          value={settings[key] ?? ''}
          onChange={(e) => {
            const value = e.currentTarget.value;
            setSettings((current) => ({ ...current, [key]: value }));
          }}
        />
      ))}
      {spec.secret && (
        <>
          <PasswordInput
            label={spec.secret.label}
            description={`${spec.secret.help}${channel ? (channel.secretSet ? ' One is set; leave empty to keep it.' : ' None is set.') : ''}`}
            required={!channel && spec.secret.required}
            value={secret}
            onChange={(e) => setSecret(e.currentTarget.value)}
            autoComplete="new-password"
          />
          {channel?.secretSet && !spec.secret.required && (
            <Checkbox label={`Remove the ${spec.secret.label.toLowerCase()}`} checked={removeSecret} onChange={(e) => setRemoveSecret(e.currentTarget.checked)} disabled={secret !== ''} />
          )}
        </>
      )}
      <Switch label="Enabled" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
    </CrudForm>
  );
}

/** "Send test": one message now, the outcome shown under the card. Phone providers ask for the number to text or call. */
function TestChannel({ channel }: { channel: Channel }) {
  const test = useTestChannel();
  const [to, setTo] = useState('');
  const phone = isPhoneKind(channel.kind);
  const result = test.data;
  return (
    <Stack gap={6}>
      <Group gap="xs" align="end" wrap="wrap">
        {phone && (
          <TextInput size="xs" label="Test number" placeholder="+14155550100" value={to} onChange={(e) => setTo(e.currentTarget.value)} aria-label={`Number to test ${channel.name} with`} />
        )}
        <Button
          size="compact-sm"
          variant="default"
          loading={test.isPending}
          disabled={phone && to.trim() === ''}
          onClick={() => test.mutate({ channel, ...(phone ? { to: to.trim() } : {}) })}
          aria-label={`Send a test message through ${channel.name}`}
        >
          Send test
        </Button>
      </Group>
      {result && (
        <Text size="sm" c={result.outcome === 'sent' ? 'teal' : 'red'} role="status">
          {result.outcome === 'sent' ? `Sent to ${result.to} in ${result.durationMs} ms.` : `Failed: ${result.reason ?? 'unknown reason'}`}
        </Text>
      )}
      {test.error !== null && (
        <Text size="sm" c="red" role="alert">
          {test.error instanceof Error ? test.error.message : 'The test could not be sent.'}
        </Text>
      )}
    </Stack>
  );
}

/** Where a channel sends, as far as the API tells (never a URL's path or a secret). */
function destination(channel: Channel): string | null {
  const via = channel.url ? ` via ${channel.url}` : '';
  if (channel.kind === 'email') return channel.address;
  if (channel.kind === 'telegram') return `chat ${channel.settings.chatId ?? '?'}${via}`;
  if (isPhoneKind(channel.kind)) return `contacts' phones, from ${channel.settings.from ?? '?'}${via}`;
  return channel.url ?? (channel.usesDefaultWebhook ? 'the server default webhook' : null);
}

function ChannelCard({ channel, onEdit, onDelete }: { channel: Channel; onEdit: () => void; onDelete: () => void }) {
  const where = destination(channel);
  return (
    <Card withBorder padding="sm" component="article" aria-label={`Channel ${channel.name}`} data-testid="channel" data-channel-id={channel.id} data-unreadable={channel.unreadable}>
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Group gap={6} wrap="wrap">
            <Text fw={700}>{channel.name}</Text>
            <Badge variant="light" color="gray" size="sm">
              {KINDS[channel.kind].label}
            </Badge>
            {!channel.enabled && (
              <Badge variant="light" color="gray" size="sm">
                disabled
              </Badge>
            )}
            {channel.secretSet && channel.kind === 'webhook' && (
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
        {!channel.unreadable && <TestChannel channel={channel} />}
      </Stack>
    </Card>
  );
}

/** Chat, push, webhook, e-mail channels and SMS / voice providers (admin only). URLs show as their origin; secrets never show. */
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
