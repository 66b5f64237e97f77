'use client';
import { useCallback, useState, useSyncExternalStore } from 'react';
import type { JobsQuery, Page, PageQuery } from '../client/jobs-client.js';
import type { JobOverlay } from '../store/job-overlay.js';
import { useJobsContext } from './jobs-provider.js';
import { type PollingOptions, useResource } from './use-resource.js';

/** Options of the list hooks. */
export interface ListOptions extends PollingOptions {
  /** Rows per page (1…1000). Default 50. */
  pageSize?: number | undefined;
}

/** A keyset-paginated list kept fresh by polling. */
export interface PagedListResult<T> {
  items: T[];
  /** True until the first page arrived. */
  loading: boolean;
  fetching: boolean;
  error: import('../client/jobs-client-error.js').JobsClientError | undefined;
  updatedAt: number;
  hasMore: boolean;
  loadingMore: boolean;
  /** Append the next page (keyset: the list never loads everything). */
  loadMore: () => Promise<void>;
  refresh: () => Promise<void>;
}

/** The most rows one request returns; polling keeps up to this many loaded rows fresh. */
const MAX_PAGE = 1000;

/**
 * A list hook's engine: the first pages polled as one request (as many rows as are loaded, so
 * "load more" survives a refresh), further pages appended by cursor, overlays applied.
 */
export function usePagedList<T extends { id: string }>(
  kind: string,
  query: JobsQuery,
  loadPage: (query: PageQuery) => Promise<Page<T>>,
  applyOverlays: (items: T[], overlays: ReadonlyMap<string, JobOverlay>) => T[],
  options: ListOptions,
): PagedListResult<T> {
  const { store } = useJobsContext();
  const pageSize = Math.min(Math.max(Math.trunc(options.pageSize ?? 50), 1), MAX_PAGE);
  const key = `${kind}:${pageSize}:${stableKey(query)}`;
  const [loadingMore, setLoadingMore] = useState(false);
  const state = useResource<Page<T>>(
    key,
    () => {
      const loaded = store.get<Page<T>>(key).data?.items.length ?? 0;
      return loadPage({ ...query, limit: Math.min(Math.max(loaded, pageSize), MAX_PAGE), cursor: null });
    },
    options,
  );
  const overlays = useSyncExternalStore(store.subscribe, store.overlays, store.overlays);
  const cursor = state.data?.nextCursor ?? null;
  const loadMore = useCallback(async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await loadPage({ ...query, limit: pageSize, cursor });
      store.update<Page<T>>(key, (data) => {
        const seen = new Set((data?.items ?? []).map((item) => item.id));
        return {
          items: [...(data?.items ?? []), ...page.items.filter((item) => !seen.has(item.id))],
          nextCursor: page.nextCursor,
        };
      });
    } catch (error) {
      store.fail(key, error);
    } finally {
      setLoadingMore(false);
    }
  }, [cursor, key, loadPage, pageSize, query, store]);

  const items = state.data?.items;
  return {
    items: items ? applyOverlays(items, overlays) : [],
    loading: state.loading,
    fetching: state.fetching,
    error: state.error,
    updatedAt: state.updatedAt,
    hasMore: cursor !== null,
    loadingMore,
    loadMore,
    refresh: state.refresh,
  };
}

/** A key that does not depend on property order, so `{a,b}` and `{b,a}` share one cache entry. */
export function stableKey(value: object): string {
  return JSON.stringify(
    Object.keys(value)
      .sort()
      .map((k) => [k, (value as Record<string, unknown>)[k]])
      .filter(([, v]) => v !== undefined && v !== ''),
  );
}
