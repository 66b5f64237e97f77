'use client';
import type { Job } from '@redrive/core';
import { formatRelativeTime } from '../../display/format-time.js';
import { useDashboard } from './dashboard-context.js';

/** A heartbeat counts as live when the job was updated this recently. */
export const HEARTBEAT_LIVE_MS = 10_000;

/**
 * What a row says about a job besides its name and badge: progress (percent, stage, substage,
 * details), a pulse while its worker reports, the last error (as text), checkpoint and pause reason.
 */
export function JobSummary({ job }: { job: Job }) {
  const { now, locale } = useDashboard();
  const t = now();
  const live = job.status === 'running' && t - job.updatedAt < HEARTBEAT_LIVE_MS;
  return (
    <div className="redrive-summary">
      {job.status === 'running' && job.progress && <ProgressBar job={job} />}
      {live && (
        <span
          className="redrive-pulse"
          role="img"
          aria-label={`Live: updated ${formatRelativeTime(job.updatedAt, t, locale)}`}
        />
      )}
      {job.error && job.status !== 'completed' && <p className="redrive-error-text">{job.error}</p>}
      {job.checkpoint && (
        <p className="redrive-muted">
          Checkpoint: {job.checkpoint.stage}
          {job.checkpoint.pauseSafe ? ' (pause-safe)' : ''},{' '}
          {formatRelativeTime(job.checkpoint.savedAt, t, locale)}
        </p>
      )}
      {job.status === 'paused' && job.pauseReason && (
        <p className="redrive-muted">Paused: {job.pauseReason}</p>
      )}
    </div>
  );
}

/** A progress bar with the stage / substage / details line under it. */
export function ProgressBar({ job }: { job: Job }) {
  const p = job.progress;
  if (!p) return null;
  const percent = Math.max(0, Math.min(100, Math.round(p.percent)));
  const stage = [p.stage, p.substage].filter(Boolean).join(' › ');
  return (
    <div className="redrive-progress">
      <div
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-label={stage ? `Progress: ${stage}` : 'Progress'}
        className="redrive-progress-track"
      >
        <div className="redrive-progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="redrive-progress-text">
        {percent}%{stage ? ` · ${stage}` : ''}
        {p.details ? ` · ${p.details}` : ''}
      </span>
    </div>
  );
}
