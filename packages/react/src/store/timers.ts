/**
 * Where the hooks get time from. Injected through `<JobsProvider timers>` so tests (and hosts with
 * their own scheduler) control polling without real waits; the default reads the globals at call
 * time, so test fake timers apply as well.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Epoch milliseconds. */
  now(): number;
}

/** The global `setTimeout`, `clearTimeout` and `Date.now`. */
export const systemTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/** The longest delay a JavaScript timer honours (2^31 − 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Refuses a delay that no timer can honour: not a finite number, below `min`, or over 2^31 − 1 ms
 * (which browsers and Node silently turn into an immediate call, a busy loop of requests).
 */
export function assertTimerDelay(name: string, ms: number, min = 1): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < min || ms > MAX_TIMER_MS) {
    throw new RangeError(
      `[redrive] [react] ${name}: must be a number of ms from ${min} to ${MAX_TIMER_MS}, got ${String(ms)}`,
    );
  }
  return ms;
}
