'use client';
import {
  ERROR_CATEGORIES,
  type ErrorCategory,
  getErrorCategoryLabel,
  JOB_STATUSES,
  type JobStatus,
} from '@redrive/core';
import { type RefObject, useEffect, useId, useRef, useState } from 'react';
import { useJobsContext } from '../../hooks/jobs-provider.js';
import type { DashboardState } from './url-state.js';

/** Typing settles this long before the search runs. */
const SEARCH_DEBOUNCE_MS = 300;

const STATUS_LABELS: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  paused: 'Paused',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Props of {@link FiltersForm}. */
export interface FiltersFormProps {
  state: DashboardState;
  onChange: (change: Partial<DashboardState>) => void;
  types: string[];
  searchRef: RefObject<HTMLInputElement | null>;
}

/** Search, status, type, error category and created (or failed) range; every change lands in the URL. */
export function FiltersForm({ state, onChange, types, searchRef }: FiltersFormProps) {
  const { timers } = useJobsContext();
  const id = useId();
  const [text, setText] = useState(state.q);
  const timer = useRef<unknown>(undefined);
  // Follow outside changes (back button, a reset) without fighting the user's typing.
  useEffect(() => setText(state.q), [state.q]);
  useEffect(() => () => timers.clearTimeout(timer.current), [timers]);
  const onSearch = (value: string) => {
    setText(value);
    timers.clearTimeout(timer.current);
    timer.current = timers.setTimeout(() => onChange({ q: value }), SEARCH_DEBOUNCE_MS);
  };
  const dead = state.view === 'dead-letters';
  const typeOptions = state.type && !types.includes(state.type) ? [...types, state.type] : types;
  return (
    // biome-ignore lint/a11y/useSemanticElements: a form with role=search is announced by every screen reader; <search> is too new for some
    <form
      role="search"
      aria-label="Filter jobs"
      className="redrive-filters"
      onSubmit={(e) => e.preventDefault()}
    >
      <label htmlFor={`${id}-q`}>Search jobs</label>
      <input
        id={`${id}-q`}
        ref={searchRef}
        type="search"
        value={text}
        placeholder="id, type, title or error  ( / )"
        aria-keyshortcuts="/"
        onChange={(e) => onSearch(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            timers.clearTimeout(timer.current);
            onChange({ q: text });
          }
        }}
      />
      {!dead && (
        <>
          <label htmlFor={`${id}-status`}>Status</label>
          <select
            id={`${id}-status`}
            value={state.status}
            onChange={(e) => onChange({ status: e.target.value as JobStatus | '' })}
          >
            <option value="">All</option>
            {JOB_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor={`${id}-type`}>Type</label>
      <select id={`${id}-type`} value={state.type} onChange={(e) => onChange({ type: e.target.value })}>
        <option value="">All</option>
        {typeOptions.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-category`}>Error category</label>
      <select
        id={`${id}-category`}
        value={state.category}
        onChange={(e) => onChange({ category: e.target.value as ErrorCategory | '' })}
      >
        <option value="">All</option>
        {ERROR_CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {getErrorCategoryLabel(c)}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-from`}>{dead ? 'Failed from' : 'Created from'}</label>
      <input
        id={`${id}-from`}
        type="datetime-local"
        value={toLocalInput(state.from)}
        onChange={(e) => onChange({ from: fromLocalInput(e.target.value) })}
      />
      <label htmlFor={`${id}-to`}>{dead ? 'Failed to' : 'Created to'}</label>
      <input
        id={`${id}-to`}
        type="datetime-local"
        value={toLocalInput(state.to)}
        onChange={(e) => onChange({ to: fromLocalInput(e.target.value) })}
      />
    </form>
  );
}

/** ISO → the `YYYY-MM-DDTHH:mm` of a datetime-local input, in local time. */
export function toLocalInput(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (local time) → ISO, or '' when empty or invalid. */
export function fromLocalInput(value: string): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}
