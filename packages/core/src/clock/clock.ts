/**
 * An opaque timer handle returned by {@link Clock.setTimeout}. Pass it back to
 * {@link Clock.clearTimeout}; never inspect it (its shape differs between runtimes and fakes).
 */
export type TimerHandle = unknown;

/**
 * Where Redrive reads the time and arms timers. Everything time-based in the queue and the
 * runner (run-at, backoff, leases, heartbeats, timeouts, progress throttling) goes through one
 * `Clock`, so tests can use {@link FakeClock} and jump forward instead of sleeping.
 *
 * @example
 * const clock: Clock = { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number) };
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Call `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancel a timer; unknown or already fired handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The real clock: `Date.now()` and the runtime's global `setTimeout`. Works in Node, Deno,
 * Bun, Workers and browsers. The default of `createQueue({ clock })`.
 *
 * @example
 * createQueue({ adapter, clock: systemClock });
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
};
