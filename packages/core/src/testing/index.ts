// @redrive/core/testing — the adapter conformance suite.
export { ConformanceFailure } from './assert.js';
export { conformanceChecks, conformanceGroups } from './checks.js';
export {
  enqueueJob,
  enqueueJobs,
  failRequest,
  historyEntry,
  LEASE_MS,
  newJobRecord,
  recoverRequest,
  T0,
} from './fixtures.js';
export { runAdapterConformance, runConformanceCheck } from './run-conformance.js';
export type {
  ConformanceCheck,
  ConformanceContext,
  ConformanceInspector,
  ConformanceOptions,
  ConformanceTestApi,
} from './types.js';
