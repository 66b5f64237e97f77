import type { ErrorCategory } from '../classify/categories.js';

/**
 * Where a job is in its life (see docs/concepts/lifecycle.md).
 *
 * - `queued`: waiting to run; includes delayed jobs and jobs whose retry is scheduled (`runAt` in the future).
 * - `running`: claimed by a worker that holds its lease.
 * - `paused`: held by a person or at a pause-safe checkpoint; not claimable until resumed.
 * - `completed`: the handler returned.
 * - `failed`: dead-lettered (a permanent error, or retries exhausted). The dead-letter queue is the set of failed jobs.
 * - `cancelled`: stopped by a person; a running handler is aborted.
 */
export const JOB_STATUSES = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled'] as const;

/** One of {@link JOB_STATUSES}. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Progress reported by a handler through `ctx.progress(...)`. `percent` is 0..100. */
export interface JobProgress {
  percent: number;
  stage?: string | undefined;
  substage?: string | undefined;
  /** Free text for people, e.g. "Embedding chunk 234 of 500". */
  details?: string | undefined;
}

/** The last checkpoint a handler saved with `ctx.checkpoint(stage, data, { pauseSafe })`. */
export interface JobCheckpoint {
  stage: string;
  data: unknown;
  /** Hex SHA-256 of the JSON of `data`, checked before the data is handed back to a handler. */
  hash: string;
  pauseSafe: boolean;
  savedAt: number;
}

/**
 * A stored job. Timestamps are epoch milliseconds (numbers), as in BullMQ, so the same
 * object crosses every adapter and the HTTP API unchanged.
 *
 * The type parameters come from a queue's job map (see `JobMap`): `Job<{ to: string }, { sent: boolean },
 * 'send-email'>` is a `send-email` job. A queue without a map gives `Job` (payload and result `unknown`).
 */
export interface Job<Payload = unknown, Result = unknown, Type extends string = string> {
  id: string;
  type: Type;
  /** Queue name; `'default'` unless given. Workers may claim from some queues only. */
  queue: string;
  tenantId: string | null;
  payload: Payload;
  status: JobStatus;
  /** Higher runs first; equal priorities run oldest first. Default 0. */
  priority: number;
  progress: JobProgress | null;
  /**
   * Attempts used: executions started, minus those given back (1 while the first run is going on).
   * A snooze, a pause at a checkpoint, or a claim never started (shutdown) gives its attempt back,
   * so a job whose first run snoozed reads 0 again; a run stopped on shutdown after its handler
   * started, or lost to a crash, keeps it. See docs/concepts/attempts.md.
   */
  attempt: number;
  /**
   * The most executions this job gets: `maxAttempts: 5` means at most 5 runs, so at most 4 retries
   * (the same number as BullMQ `attempts`). Options accept `maxRetries` as an alias of `maxAttempts`.
   */
  maxAttempts: number;
  /** Last error message, if any attempt failed. */
  error: string | null;
  /** Stack of the last error, truncated. */
  errorStack: string | null;
  errorCategory: ErrorCategory | null;
  lastErrorAt: number | null;
  /** Not claimed before this time: the delay, or the next retry (`next_retry_at`). */
  runAt: number;
  createdAt: number;
  updatedAt: number;
  /** When the current (or last) execution started. */
  startedAt: number | null;
  completedAt: number | null;
  /** When the job was dead-lettered (status `failed`). */
  failedAt: number | null;
  title: string | null;
  metadata: Record<string, unknown>;
  result: Result | null;
  /** Worker id holding the lease while `running`. */
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  checkpoint: JobCheckpoint | null;
  pausedAt: number | null;
  resumedAt: number | null;
  pauseReason: string | null;
  resumeCount: number;
  /** A pause was asked for while the job was running; the worker pauses it at its checkpoint. */
  pauseRequested: boolean;
  idempotencyKey: string | null;
  /** Longest one attempt may run before its `ctx.signal` aborts it and it fails as `transient_timeout`. */
  timeoutMs: number | null;
  /** How many times the job was sent back from the dead-letter queue. */
  redriveCount: number;
  /** For dead letters: true when a person must act (permanent categories). */
  requiresUserAction: boolean;
  /** For dead letters: what to do, from the error category (e.g. "Check API credentials and permissions"). */
  suggestedAction: string | null;
}

/** A job as `claim` returns it: running, leased, with the token that fences every later write. */
export interface ClaimedJob<Payload = unknown, Result = unknown, Type extends string = string>
  extends Job<Payload, Result, Type> {
  status: 'running';
  /** Unique per claim; every fenced write (complete, fail, progress, ...) must present it. */
  leaseToken: string;
  leaseOwner: string;
  leaseExpiresAt: number;
}

/** One failed attempt, as kept in a job's retry history. */
export interface RetryHistoryEntry {
  attempt: number;
  error: string;
  /** Truncated stack, when the error had one. */
  stack: string | null;
  errorCategory: ErrorCategory;
  /** How long the job waited before its next run; 0 when it was dead-lettered. */
  delayMs: number;
  /** True when this attempt sent the job to the dead-letter queue. */
  deadLettered: boolean;
  timestamp: number;
}

/**
 * A dead letter: a `failed` job seen from the dead-letter queue, with the context to
 * act on it. Its `id` is the job's id: redrive sends that same job back to `queued`.
 * `history` is filled by `deadLetters.get(id)`; `deadLetters.list()` leaves it out.
 */
export interface DeadLetter<Payload = unknown, Type extends string = string> {
  id: string;
  type: Type;
  queue: string;
  tenantId: string | null;
  payload: Payload;
  /** Final error message and (truncated) stack. */
  error: string;
  errorStack: string | null;
  errorCategory: ErrorCategory;
  /** Executions used, and the most it was allowed. */
  attempts: number;
  maxAttempts: number;
  failedAt: number;
  requiresUserAction: boolean;
  suggestedAction: string | null;
  redriveCount: number;
  /** The whole job as stored. */
  job: Job<Payload, unknown, Type>;
  history?: RetryHistoryEntry[];
}
