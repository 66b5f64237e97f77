'use client';
import { getErrorCategoryLabel, isErrorCategory, type Job } from '@redrive/core';
import { useId } from 'react';
import {
  type BadgeInput,
  type BadgeKind,
  badgeLabel,
  formatMaxAttempts,
  mostAttempts,
} from '../display/badge-label.js';

/** Props of {@link JobRetryBadge}: a whole `job`, or the hand-built badges' props. */
export type JobRetryBadgeProps = (
  | { job: Pick<Job, 'status' | 'attempt' | 'maxAttempts' | 'errorCategory'> }
  | (BadgeInput & { job?: undefined })
) & {
  /** Extra class names for the outer `<span>`. */
  className?: string | undefined;
};

// Text symbols rather than an icon font or SVG sprite: nothing to load, and they follow `color`.
const ICONS: Record<BadgeKind, string> = {
  completed: '✓',
  failed: '✕',
  running: '◐',
  queued: '○',
  retrying: '↻',
  cancelled: '⊘',
  paused: '❚❚',
};

/**
 * A status badge: icon and label (Completed, Failed, Running, Queued, "Retry n/max", Cancelled,
 * Paused) with a tooltip naming the status, the attempts and the error category's human label.
 * Styled by `@redrive/react/styles.css` (`.redrive-badge[data-status]`).
 *
 * @example
 * <JobRetryBadge job={job} />
 * <JobRetryBadge status="queued" retryCount={2} maxAttempts={5} errorCategory="transient_network" />
 * <JobRetryBadge status="queued" retryCount={2} maxRetries={5} /> // the hand-built badges' prop name, same number
 */
export function JobRetryBadge(props: JobRetryBadgeProps) {
  const input: BadgeInput = props.job
    ? {
        status: props.job.status,
        retryCount: props.job.attempt,
        maxAttempts: props.job.maxAttempts,
        errorCategory: props.job.errorCategory,
      }
    : props;
  const { kind, label } = badgeLabel(input);
  const tooltip = badgeTooltip(input);
  const descriptionId = useId();
  // The icon is drawn by CSS from `data-icon` and the description sits beside the badge, so the
  // badge's text is exactly its label (what people and `getByText('Queued')` read).
  return (
    <>
      <span
        className={props.className ? `redrive-badge ${props.className}` : 'redrive-badge'}
        data-status={input.status}
        data-kind={kind}
        title={tooltip}
        aria-describedby={descriptionId}
      >
        <span className="redrive-badge-icon" aria-hidden="true" data-icon={ICONS[kind]} />
        {label}
      </span>
      <span id={descriptionId} className="redrive-visually-hidden">
        {tooltip}
      </span>
    </>
  );
}

/** "Status: queued · Attempts: 2 of 5 · Last error: Rate limited". */
export function badgeTooltip(input: BadgeInput): string {
  const parts = [`Status: ${input.status}`];
  if (input.retryCount !== undefined) {
    parts.push(`Attempts: ${input.retryCount} of ${formatMaxAttempts(mostAttempts(input))}`);
  }
  if (input.errorCategory && isErrorCategory(input.errorCategory)) {
    parts.push(`Last error: ${getErrorCategoryLabel(input.errorCategory)}`);
  }
  return parts.join(' · ');
}
