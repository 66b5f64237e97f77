import type { StorageAdapter } from './storage-adapter.js';

/**
 * What an adapter can do beyond the required methods. Every flag is optional and defaults to
 * `false` ({@link ADAPTER_CAPABILITY_DEFAULTS}): core reads them only through
 * {@link resolveCapabilities}, so a capability added in a later release is simply "absent" for an
 * adapter written before it, and core falls back. The conformance suite skips the checks of a
 * capability the adapter does not claim.
 */
export interface AdapterCapabilities {
  /** `subscribe` delivers wake-ups (e.g. Postgres LISTEN/NOTIFY), so idle workers need not poll. */
  subscribe?: boolean;
  /** `enqueue` accepts `{ db }`: the caller's transaction. */
  transactionalEnqueue?: boolean;
  /** `transitionMany` exists: bulk actions change many jobs in one call instead of one call per job. */
  bulkTransition?: boolean;
  /** `listWorkers` exists. */
  workers?: boolean;
  /** `releaseWorker` exists (a stopped runner is forgotten at once, not when it ages out of `listWorkers`). */
  releaseWorker?: boolean;
  /**
   * The store keeps the two facts core's crash refund reads (no method of its own): `claim` starts
   * every lease as not reported started, `heartbeat` records the leases a worker reports started
   * (`LeaseRef.started`), `release` with `crashRefund` adds 1 to the job's crash refunds, and
   * `recoverExpiredLeases` hands both back (`RecoveredJob`). Core then gives back the attempt
   * of a job whose worker died before starting it. Without it, every expired lease costs an attempt.
   */
  crashRefunds?: boolean;
  /** `throughput` exists (finished jobs per minute, for a dashboard's chart). */
  throughput?: boolean;
}

/** The capabilities with every flag filled in. */
export type ResolvedCapabilities = Required<AdapterCapabilities>;

/** Every capability off: what an adapter that declares nothing gets. */
export const ADAPTER_CAPABILITY_DEFAULTS: Readonly<ResolvedCapabilities> = Object.freeze({
  subscribe: false,
  transactionalEnqueue: false,
  bulkTransition: false,
  workers: false,
  releaseWorker: false,
  crashRefunds: false,
  throughput: false,
});

/** The method each capability promises: a flag without its method counts as absent. */
const CAPABILITY_METHODS: Readonly<Partial<Record<keyof AdapterCapabilities, keyof StorageAdapter>>> = {
  subscribe: 'subscribe',
  bulkTransition: 'transitionMany',
  workers: 'listWorkers',
  releaseWorker: 'releaseWorker',
  throughput: 'throughput',
};

/**
 * The adapter's capabilities over the defaults: a flag is on only when the adapter declares it
 * `true` and, for a capability that is a method, implements that method.
 *
 * @example
 * if (resolveCapabilities(adapter).bulkTransition) await adapter.transitionMany!(filter, request);
 */
export function resolveCapabilities(adapter: Pick<StorageAdapter, 'capabilities'>): ResolvedCapabilities {
  const declared = (adapter.capabilities ?? {}) as AdapterCapabilities;
  const resolved = { ...ADAPTER_CAPABILITY_DEFAULTS };
  for (const key of Object.keys(resolved) as Array<keyof ResolvedCapabilities>) {
    const method = CAPABILITY_METHODS[key];
    resolved[key] =
      Object.hasOwn(declared, key) &&
      declared[key] === true &&
      (method === undefined || typeof (adapter as Record<string, unknown>)[method] === 'function');
  }
  return resolved;
}
