import { afterEach, describe, expect, it, vi } from 'vitest';
import { abortableSleep, ValidationError } from '../index.js';

describe('abortableSleep', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves after the delay', async () => {
    vi.useFakeTimers();
    let done = false;
    const sleeping = abortableSleep(1000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(done).toBe(true);
  });

  it('honours waits longer than setTimeout’s 2^31−1 ms limit instead of firing at once', async () => {
    vi.useFakeTimers();
    const long = 2 ** 31 + 10_000;
    let done = false;
    const sleeping = abortableSleep(long).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(done).toBe(true);
  });

  it('rejects with signal.reason on abort and leaves no timer behind', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once for an already aborted signal', async () => {
    await expect(abortableSleep(10, AbortSignal.abort(new Error('early')))).rejects.toThrow('early');
  });

  it('rejects bad delays with a ValidationError', async () => {
    for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5']) {
      await expect(abortableSleep(ms as number)).rejects.toBeInstanceOf(ValidationError);
    }
  });
});
