import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { unwrap } from '../api/client.js';
import { createOrChange, useRefreshingMutation } from '../api/mutations.js';
import { cursorPaging, withCursor } from '../api/paging.js';
import { queryKeys } from '../api/query-keys.js';
import type { RequestBodyOf } from '../api/types.js';
import { useApi } from '../session/SessionProvider.js';
import type { Channel, Contact, Delivery, Directory, EscalationPolicy, Rotation } from './describe.js';

/** The directory is small (people, rotations, channels of one organisation): one page of this many holds it. */
export const ALL = 500;

export function useContacts() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.oncall.contacts,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/contacts', { params: { query: { limit: ALL } }, signal })),
  });
}

export function useRotations() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.oncall.rotations,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/rotations', { params: { query: { limit: ALL } }, signal })),
  });
}

export function usePolicies() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.oncall.escalationPolicies,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/escalation-policies', { params: { query: { limit: ALL } }, signal })),
  });
}

/** Channels are for admins only (their URLs may carry credentials); others get null. */
export function useChannels(isAdmin: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.oncall.channels,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/channels', { params: { query: { limit: ALL } }, signal })),
    enabled: isAdmin,
  });
}

/** Names for the ids escalation policies and overrides carry. */
export function useDirectory(isAdmin: boolean): Directory {
  const contacts = useContacts();
  const rotations = useRotations();
  const channels = useChannels(isAdmin);
  return {
    contacts: new Map((contacts.data?.items ?? []).map((c) => [c.id, c.name])),
    rotations: new Map((rotations.data?.items ?? []).map((r) => [r.id, r.name])),
    channels: isAdmin ? new Map((channels.data?.items ?? []).map((c) => [c.id, c.name])) : null,
  };
}

/** Who is on call for a rotation now; the answer changes at each handoff, so it is asked again every minute while on screen. */
export function useOnCallNow(rotationId: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.oncall.onCallNow(rotationId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/rotations/{id}/oncall', { params: { path: { id: rotationId } }, signal })),
    refetchInterval: 60_000,
  });
}

const DELIVERY_PAGE = 50;

/** The delivery log, newest first, a page at a time. */
export function useDeliveryPages(state: Delivery['state'] | null) {
  const api = useApi();
  const filters = { ...(state ? { state } : {}), limit: DELIVERY_PAGE };
  return useInfiniteQuery({
    queryKey: queryKeys.oncall.notificationList(filters),
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/notifications', { params: { query: withCursor(filters, pageParam) }, signal })),
    ...cursorPaging,
  });
}

/** Creates a contact or changes one; rotations name their members, so they refresh too. */
export function useSaveContact() {
  const api = useApi();
  const save = createOrChange<Contact, RequestBodyOf<'/api/v1/contacts', 'post'>, RequestBodyOf<'/api/v1/contacts/{id}', 'patch'>, Contact, Contact>(
    (body) => unwrap(api.POST('/api/v1/contacts', { body })),
    (id, body) => unwrap(api.PATCH('/api/v1/contacts/{id}', { params: { path: { id } }, body })),
  );
  return useRefreshingMutation(save, [queryKeys.oncall.contacts, queryKeys.oncall.rotations]);
}

export function useDeleteContact() {
  const api = useApi();
  return useRefreshingMutation((contact: Contact) => unwrap(api.DELETE('/api/v1/contacts/{id}', { params: { path: { id: contact.id } } })), [queryKeys.oncall.contacts]);
}

export function useSaveChannel() {
  const api = useApi();
  const save = createOrChange<Channel, RequestBodyOf<'/api/v1/channels', 'post'>, RequestBodyOf<'/api/v1/channels/{id}', 'patch'>, Channel, Channel>(
    (body) => unwrap(api.POST('/api/v1/channels', { body })),
    (id, body) => unwrap(api.PATCH('/api/v1/channels/{id}', { params: { path: { id } }, body })),
  );
  return useRefreshingMutation(save, [queryKeys.oncall.channels]);
}

export function useDeleteChannel() {
  const api = useApi();
  return useRefreshingMutation((channel: Channel) => unwrap(api.DELETE('/api/v1/channels/{id}', { params: { path: { id: channel.id } } })), [queryKeys.oncall.channels]);
}

export function useSaveRotation() {
  const api = useApi();
  type Body = RequestBodyOf<'/api/v1/rotations', 'post'>;
  const save = createOrChange<Rotation, Body, Body, Rotation, Rotation>(
    (body) => unwrap(api.POST('/api/v1/rotations', { body })),
    (id, body) => unwrap(api.PATCH('/api/v1/rotations/{id}', { params: { path: { id } }, body })),
  );
  return useRefreshingMutation(save, [queryKeys.oncall.rotations]);
}

export function useAddOverride(rotationId: string) {
  const api = useApi();
  return useRefreshingMutation(
    (body: RequestBodyOf<'/api/v1/rotations/{id}/overrides', 'post'>) => unwrap(api.POST('/api/v1/rotations/{id}/overrides', { params: { path: { id: rotationId } }, body })),
    [queryKeys.oncall.rotations],
  );
}

export function useSavePolicy() {
  const api = useApi();
  type Create = RequestBodyOf<'/api/v1/escalation-policies', 'post'>;
  type Change = RequestBodyOf<'/api/v1/escalation-policies/{id}', 'patch'>;
  const save = createOrChange<EscalationPolicy, Create, Change, EscalationPolicy, EscalationPolicy>(
    (body) => unwrap(api.POST('/api/v1/escalation-policies', { body })),
    (id, body) => unwrap(api.PATCH('/api/v1/escalation-policies/{id}', { params: { path: { id } }, body })),
  );
  return useRefreshingMutation(save, [queryKeys.oncall.escalationPolicies]);
}

/** Sends a test message through a channel now; the answer says whether it went (a failure is an answer, not an error). */
export function useTestChannel() {
  const api = useApi();
  return useRefreshingMutation(
    ({ channel, to }: { channel: Channel; to?: string }) =>
      unwrap(api.POST('/api/v1/channels/{id}/test', { params: { path: { id: channel.id } }, body: to ? { to } : {} })),
    [],
  );
}
