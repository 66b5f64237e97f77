// Public exports of the backoff area (re-exported by src/index.ts). Explicit names only.
export { type BackoffContext, calculateBackoffDelay } from './calculate-backoff-delay.js';
export { createRetrySchedule } from './create-retry-schedule.js';
export { shouldRetry } from './should-retry.js';
