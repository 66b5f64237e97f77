import type { ErrorCategory } from '../classify/categories.js';
import type { ClaimedJob, JobProgress } from '../job/job.js';
import type {
  ClaimedJobOf,
  DeadLetterOf,
  HandlerPayload,
  JobMap,
  JobOf,
  JobResult,
  JobTypeName,
} from '../queue/job-map.js';
import type { Queue } from '../queue/types.js';
import type { RunnerCounters } from './runner-host.js';

/**
 * What a handler receives besides the job. `signal` aborts on cancel, pause (at a pause-safe
 * checkpoint), timeout, lease loss and stop; its `reason` says which (a {@link JobAbortError}
 * or a `LeaseLostError`).
 */
export interface JobContext {
  /** Aborted when the run must stop; pass it to fetch(), DB calls, loops. Created on first access. */
  readonly signal: AbortSignal;
  /** This execution's number, 1-based (the same as `job.attempt`). */
  readonly attempt: number;
  readonly workerId: string;
  /**
   * Data of the last valid checkpoint (its SHA-256 matched), or `undefined` for a fresh run.
   * A tampered or missing checkpoint gives `undefined`: the handler starts over.
   */
  readonly checkpointData: unknown;
  /** Stage name of that checkpoint, or `undefined`. */
  readonly checkpointStage: string | undefined;
  /**
   * Report progress (percent 0…100, stage, substage, details). Writes are throttled
   * (`progressThrottleMs`); the last value is always written before the job finishes.
   */
  progress(progress: JobProgress): Promise<void>;
  /**
   * Save a stage result with its SHA-256 hash. `pauseSafe: true` marks a place where the job may be
   * paused: if a pause was requested, `signal` aborts after this call and the job is paused here.
   */
  checkpoint(stage: string, data: unknown, options?: { pauseSafe?: boolean }): Promise<void>;
  /** Reschedule this job `ms` from now without using an attempt (throws a SnoozeError; do not catch it). */
  snooze(ms: number): never;
}

/**
 * A handler for one job type: do the work, return a result (stored on the job), or throw. In a queue
 * with a job map, `job.payload` is the type's payload and the handler must return its `result`;
 * without one, the payload is `any`.
 */
export type JobHandler<Payload = any, Result = unknown, Type extends string = string> = (
  job: ClaimedJob<Payload, Result, Type>,
  ctx: JobContext,
) => Result | Promise<Result>;

/**
 * The `handlers` of a runner over a queue with job map `Jobs`: at most one per job type of the map
 * (another name is a compile error in an object literal, unless the map is open). Without a map,
 * any names.
 */
export type JobHandlers<Jobs> = 0 extends 1 & Jobs
  ? Record<string, JobHandler>
  : {
      [Type in keyof Jobs]?:
        | (string extends Type
            ? OtherTypesHandler<HandlerPayload<Jobs, Type>, JobResult<Jobs, Type>>
            : JobHandler<HandlerPayload<Jobs, Type>, JobResult<Jobs, Type>, Type & string>)
        | undefined;
    };

/**
 * The handler of the names an open map covers by its index signature. Checked bivariantly (a
 * method's parameter), so the handlers of the map's named types, whose `job.type` is a literal,
 * still fit the index signature.
 */
type OtherTypesHandler<Payload, Result> = {
  handle(job: ClaimedJob<Payload, Result, string>, ctx: JobContext): Result | Promise<Result>;
}['handle'];

/** Options of `new JobRunner(...)`. `Jobs` is the queue's job map, inferred from `queue`. */
export interface JobRunnerOptions<Jobs extends JobMap<Jobs> = any> {
  queue: Queue<Jobs>;
  /** A handler per job type. The runner claims only these types (narrow further with `types`). */
  handlers: JobHandlers<Jobs>;
  /** Jobs run at once. Default 10. */
  concurrency?: number | undefined;
  /** Lease length (ms): a worker silent this long loses its jobs to others. Default 30000. */
  leaseMs?: number | undefined;
  /** Heartbeat period (ms): extends leases, delivers cancel/pause. Default 5000; must be < leaseMs. */
  heartbeatMs?: number | undefined;
  /** Idle poll period (ms) when no wake-up arrives. Default 1000. */
  pollIntervalMs?: number | undefined;
  /** How often expired leases are recovered (ms). Default `leaseMs`. */
  recoverIntervalMs?: number | undefined;
  /** Default a random UUID. */
  workerId?: string | undefined;
  /** Only these job types (subset of the handlers' types). */
  types?: JobTypeName<Jobs>[] | undefined;
  /** Only these queues. Default: every queue. */
  queues?: string[] | undefined;
  /** Most jobs one claim asks for. Default `concurrency + claimAhead` (at most 10,000). */
  claimBatchSize?: number | undefined;
  /**
   * Most jobs held claimed ahead: leased to this worker (real leases, extended by its heartbeat)
   * before a slot is free for them, so a finished job's slot is refilled without waiting for a
   * claim round trip. The runner holds only about four claim round trips' worth of jobs at the
   * rate it starts them, up to this cap: near zero for slow jobs or an in-process store, up to the
   * cap for short jobs on a database. `stop()` and the end of `drain()` give buffered jobs back with
   * their attempt refunded; after a crash their leases expire and recovery gives their attempt back
   * too (a crash refund: the heartbeats listed them as not started; at most 2 per job). Also bounds how many finished jobs may wait for their outcome to be written (at least
   * `concurrency`), which keeps completion batches large. `0` turns claim-ahead off. Default
   * `16 × concurrency` (at most 10,000).
   */
  claimAhead?: number | undefined;
  /** Least time between two progress writes of one job (ms). Default 250. */
  progressThrottleMs?: number | undefined;
  /** Longest error stack kept per history entry (chars). Default 2048. */
  maxStackLength?: number | undefined;
  /** Longest error message kept (chars). Default 1024. */
  maxMessageLength?: number | undefined;
  /**
   * Longest time an `onDeadLetter` / `onRetriesExhausted` hook may take (ms). Hooks run outside the
   * job's slot; one still pending after this is reported as an `error` event and no longer waited
   * for by `drain()` or `stop()`. Default 30000.
   */
  hookTimeoutMs?: number | undefined;
}

/** Options of `runner.drain()`. */
export interface DrainOptions {
  /** Start at most this many jobs. Default: no limit. */
  maxJobs?: number | undefined;
  /** Stop claiming this many ms after the call (running jobs still finish). Default: no limit. */
  deadlineMs?: number | undefined;
}

/** What one `drain()` did: the runner's counters over the call, its duration and why it ended. */
export interface DrainSummary extends RunnerCounters {
  durationMs: number;
  /**
   * Why it stopped: nothing due, `maxJobs` reached, the deadline passed, or the store failed while
   * claiming (the `error` event has the error; jobs already running finished first).
   */
  reason: 'idle' | 'maxJobs' | 'deadline' | 'error';
}

/** Where the jobs of expired leases went, by job id (the `recovered` event). */
export interface RecoveredLeases {
  /** Retried: back to `queued` at the policy's backoff. */
  requeued: string[];
  /** Dead-lettered by the policy (last attempt, or a custom backoff's `'dead'`). */
  deadLettered: string[];
  /** A pause was asked for while the lease was held: now `paused`. */
  paused: string[];
  /**
   * Jobs whose run never started (their worker died with them claimed ahead): back to `queued` (or
   * `paused`) with their attempt given back. Each is also listed in `requeued` or `paused`.
   */
  refunded: string[];
}

/**
 * Events of a runner. Listeners must not throw; if they do, it is reported as `error`. With a job
 * map, `job` is a union of the map's jobs, discriminated by `type`.
 */
export interface RunnerEvents<Jobs extends JobMap<Jobs> = any> {
  started: (job: ClaimedJobOf<Jobs>) => void;
  progress: (job: ClaimedJobOf<Jobs>, progress: JobProgress) => void;
  checkpoint: (job: ClaimedJobOf<Jobs>, stage: string) => void;
  /** The stored checkpoint failed its hash check (or could not be read): the run starts fresh. */
  checkpointInvalid: (job: ClaimedJobOf<Jobs>, reason: string) => void;
  /** The handler returned `result` (one of the map's results; narrow it by `job.type`). */
  completed: (job: ClaimedJobOf<Jobs>, result: JobResult<Jobs, JobTypeName<Jobs>>) => void;
  retryScheduled: (
    job: ClaimedJobOf<Jobs>,
    info: { error: unknown; category: ErrorCategory; delayMs: number; runAt: number },
  ) => void;
  deadLettered: (
    deadLetter: DeadLetterOf<Jobs>,
    info: { error: unknown; category: ErrorCategory; exhausted: boolean },
  ) => void;
  snoozed: (job: ClaimedJobOf<Jobs>, info: { delayMs: number; runAt: number }) => void;
  /** The worker lost the job's lease (expired, re-claimed, deleted): its outcome was not recorded. */
  leaseLost: (job: ClaimedJobOf<Jobs> | { id: string }) => void;
  /** The job was paused at its checkpoint. */
  paused: (job: ClaimedJobOf<Jobs>) => void;
  /** The job was cancelled while running; its handler was aborted. */
  cancelled: (job: ClaimedJobOf<Jobs>) => void;
  /**
   * Expired leases were recovered, each recorded as a failed attempt (its `retryScheduled`,
   * `paused` or `deadLettered` event came first) or, when its run never started, given back with
   * its attempt (`refunded`): the job ids by where they went.
   */
  recovered: (result: RecoveredLeases) => void;
  /** Something went wrong outside a handler (adapter down, hook threw). The runner keeps going. */
  error: (error: unknown, job?: JobOf<Jobs>) => void;
}
