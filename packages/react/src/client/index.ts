// The framework-free client layer (also published as `@redrive/react/client`, no React needed).
export { createHttpClient, type HttpClientOptions } from './create-http-client.js';
export { createQueueClient, type QueueLike } from './create-queue-client.js';
export type {
  BulkActionName,
  DeadLetterTarget,
  JobActionName,
  JobHistory,
  JobsClient,
  JobsQuery,
  Page,
  PageQuery,
  ThroughputBucket,
  ThroughputQuery,
} from './jobs-client.js';
export {
  isJobsClientError,
  JobsClientError,
  type JobsClientIssue,
  toJobsClientError,
} from './jobs-client-error.js';
export { toJobFilter } from './to-job-filter.js';
