// Public exports of the runner area (re-exported by src/index.ts). Explicit names only.
export { JobAbortError, type JobAbortKind } from './abort-reasons.js';
export { type DecideFailureInput, decideFailure, type FailureDecision } from './decide-failure.js';
export { JobRunner } from './job-runner.js';
export type { RunnerCounters } from './runner-host.js';
export type {
  DrainOptions,
  DrainSummary,
  JobContext,
  JobHandler,
  JobHandlers,
  JobRunnerOptions,
  RecoveredLeases,
  RunnerEvents,
} from './types.js';
