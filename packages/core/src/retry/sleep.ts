/**
 * Waits `ms` milliseconds, or rejects with `signal.reason` as soon as `signal` aborts (the
 * timer is cleared, so an aborted wait leaves nothing pending). Uses only `setTimeout`, so it
 * runs on Workers, Deno and browsers.
 *
 * @example await abortableSleep(1000, controller.signal)
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
