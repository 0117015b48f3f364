import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { unwrap } from '../api/client.js';
import { createOrChange, useRefreshingMutation } from '../api/mutations.js';
import { cursorPaging, withCursor } from '../api/paging.js';
import { queryKeys } from '../api/query-keys.js';
import type { RequestBodyOf, ResponseOf, User } from '../api/types.js';
import { useApi } from '../session/SessionProvider.js';

export type Token = ResponseOf<'/api/v1/tokens', 'get'>['items'][number];
export type CreatedToken = ResponseOf<'/api/v1/tokens', 'post'>;
type NewUser = RequestBodyOf<'/api/v1/users', 'post'>;
type UserChange = RequestBodyOf<'/api/v1/users/{id}', 'patch'>;
type NewToken = RequestBodyOf<'/api/v1/tokens', 'post'>;

const PAGE = 100;
/** Enough for every account of one organisation: pick lists and names by id read one page. */
const EVERYONE = 500;

/** Users, a page at a time (admin only). */
export function useUserPages() {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: queryKeys.users.list({ limit: PAGE }),
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/users', { params: { query: withCursor({ limit: PAGE }, pageParam) }, signal })),
    ...cursorPaging,
  });
}

/** Every user in one page, for names and pick lists; the endpoint is admin-only, so others pass `enabled: false`. */
export function useAllUsers(enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.users.list({ limit: EVERYONE }),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/users', { params: { query: { limit: EVERYONE } }, signal })),
    enabled,
  });
}

/** Creates a user (no `user`) or changes one (only the fields in the body). */
export function useSaveUser() {
  const api = useApi();
  const save = createOrChange<User, NewUser, UserChange, User, User>(
    (body) => unwrap(api.POST('/api/v1/users', { body })),
    (id, body) => unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body })),
  );
  // The caller may have changed their own role or name.
  return useRefreshingMutation(save, [queryKeys.users.all, queryKeys.me]);
}

export type UserAction = { kind: 'disable' | 'enable' | 'revoke'; user: User };

/** Disables or enables an account, or ends every session of it. */
export function useUserAction() {
  const api = useApi();
  return useRefreshingMutation(async ({ kind, user }: UserAction) => {
    if (kind === 'revoke') await unwrap(api.POST('/api/v1/users/{id}/sessions/revoke', { params: { path: { id: user.id } }, body: {} }));
    else await unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id } }, body: { disabled: kind === 'disable' } }));
  }, [queryKeys.users.all]);
}

/** The caller's API tokens, or (admins, `all`) everyone's, a page at a time. */
export function useTokenPages(scope: 'mine' | 'all') {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: queryKeys.tokens.list(scope),
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/tokens', { params: { query: withCursor({ scope, limit: PAGE }, pageParam) }, signal })),
    ...cursorPaging,
  });
}

export function useCreateToken() {
  const api = useApi();
  return useRefreshingMutation((body: NewToken) => unwrap(api.POST('/api/v1/tokens', { body })), [queryKeys.tokens.all]);
}

export function useRevokeToken() {
  const api = useApi();
  return useRefreshingMutation((token: Token) => unwrap(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id: token.id } } })), [queryKeys.tokens.all]);
}

export type SecretRotation = ResponseOf<'/api/v1/secrets/rotations', 'get'>['items'][number];
type RotateRequest = RequestBodyOf<'/api/v1/secrets/rotate', 'post'>;

/** Past rotations, newest first (admin only). */
export function useRotationPages() {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: queryKeys.secrets.rotations,
    queryFn: ({ pageParam, signal }) => unwrap(api.GET('/api/v1/secrets/rotations', { params: { query: withCursor({ limit: PAGE }, pageParam) }, signal })),
    ...cursorPaging,
  });
}

export function useRotateSecrets() {
  const api = useApi();
  return useRefreshingMutation((body: RotateRequest) => unwrap(api.POST('/api/v1/secrets/rotate', { body })), [queryKeys.secrets.all, queryKeys.tokens.all]);
}
