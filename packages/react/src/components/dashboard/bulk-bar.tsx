'use client';
import type { BulkResult, Job } from '@redrive/core';
import { useEffect, useState } from 'react';
import type { BulkActionName, JobsQuery } from '../../client/jobs-client.js';
import { useJobsContext } from '../../hooks/jobs-provider.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { countMatching, type MatchCount } from './count-matching.js';
import { useDashboard } from './dashboard-context.js';

/** Default and largest number of jobs one "all matching" action touches. */
const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;
const DAY_MS = 86_400_000;

const VERBS: Record<BulkActionName | 'redrive', [string, string]> = {
  retry: ['Retry', 'Retried'],
  cancel: ['Cancel', 'Cancelled'],
  delete: ['Delete', 'Deleted'],
  redrive: ['Redrive', 'Redrove'],
};

// Which statuses each bulk action changes (the others are skipped by the backend).
const ELIGIBLE: Record<BulkActionName, (job: Job) => boolean> = {
  retry: (job) => job.status === 'failed' || job.status === 'cancelled',
  cancel: (job) => job.status === 'queued' || job.status === 'paused' || job.status === 'running',
  delete: (job) => job.status !== 'running',
};

type Pending = { kind: 'matching'; action: BulkActionName | 'redrive' } | { kind: 'purge' };

/** Props of {@link BulkBar}. */
export interface BulkBarProps {
  view: 'jobs' | 'dead-letters';
  selected: ReadonlySet<string>;
  query: JobsQuery;
  onDone: () => void;
}

/**
 * Bulk actions on the selection or on everything matching the filter. "All matching" and purge
 * first count what they would touch and ask for confirmation with that number and the limit.
 */
export function BulkBar({ view, selected, query, onDone }: BulkBarProps) {
  const { client, store } = useJobsContext();
  const { announce, readOnly } = useDashboard();
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  if (readOnly) return null;
  const ids = [...selected];

  const finish = async (label: string, result: BulkResult | { deleted: number }) => {
    const done = 'deleted' in result ? result.deleted : result.succeeded.length;
    const skipped = 'failed' in result ? result.failed.length : 0;
    announce(`${label} ${done} ${done === 1 ? 'job' : 'jobs'}${skipped ? `; ${skipped} skipped` : ''}`);
    onDone();
    await store.refreshAll();
  };
  const perform = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (error) {
      announce(`Failed: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const onSelected = (action: BulkActionName | 'redrive') =>
    perform(async () => {
      const result =
        action === 'redrive'
          ? await client.redrive({ ids })
          : await client.bulk(action, { ids }, Math.min(ids.length, MAX_LIMIT));
      await finish(VERBS[action][1], result);
    });

  const button = (label: string, onClick: () => void, disabled = false) => (
    <button type="button" className="redrive-button" disabled={busy || disabled} onClick={onClick}>
      {label}
    </button>
  );
  const none = ids.length === 0;
  return (
    <fieldset className="redrive-bulk">
      <legend className="redrive-visually-hidden">Bulk actions</legend>
      <span className="redrive-muted">{ids.length} selected</span>
      {view === 'jobs' ? (
        <>
          {button('Retry selected', () => onSelected('retry'), none)}
          {button('Cancel selected', () => onSelected('cancel'), none)}
          {button('Delete selected', () => onSelected('delete'), none)}
          {button('Retry all matching', () => setPending({ kind: 'matching', action: 'retry' }))}
          {button('Cancel all matching', () => setPending({ kind: 'matching', action: 'cancel' }))}
          {button('Delete all matching', () => setPending({ kind: 'matching', action: 'delete' }))}
        </>
      ) : (
        <>
          {button('Redrive selected', () => onSelected('redrive'), none)}
          {button('Redrive all matching', () => setPending({ kind: 'matching', action: 'redrive' }))}
          {button('Delete selected', () => onSelected('delete'), none)}
          {button('Purge older than…', () => setPending({ kind: 'purge' }))}
        </>
      )}
      {pending && (
        <BulkConfirm
          pending={pending}
          query={query}
          onCancel={() => setPending(null)}
          onConfirm={(limit, days) => {
            setPending(null);
            void perform(async () => {
              if (pending.kind === 'purge') {
                await finish('Purged', await client.purgeDeadLetters({ olderThanMs: days * DAY_MS }));
              } else if (pending.action === 'redrive') {
                await finish('Redrove', await client.redrive({ query, limit }));
              } else {
                await finish(VERBS[pending.action][1], await client.bulk(pending.action, query, limit));
              }
            });
          }}
        />
      )}
    </fieldset>
  );
}

function BulkConfirm(props: {
  pending: Pending;
  query: JobsQuery;
  onCancel: () => void;
  onConfirm: (limit: number, days: number) => void;
}) {
  const { client, timers } = useJobsContext();
  const { pending, query } = props;
  const [now] = useState(() => timers.now());
  const [limit, setLimit] = useState(DEFAULT_LIMIT);
  const [days, setDays] = useState(7);
  const [count, setCount] = useState<MatchCount | { error: string } | null>(null);
  const valid =
    pending.kind === 'purge'
      ? Number.isInteger(days) && days >= 1 && days <= 3650
      : Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT;
  useEffect(() => {
    if (!valid) return;
    let live = true;
    setCount(null);
    const work =
      pending.kind === 'purge'
        ? countMatching((q) => client.listDeadLetters(q), { failedTo: now - days * DAY_MS }, MAX_LIMIT)
        : pending.action === 'redrive'
          ? countMatching((q) => client.listDeadLetters(q), query, limit)
          : countMatching((q) => client.listJobs(q), query, limit, ELIGIBLE[pending.action]);
    work.then(
      (c) => live && setCount(c),
      (e: Error) => live && setCount({ error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [valid, pending, query, now, days, limit, client]);
  const numbers = new Intl.NumberFormat('en');
  let text = 'Counting…';
  if (count && 'error' in count) text = `Could not count: ${count.error}`;
  else if (count && pending.kind === 'purge') {
    text = `${numbers.format(count.matching)}${count.more ? '+' : ''} dead letters failed more than ${days} days ago and will be deleted.`;
  } else if (count && pending.kind === 'matching') {
    const verb = VERBS[pending.action][0].toLowerCase();
    const what = pending.action === 'redrive' ? 'dead letters' : 'jobs';
    text =
      `This will ${verb} ${numbers.format(count.eligible)} ${what} matching the current filter` +
      ` (limit ${numbers.format(limit)}${count.more ? '; more match than the limit' : ''}).` +
      (count.eligible < count.matching
        ? ` ${numbers.format(count.matching - count.eligible)} matching jobs are skipped: their status does not allow it.`
        : '');
  }
  const title =
    pending.kind === 'purge' ? 'Purge old dead letters?' : `${VERBS[pending.action][0]} all matching?`;
  return (
    <ConfirmDialog
      title={title}
      confirmDisabled={!valid || count === null || 'error' in count}
      onCancel={props.onCancel}
      onConfirm={() => props.onConfirm(limit, days)}
    >
      <p>{text}</p>
      {pending.kind === 'purge' ? (
        <label>
          Older than (days){' '}
          <input
            type="number"
            min={1}
            max={3650}
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
          />
        </label>
      ) : (
        <label>
          Limit{' '}
          <input
            type="number"
            min={1}
            max={MAX_LIMIT}
            value={limit}
            onChange={(e) => setLimit(Number(e.target.value))}
          />
        </label>
      )}
    </ConfirmDialog>
  );
}
