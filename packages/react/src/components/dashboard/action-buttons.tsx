'use client';
import type { Job } from '@redrive/core';
import { ACTION_LABELS, jobActionsFor } from '../../display/job-actions-for.js';
import type { JobActionKind } from '../../hooks/use-job-actions.js';
import { useDashboard } from './dashboard-context.js';

/** Props of {@link ActionButtons}. */
export interface ActionButtonsProps {
  job: Job;
  /** Id of the element naming the job (the buttons' accessible description). */
  describedBy?: string | undefined;
  /** Actions to offer instead of the status's (the dead-letter view offers redrive and delete). */
  actions?: JobActionKind[] | undefined;
}

/**
 * The buttons for what can be done to a job in its status. Each button's accessible name is the
 * action word alone ("Retry"); the job's name is its description. Hidden in read-only mode.
 */
export function ActionButtons({ job, describedBy, actions }: ActionButtonsProps) {
  const { readOnly, actions: run, announce, displayName } = useDashboard();
  if (readOnly) return null;
  const pending = run.pendingAction(job.id);
  const list = actions ?? jobActionsFor(job);
  const onClick = async (action: JobActionKind) => {
    const outcome = await run.run(action, job);
    announce(
      outcome.ok
        ? `${ACTION_LABELS[action]}: ${displayName(job)}`
        : `${ACTION_LABELS[action]} failed: ${outcome.error.message}`,
    );
  };
  return (
    <div className="redrive-actions">
      {list.map((action) => (
        <button
          key={action}
          type="button"
          className={`redrive-button redrive-action-${action}`}
          aria-describedby={describedBy}
          disabled={pending !== undefined}
          aria-busy={pending === action || undefined}
          onClick={() => onClick(action)}
        >
          {ACTION_LABELS[action]}
        </button>
      ))}
      {job.status === 'running' && job.pauseRequested && (
        <span className="redrive-muted">Pause requested</span>
      )}
    </div>
  );
}
