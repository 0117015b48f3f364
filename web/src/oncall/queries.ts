import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../api/client.js';
import { queryKeys } from '../api/query-keys.js';
import { useApi } from '../session/SessionProvider.js';
import type { Directory } from './describe.js';

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
