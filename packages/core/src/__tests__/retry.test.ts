import { describe, expect, it } from 'vitest';
import { type GiveUpInfo, NonRetryableError, type RetryInfo, retry, ValidationError } from '../index.js';

/** An injected sleep that records waits and returns at once, so tests never sleep. */
function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

const failing = (errors: unknown[], result = 'done') => {
  let calls = 0;
  const fn = async ({ attempt }: { attempt: number }) => {
    calls++;
    expect(attempt).toBe(calls);
    if (calls <= errors.length) throw errors[calls - 1];
    return result;
  };
  return { fn, calls: () => calls };
};

describe('retry()', () => {
  it('returns the first success without waiting', async () => {
    const { sleep, waits } = recordingSleep();
    await expect(retry(() => 42, { sleep })).resolves.toBe(42);
    expect(waits).toEqual([]);
  });

  it('retries transient errors on the policy schedule, then succeeds', async () => {
    const { sleep, waits } = recordingSleep();
    const { fn, calls } = failing([new Error('ECONNRESET'), { status: 503 }, new Error('timeout')]);
    const seen: RetryInfo[] = [];
    const result = await retry(fn, { jitter: 'none', sleep, onRetry: (info) => seen.push(info) });
    expect(result).toBe('done');
    expect(calls()).toBe(4);
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(seen.map((i) => [i.attempt, i.category, i.delayMs])).toEqual([
      [1, 'transient_network', 1000],
      [2, 'transient_server', 2000],
      [3, 'transient_network', 4000],
    ]);
  });

  it('gives up after maxRetries executions and rethrows the last error unchanged', async () => {
    const { sleep, waits } = recordingSleep();
    const errors = [1, 2, 3, 4, 5, 6].map((n) => new Error(`network down #${n}`));
    const { fn, calls } = failing(errors);
    const gaveUp: GiveUpInfo[] = [];
    const promise = retry(fn, { jitter: 'none', sleep, onGiveUp: (info) => gaveUp.push(info) });
    await expect(promise).rejects.toBe(errors[4]);
    expect(calls()).toBe(5);
    expect(waits).toEqual([1000, 2000, 4000, 8000]);
    expect(gaveUp).toEqual([{ attempt: 5, error: errors[4], category: 'transient_network' }]);
  });

  it('honours maxAttempts', async () => {
    const { sleep } = recordingSleep();
    const { fn, calls } = failing([new Error('timeout'), new Error('timeout'), new Error('timeout')]);
    await expect(retry(fn, { maxAttempts: 2, sleep })).rejects.toThrow('timeout');
    expect(calls()).toBe(2);
  });

  it('does not retry permanent errors', async () => {
    const { sleep, waits } = recordingSleep();
    const error = new NonRetryableError('invoice already paid');
    const { fn, calls } = failing([error]);
    await expect(retry(fn, { sleep })).rejects.toBe(error);
    expect(calls()).toBe(1);
    expect(waits).toEqual([]);
  });

  it('uses custom classification rules', async () => {
    const { sleep } = recordingSleep();
    const { fn, calls } = failing([new Error('boom'), new Error('boom')]);
    const rules = [{ category: 'permanent_validation' as const, message: 'boom' }];
    await expect(retry(fn, { sleep, classify: { rules } })).rejects.toThrow('boom');
    expect(calls()).toBe(1);
  });

  it('waits for the Retry-After the error carries', async () => {
    const { sleep, waits } = recordingSleep();
    const { fn } = failing([{ status: 429, headers: { 'retry-after': '3' } }]);
    await retry(fn, { sleep });
    expect(waits).toEqual([3000]);
  });

  it('passes the previous delay to decorrelated jitter', async () => {
    const { sleep, waits } = recordingSleep();
    const { fn } = failing([new Error('timeout'), new Error('timeout'), new Error('timeout')]);
    await retry(fn, { jitter: 'decorrelated', random: () => 1, sleep });
    expect(waits).toEqual([3000, 9000, 27_000]);
  });

  it('stops waiting when the signal aborts, rejecting with signal.reason', async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    let calls = 0;
    const promise = retry(
      () => {
        calls++;
        throw new Error('ECONNREFUSED');
      },
      { signal: controller.signal, initialDelayMs: 60_000 },
    );
    setTimeout(() => controller.abort(reason), 20);
    const started = Date.now();
    await expect(promise).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(calls).toBe(1);
  });

  it('does not start when the signal is already aborted, and hands the signal to fn', async () => {
    const aborted = AbortSignal.abort(new Error('nope'));
    let called = false;
    await expect(retry(() => (called = true), { signal: aborted })).rejects.toThrow('nope');
    expect(called).toBe(false);

    const controller = new AbortController();
    const seen = await retry(({ signal }) => signal, { signal: controller.signal });
    expect(seen).toBe(controller.signal);
  });

  it('rejects with signal.reason when fn fails because of an abort', async () => {
    const controller = new AbortController();
    const { sleep, waits } = recordingSleep();
    const promise = retry(
      async () => {
        controller.abort(new Error('cancelled'));
        throw new Error('network aborted');
      },
      { signal: controller.signal, sleep },
    );
    await expect(promise).rejects.toThrow('cancelled');
    expect(waits).toEqual([]);
  });

  it('rejects a bad policy before calling fn', async () => {
    let called = false;
    const fn = () => (called = true);
    await expect(retry(fn, { maxRetries: 0 })).rejects.toThrow('[redrive] [config] maxRetries: must be >= 1');
    await expect(retry(fn, { onRetry: 'x' as never })).rejects.toThrow(
      '[redrive] [retry] onRetry: must be a function',
    );
    await expect(retry(fn, { signal: {} as never })).rejects.toThrow(/signal: must be an AbortSignal/);
    await expect(retry('x' as never)).rejects.toBeInstanceOf(ValidationError);
    expect(called).toBe(false);
  });

  it('waits for real with the default sleep', async () => {
    const { fn } = failing([new Error('timeout')]);
    const started = Date.now();
    await retry(fn, { initialDelayMs: 30, jitter: 'none' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
