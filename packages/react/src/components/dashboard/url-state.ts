'use client';
import { ERROR_CATEGORIES, type ErrorCategory, JOB_STATUSES, type JobStatus } from '@redrive/core';
import { useCallback, useEffect, useState } from 'react';
import type { JobsQuery } from '../../client/jobs-client.js';

/** The dashboard's view: which tab, which filters, which job is open. Kept in the URL query string. */
export interface DashboardState {
  view: 'jobs' | 'dead-letters';
  q: string;
  status: JobStatus | '';
  type: string;
  category: ErrorCategory | '';
  /** ISO 8601, or ''. */
  from: string;
  to: string;
  /** The job whose detail panel is open, or ''. */
  job: string;
}

const EMPTY: DashboardState = {
  view: 'jobs',
  q: '',
  status: '',
  type: '',
  category: '',
  from: '',
  to: '',
  job: '',
};
const KEYS = Object.keys(EMPTY) as Array<keyof DashboardState>;

/** Reads the state from a query string; unknown or invalid values fall back to "all". */
export function parseDashboardState(search: string, initial: Partial<DashboardState> = {}): DashboardState {
  const params = new URLSearchParams(search);
  const get = (key: keyof DashboardState) => params.get(key) ?? initial[key] ?? EMPTY[key];
  const status = get('status');
  const category = get('category');
  return {
    view: get('view') === 'dead-letters' ? 'dead-letters' : 'jobs',
    q: get('q'),
    status: (JOB_STATUSES as readonly string[]).includes(status) ? (status as JobStatus) : '',
    type: get('type'),
    category: (ERROR_CATEGORIES as readonly string[]).includes(category) ? (category as ErrorCategory) : '',
    from: validIso(get('from')),
    to: validIso(get('to')),
    job: get('job'),
  };
}

/** Writes the state into `search`, keeping the host page's other parameters; defaults are left out. */
export function serializeDashboardState(state: DashboardState, search: string): string {
  const params = new URLSearchParams(search);
  for (const key of KEYS) {
    const value = state[key];
    if (value && value !== EMPTY[key]) params.set(key, value);
    else params.delete(key);
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/**
 * The filters of a state as a client query (`status` only in the jobs view). The one date range of
 * the form bounds the creation time of jobs and the failure time of dead letters.
 */
export function stateToQuery(state: DashboardState): JobsQuery {
  const query: JobsQuery = {};
  if (state.q.trim()) query.q = state.q.trim();
  if (state.status && state.view === 'jobs') query.status = state.status;
  if (state.type) query.type = state.type;
  if (state.category) query.errorCategory = state.category;
  const range = state.view === 'jobs' ? 'created' : 'failed';
  if (state.from) query[`${range}From`] = Date.parse(state.from);
  if (state.to) query[`${range}To`] = Date.parse(state.to);
  return query;
}

/**
 * The dashboard state, mirrored in `location.search` with `history.replaceState` (a shared link
 * opens the same view; reload keeps it; the back button is not flooded by every keystroke).
 */
export function useDashboardState(
  syncUrl: boolean,
  initial: Partial<DashboardState> | undefined,
): [DashboardState, (change: Partial<DashboardState>) => void] {
  const canSync = syncUrl && typeof window !== 'undefined';
  const [state, setState] = useState(() =>
    parseDashboardState(canSync ? window.location.search : '', initial),
  );
  useEffect(() => {
    if (!canSync) return;
    const onPop = () => setState(parseDashboardState(window.location.search, initial));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [canSync, initial]);
  useEffect(() => {
    if (!canSync) return;
    const search = serializeDashboardState(state, window.location.search);
    if (search !== window.location.search) {
      const { pathname, hash } = window.location;
      window.history.replaceState(window.history.state, '', `${pathname}${search}${hash}`);
    }
  }, [canSync, state]);
  const update = useCallback((change: Partial<DashboardState>) => setState((s) => ({ ...s, ...change })), []);
  return [state, update];
}

function validIso(value: string): string {
  return value && !Number.isNaN(Date.parse(value)) ? value : '';
}
