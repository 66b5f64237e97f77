// Public exports of the queue area (re-exported by src/index.ts). Explicit names only.
export { createQueue, DEFAULT_HISTORY_LIMIT } from './create-queue.js';
export { DEFAULT_DLQ_RETENTION_MS } from './dead-letters.js';
export { JOB_FILTER_KEYS, type JobFilterKey } from './filter-keys.js';
export type {
  ClaimedJobOf,
  DeadLetterOf,
  InferJobMap,
  InferSchemaInput,
  InferSchemaOutput,
  JobDefinition,
  JobInput,
  JobMap,
  JobOf,
  JobPayload,
  JobResult,
  JobTypeName,
} from './job-map.js';
export type { BackoffFunction, JobTypePolicy, PayloadSchema, ResolvedPolicy } from './policy.js';
// For integrations that apply a policy outside a queue (e.g. a Cloudflare Queues consumer).
export { resolvePolicy } from './policy.js';
export { DEFAULT_RETENTION_MS, PURGEABLE_STATUSES } from './retention.js';
export { MAX_THROUGHPUT_WINDOW_MS } from './throughput.js';
export { canApply, JOB_ACTIONS, type JobAction } from './transitions.js';
export type {
  BulkResult,
  CreateQueueOptions,
  DeadLetterQueue,
  EnqueueFunction,
  EnqueueItem,
  EnqueueJobOptions,
  HealthReport,
  IdsOrFilter,
  JobMapOf,
  ListJobsFilter,
  PoliciesFor,
  PolicyMap,
  PurgeDeadLettersOptions,
  PurgeJobsOptions,
  Queue,
  QueueClassifierOptions,
  QueueEvents,
  QueueStats,
  StatusCounts,
  TenantScope,
  Throughput,
  ThroughputQuery,
  TypedJobFilter,
} from './types.js';
