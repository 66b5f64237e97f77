/** Timestamped console lines, relative to the start of the demo. */
const started = Date.now();

export type Log = (...parts: unknown[]) => void;

export const log: Log = (...parts) => console.log(`+${String(Date.now() - started).padStart(6)}ms`, ...parts);

/** Milliseconds since the demo started. */
export const elapsed = () => Date.now() - started;

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
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

/** Polls `check` every 20 ms until it holds; rejects after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the demo took too long');
    await sleep(20);
  }
}
