import type { StorageAdapter } from '../adapter/storage-adapter.js';
import type { Clock } from '../clock/clock.js';
import { ValidationError } from '../errors/redrive-error.js';
import type { ResolvedPolicy } from './policy.js';
import type { Queue, QueueClassifierOptions } from './types.js';

/**
 * What a queue knows that its users do not call: the store, the clock, the resolved policies.
 * The runner (and core's own tests) reach it through {@link queueInternals}; it is not part of
 * the public `Queue` type, so none of it is API a user could come to depend on.
 */
export interface QueueInternals {
  readonly adapter: StorageAdapter;
  readonly clock: Clock;
  /** Retry-history entries kept per job. */
  readonly historyLimit: number;
  readonly classifier: QueueClassifierOptions | undefined;
  readonly random: () => number;
  /** The resolved policy for a job type (the default policy when it has none). */
  policyFor(type: string): ResolvedPolicy;
}

// A registry symbol rather than a module-private WeakMap: the CommonJS build bundles each entry
// point on its own, and an app may end up with two copies of core (ESM beside CJS, or two
// versions in node_modules). A queue made by one copy must still run under another copy's
// JobRunner; `Symbol.for` is the same symbol in every copy. The property is non-enumerable, so
// it shows up in no spread, JSON or console output.
const INTERNALS = Symbol.for('@redrive/core/queue-internals');

/** Attach the internals to a queue object made by `createQueue` (once, read-only, hidden). */
export function attachQueueInternals<Q extends object>(queue: Q, internals: QueueInternals): Q {
  Object.defineProperty(queue, INTERNALS, { value: internals, enumerable: false, writable: false });
  return queue;
}

/** True for a queue made by `createQueue` (of any copy of core). */
export function isQueue(value: unknown): value is Queue {
  return typeof value === 'object' && value !== null && INTERNALS in value;
}

/** The internals of a queue made by `createQueue`; ValidationError for anything else. */
export function queueInternals(queue: Queue): QueueInternals {
  if (!isQueue(queue)) {
    throw new ValidationError('[redrive] [queue] queue: must be a queue from createQueue()', {
      issues: [{ path: 'queue', message: 'must be a queue from createQueue()' }],
    });
  }
  return (queue as unknown as Record<symbol, QueueInternals>)[INTERNALS] as QueueInternals;
}
