import { capabilityChecks } from './suites/capabilities.js';
import { claimChecks } from './suites/claim.js';
import { clauseChecks } from './suites/clauses.js';
import { concurrencyChecks } from './suites/concurrency.js';
import { crashRefundChecks } from './suites/crash-refunds.js';
import { enqueueChecks } from './suites/enqueue.js';
import { failureChecks } from './suites/failure.js';
import { fencingChecks } from './suites/fencing.js';
import { heartbeatChecks } from './suites/heartbeat.js';
import { hostileInputChecks } from './suites/hostile-input.js';
import { listingChecks } from './suites/listing.js';
import { maintenanceChecks } from './suites/maintenance.js';
import { recoveryChecks } from './suites/recovery.js';
import { statsChecks } from './suites/stats.js';
import { throughputChecks } from './suites/throughput.js';
import { transitionChecks } from './suites/transition.js';
import type { ConformanceCheck } from './types.js';

/**
 * Every conformance check, grouped by topic (the `describe` blocks of `runAdapterConformance`).
 * Read-only: pick checks from here to run a subset programmatically.
 */
export const conformanceGroups: Readonly<Record<string, readonly ConformanceCheck[]>> = {
  enqueue: enqueueChecks,
  claim: claimChecks,
  concurrency: concurrencyChecks,
  fencing: fencingChecks,
  heartbeat: heartbeatChecks,
  recovery: recoveryChecks,
  'crash refunds': crashRefundChecks,
  'fail and release': failureChecks,
  transition: transitionChecks,
  listing: listingChecks,
  stats: statsChecks,
  maintenance: maintenanceChecks,
  capabilities: capabilityChecks,
  'hostile input': hostileInputChecks,
  'clauses where stores could differ': clauseChecks,
  throughput: throughputChecks,
};

/** Every conformance check, flat. */
export const conformanceChecks: readonly ConformanceCheck[] = Object.values(conformanceGroups).flat();
