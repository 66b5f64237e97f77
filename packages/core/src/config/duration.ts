import * as z from 'zod/mini';
import { MAX_TIMER_MS } from '../util/storable.js';

const TOO_LONG = `must be at most ${MAX_TIMER_MS} ms (about 24.8 days): a timer cannot wait longer`;

/**
 * The one rule for every duration option that reaches a timer (a lease, a poll or heartbeat
 * interval, a handler timeout, a stop timeout): a whole number of ms, at least `min`, and at most
 * 2³¹−1 ms. `setTimeout` keeps its delay in a signed 32-bit integer and fires a longer one after
 * 1 ms, so a 30-day timeout would time out at once; such a value is refused, naming the option.
 */
export function timerDurationMs(min = 1): z.ZodMiniNumber<number> {
  return z.int().check(z.minimum(min), z.maximum(MAX_TIMER_MS, TOO_LONG));
}

/** A delay handed to a timer that core computed itself (a wake-up at a far `runAt`), clamped to what a timer honours. */
export function clampTimerMs(ms: number): number {
  return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}
