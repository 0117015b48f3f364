/**
 * Cursor paging as every list endpoint does it (`?cursor=` in, `next` out),
 * for `useInfiniteQuery`: start without a cursor, stop when `next` is null.
 */
export const cursorPaging = {
  initialPageParam: '',
  getNextPageParam: (last: { next?: string | null }) => last.next ?? undefined,
};

/** The query with the page's cursor, when there is one. */
export function withCursor<Q extends object>(query: Q, cursor: string): Q & { cursor?: string } {
  return cursor ? { ...query, cursor } : query;
}
