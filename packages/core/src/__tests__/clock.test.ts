import { describe, expect, it } from 'vitest';
import { systemClock } from '../clock/clock.js';
import { FakeClock } from '../clock/fake-clock.js';

describe('FakeClock', () => {
  it('fires timers in due order as time advances, never early', async () => {
    const clock = new FakeClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => fired.push(`a2@${clock.now()}`), 10);
    await clock.advance(9);
    expect(fired).toEqual([]);
    await clock.advance(11);
    expect(fired).toEqual(['a@1010', 'a2@1010', 'b@1020']);
    expect(clock.now()).toBe(1020);
  });

  it('runs timers armed by timers and by promise callbacks within the same advance', async () => {
    const clock = new FakeClock();
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      void Promise.resolve().then(() => clock.setTimeout(() => fired.push(clock.now()), 5));
    }, 5);
    await clock.advance(10);
    expect(fired).toEqual([5, 10]);
  });

  it('clearTimeout cancels; advance rejects negative time', async () => {
    const clock = new FakeClock();
    let fired = false;
    const handle = clock.setTimeout(() => {
      fired = true;
    }, 1);
    clock.clearTimeout(handle);
    await clock.advance(5);
    expect(fired).toBe(false);
    expect(clock.pendingTimers).toBe(0);
    await expect(clock.advance(-1)).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('advance.ms'),
    });
    expect(() => new FakeClock(Number.NaN)).toThrow(/start/);
  });

  it('the system clock reads wall time and fires real timers', async () => {
    const before = Date.now();
    expect(systemClock.now()).toBeGreaterThanOrEqual(before);
    await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 1));
  });
});
