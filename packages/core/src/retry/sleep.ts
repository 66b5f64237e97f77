import { ValidationError } from '../errors/redrive-error.js';

// setTimeout stores its delay in a signed 32-bit integer: anything longer (~24.8 days, which an
// uncapped Retry-After can ask for) fires after 1 ms instead. Long waits are chained in steps.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Waits `ms` milliseconds, or rejects with `signal.reason` as soon as `signal` aborts (the
 * timer is cleared, so an aborted wait leaves nothing pending). Uses only `setTimeout`, so it
 * runs on Workers, Deno and browsers; waits longer than setTimeout's 2³¹−1 ms limit are honoured.
 * Rejects with `ValidationError` when `ms` is negative or not a finite number.
 *
 * @example await abortableSleep(1000, controller.signal)
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    return Promise.reject(
      new ValidationError('[redrive] [abortableSleep] ms: must be a finite number >= 0', {
        issues: [{ path: 'ms', message: 'must be a finite number >= 0' }],
      }),
    );
  }
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let remaining = ms;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const arm = () => {
      const step = Math.min(remaining, MAX_TIMER_MS);
      remaining -= step;
      timer = setTimeout(() => {
        if (remaining > 0) return arm();
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, step);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    arm();
  });
}
