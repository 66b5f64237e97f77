'use client';
import { useCallback, useEffect, useRef, useSyncExternalStore } from 'react';
import { createPoller } from '../store/poller.js';
import type { ResourceState } from '../store/resource-state.js';
import { useJobsContext } from './jobs-provider.js';

/** Polling options every data hook accepts. */
export interface PollingOptions {
  /** Interval in ms, or `false` for no polling. Default: the provider's (3000). */
  pollIntervalMs?: number | false | undefined;
  /** `false` skips loading altogether (e.g. no id yet). Default true. */
  enabled?: boolean | undefined;
}

/** A resource's state plus `refresh()`, which reloads it now. */
export type ResourceResult<T> = ResourceState<T> & { refresh: () => Promise<void> };

/**
 * Loads `key` through the provider's cache, polls it (paused while the page is hidden) and
 * registers it for `refreshAll`. Internal building block of the public hooks.
 */
export function useResource<T>(
  key: string,
  load: () => Promise<T>,
  options: PollingOptions = {},
): ResourceResult<T> {
  const { store, timers, visibility, pollIntervalMs } = useJobsContext();
  const loadRef = useRef(load);
  loadRef.current = load;
  const interval = options.pollIntervalMs ?? pollIntervalMs;
  const enabled = options.enabled ?? true;
  const refresh = useCallback(() => store.fetch(key, () => loadRef.current()), [store, key]);

  useEffect(() => {
    if (!enabled) return;
    const poller = createPoller({ run: refresh, intervalMs: interval, timers, visibility });
    const unregister = store.onRefresh(refresh);
    poller.start();
    return () => {
      poller.stop();
      unregister();
    };
  }, [enabled, refresh, interval, timers, visibility, store]);

  const state = useSyncExternalStore(
    store.subscribe,
    () => store.get<T>(key),
    () => store.get<T>(key),
  );
  return { ...state, refresh };
}
