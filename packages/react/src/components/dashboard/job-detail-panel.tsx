'use client';
import { getErrorCategoryLabel, isErrorCategory, type RetryHistoryEntry } from '@redrive/core';
import { type ReactNode, useEffect, useRef } from 'react';
import { formatMaxAttempts } from '../../display/badge-label.js';
import { formatDateTime, formatDuration, formatRelativeTime } from '../../display/format-time.js';
import { useJob } from '../../hooks/use-job.js';
import { JobRetryBadge } from '../job-retry-badge.js';
import { ActionButtons } from './action-buttons.js';
import { useDashboard } from './dashboard-context.js';
import { JobSummary } from './job-summary.js';
import { JsonBlock } from './json-block.js';

/**
 * The detail panel of one job: state, payload and result (collapsible JSON), every failed attempt
 * with its error, category, delay and time, the next retry, the lease owner and the checkpoint.
 */
export function JobDetailPanel({ id, pollIntervalMs }: { id: string; pollIntervalMs: number | false }) {
  const { displayName, openJob, now, locale } = useDashboard();
  const { job, history, loading, error } = useJob(id, { pollIntervalMs });
  const closeRef = useRef<HTMLButtonElement>(null);
  // Focus moves into the panel when it opens, and back to the job's name in the list when it closes.
  useEffect(() => {
    closeRef.current?.focus();
    return () => document.getElementById(`redrive-name-${id}`)?.focus();
  }, [id]);
  const t = now();
  const time = (at: number) => (
    <time dateTime={new Date(at).toISOString()} title={formatDateTime(at, locale)}>
      {formatRelativeTime(at, t, locale)}
    </time>
  );
  const nextRetry = job && job.status === 'queued' && job.attempt > 0 && job.runAt > t ? job.runAt : null;
  return (
    <aside
      // biome-ignore lint/a11y/noRedundantRoles: an <aside> inside a <section> is complementary only when named, in newer mappings; the role makes it so everywhere
      role="complementary"
      aria-label="Job details"
      className="redrive-detail"
      onKeyDown={(e) => {
        if (e.key === 'Escape') openJob(null);
      }}
    >
      <div className="redrive-detail-head">
        <h2>{job ? displayName(job) : 'Job'}</h2>
        <button
          ref={closeRef}
          type="button"
          className="redrive-button"
          aria-label="Close details"
          onClick={() => openJob(null)}
        >
          ✕
        </button>
      </div>
      {loading && <div role="status">Loading…</div>}
      {error && (
        <div role="alert" className="redrive-alert">
          {error.message}
        </div>
      )}
      {job === null && <p className="redrive-empty">This job was deleted.</p>}
      {job && (
        <>
          <div className="redrive-detail-status">
            <JobRetryBadge job={job} />
            <ActionButtons job={job} />
          </div>
          <JobSummary job={job} />
          <dl className="redrive-facts">
            <dt>Id</dt>
            <dd className="redrive-id">{job.id}</dd>
            <dt>Type</dt>
            <dd>{job.type}</dd>
            <dt>Attempts</dt>
            <dd>
              {job.attempt} of {formatMaxAttempts(job.maxAttempts)}
            </dd>
            <dt>Created</dt>
            <dd>{time(job.createdAt)}</dd>
            <dt>Updated</dt>
            <dd>{time(job.updatedAt)}</dd>
            {nextRetry !== null && (
              <>
                <dt>Next retry</dt>
                <dd>{time(nextRetry)}</dd>
              </>
            )}
            <dt>Lease owner</dt>
            <dd>{job.leaseOwner ?? '—'}</dd>
            {job.leaseExpiresAt !== null && (
              <>
                <dt>Lease expires</dt>
                <dd>{time(job.leaseExpiresAt)}</dd>
              </>
            )}
            {job.suggestedAction && (
              <>
                <dt>Suggested action</dt>
                <dd>{job.suggestedAction}</dd>
              </>
            )}
          </dl>
          <section>
            <h3>Payload</h3>
            <JsonBlock value={job.payload} label="payload" />
          </section>
          <section>
            <h3>Result</h3>
            {job.result === null ? (
              <p className="redrive-muted">None</p>
            ) : (
              <JsonBlock value={job.result} label="result" />
            )}
          </section>
          <section>
            <h3>Attempt history</h3>
            {history.length === 0 ? (
              <p className="redrive-muted">No failed attempts.</p>
            ) : (
              <ol aria-label="Attempt history" className="redrive-timeline">
                {history.map((entry) => (
                  <AttemptItem key={`${entry.attempt}-${entry.timestamp}`} entry={entry} time={time} />
                ))}
              </ol>
            )}
          </section>
          <section>
            <h3>Checkpoint</h3>
            {job.checkpoint ? (
              <>
                <p>
                  {job.checkpoint.stage}
                  {job.checkpoint.pauseSafe ? ' (pause-safe)' : ''}, saved {time(job.checkpoint.savedAt)}
                </p>
                <JsonBlock value={job.checkpoint.data} label="checkpoint data" />
              </>
            ) : (
              <p className="redrive-muted">None</p>
            )}
          </section>
        </>
      )}
    </aside>
  );
}

function AttemptItem({ entry, time }: { entry: RetryHistoryEntry; time: (at: number) => ReactNode }) {
  const category = isErrorCategory(entry.errorCategory)
    ? getErrorCategoryLabel(entry.errorCategory)
    : entry.errorCategory;
  return (
    <li>
      <strong>Attempt {entry.attempt}</strong> · {category} · {time(entry.timestamp)}
      <p className="redrive-error-text">{entry.error}</p>
      <p className="redrive-muted">
        {entry.deadLettered
          ? 'Sent to the dead-letter queue'
          : `Retried after ${formatDuration(entry.delayMs)}`}
      </p>
    </li>
  );
}
