import type { ErrorCategory, JobStatus } from '@redrive/core';

/** What the badge needs to know: the hand-built badges' props, also read off a whole job. */
export interface BadgeInput {
  status: JobStatus;
  /** Attempts used so far (`job.attempt`). */
  retryCount?: number | undefined;
  /** Most attempts (`job.maxAttempts`); `null` or `Infinity` shows "∞". */
  maxAttempts?: number | null | undefined;
  /**
   * Alias of `maxAttempts`, the prop name of the hand-built badges this one replaces. When both are
   * given, `maxAttempts` wins (a badge never throws while rendering).
   */
  maxRetries?: number | null | undefined;
  errorCategory?: ErrorCategory | null | undefined;
}

/** The badge's kind: a status, or `retrying` for a queued job that has failed before. */
export type BadgeKind = JobStatus | 'retrying';

const LABELS: Record<JobStatus, string> = {
  completed: 'Completed',
  failed: 'Failed',
  running: 'Running',
  queued: 'Queued',
  cancelled: 'Cancelled',
  paused: 'Paused',
};

/**
 * The badge label: "Completed", "Failed", "Running", "Queued", "Cancelled", "Paused", or
 * "Retry n/max" for a queued job that already used attempts (n = attempts used, max = most
 * attempts, the two numbers docs/concepts/attempts.md defines).
 *
 * @example badgeLabel({ status: 'queued', retryCount: 2, maxAttempts: 5 }) // "Retry 2/5"
 */
export function badgeLabel(input: BadgeInput): { kind: BadgeKind; label: string } {
  const used = input.retryCount ?? 0;
  if (input.status === 'queued' && used > 0) {
    return { kind: 'retrying', label: `Retry ${used}/${formatMaxAttempts(mostAttempts(input))}` };
  }
  return { kind: input.status, label: LABELS[input.status] ?? String(input.status) };
}

/** The most attempts the input gives: `maxAttempts`, else its alias `maxRetries`. */
export function mostAttempts(input: BadgeInput): number | null | undefined {
  return input.maxAttempts !== undefined ? input.maxAttempts : input.maxRetries;
}

/** The most attempts for display: "∞" for unlimited (`Infinity`, which JSON carries as `null`). */
export function formatMaxAttempts(max: number | null | undefined): string {
  return max == null || !Number.isFinite(max) ? '∞' : String(max);
}
