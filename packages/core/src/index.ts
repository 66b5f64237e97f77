// Public API of @redrive/core. Explicit named exports only (tree-shaking, and a readable surface).

export {
  ADAPTER_CAPABILITY_DEFAULTS,
  type AdapterCapabilities,
  type ResolvedCapabilities,
  resolveCapabilities,
} from './adapter/capabilities.js';
export type {
  AdapterStats,
  CheckpointRequest,
  ClaimRequest,
  CompleteRequest,
  CompleteResult,
  DeleteJobsOptions,
  EnqueueOptions,
  EnqueueResult,
  FailRequest,
  FailResult,
  FencedWriteResult,
  HeartbeatRequest,
  HeartbeatResult,
  JobFilter,
  JobPage,
  JobPatch,
  LeaseRef,
  ListRequest,
  NewJobRecord,
  ProgressRequest,
  PurgeRequest,
  RecoveredJob,
  RecoverRequest,
  ReleaseRequest,
  ReleaseResult,
  ReleaseWorkerRequest,
  TransitionRequest,
  TransitionResult,
  WakeUp,
  WorkerInfo,
  WriteRefused,
} from './adapter/requests.js';
export {
  missingAdapterMethods,
  REQUIRED_ADAPTER_METHODS,
  type RequiredAdapterMethod,
  type StorageAdapter,
} from './adapter/storage-adapter.js';
export {
  THROUGHPUT_BUCKET_MS,
  type ThroughputBucket,
  type ThroughputRequest,
} from './adapter/throughput.js';
export * from './backoff/index.js';
export { ERROR_CATEGORIES, type ErrorCategory, isErrorCategory } from './classify/categories.js';
export * from './classify/index.js';
export * from './clock/index.js';
export * from './config/index.js';
export { NonRetryableError, PermanentError, RetryableError, SnoozeError } from './errors/job-errors.js';
export {
  AdapterError,
  InvalidStateError,
  isRedriveError,
  LeaseLostError,
  NotFoundError,
  RedriveError,
  type RedriveErrorCode,
  ValidationError,
  type ValidationIssue,
} from './errors/redrive-error.js';
export { toDeadLetter } from './job/dead-letter.js';
export { jobFromRecord } from './job/from-record.js';
export {
  type ClaimedJob,
  type DeadLetter,
  JOB_STATUSES,
  type Job,
  type JobCheckpoint,
  type JobProgress,
  type JobStatus,
  type RetryHistoryEntry,
} from './job/job.js';
export * from './queue/index.js';
export * from './retry/index.js';
export * from './runner/index.js';
