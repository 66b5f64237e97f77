import type { AdapterCapabilities, StorageAdapter } from '../adapter/storage-adapter.js';
import type { Job, RetryHistoryEntry } from '../job/job.js';

/**
 * Raw read helpers that bypass the adapter under test, so a write is checked against the store
 * itself (a SQL `SELECT`, the memory adapter's map) rather than through the same code that wrote it.
 */
export interface ConformanceInspector {
  /** The stored job, or null when it does not exist. */
  getJob(id: string): Job | null | Promise<Job | null>;
  /** The stored retry history, oldest first. Optional: the suite falls back to the adapter. */
  getRetryHistory?(id: string): RetryHistoryEntry[] | Promise<RetryHistoryEntry[]>;
}

/**
 * The test-registration functions of your test runner: vitest's, jest's, mocha's or
 * `node:test`'s `describe` and `it` all fit. A test that finds a capability missing at run time
 * calls `context.skip(reason)` when the runner passes such a context (vitest, `node:test`), and
 * passes without running otherwise.
 */
export interface ConformanceTestApi {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: (context: any) => Promise<void>): unknown;
}

/** Options of `runAdapterConformance`. */
export interface ConformanceOptions extends Partial<ConformanceTestApi> {
  /** Shown in the suite's name. Default: the adapter's `name`, read when the first test runs. */
  name?: string;
  /** A fresh, empty adapter for every test. */
  createAdapter: () => StorageAdapter | Promise<StorageAdapter>;
  /** Tear an adapter down after its test. Default: `adapter.close?.()`. */
  destroy?: (adapter: StorageAdapter) => void | Promise<void>;
  /** Raw read helpers for the adapter's store (recommended). Default: read through the adapter. */
  inspect?: (adapter: StorageAdapter) => ConformanceInspector | Promise<ConformanceInspector>;
  /**
   * The capabilities to test. Default: each test reads `adapter.capabilities` and skips the checks
   * of a capability the adapter does not claim.
   */
  capabilities?: AdapterCapabilities;
  /** Check ids to leave out (e.g. `'concurrency/parallel-claims'`), with the reason in your own test file. */
  skip?: string[];
}

/** What a check runs against: one fresh adapter and its inspector. */
export interface ConformanceContext {
  adapter: StorageAdapter;
  inspect: ConformanceInspector | undefined;
  capabilities: AdapterCapabilities;
}

/**
 * One conformance check: a plain async function that throws when the adapter breaks the contract.
 * `runAdapterConformance` registers each as an `it` of your test runner; a test of the suite itself can call
 * `run` directly against a deliberately broken adapter and expect it to reject.
 */
export interface ConformanceCheck {
  /** Stable id, `group/name`, usable in `skip`. */
  id: string;
  /** What the adapter must do, as a sentence. */
  title: string;
  /** Only for adapters that claim this capability. */
  requires?: keyof AdapterCapabilities;
  run(context: ConformanceContext): Promise<void>;
}
