import { ValidationError } from '../errors/redrive-error.js';
import type { Clock, TimerHandle } from './clock.js';

interface FakeTimer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * A clock for tests: time stands still until {@link FakeClock.advance} moves it, and timers
 * fire in order of their due time as it does. Between timers it lets pending promises settle
 * (a few real macrotask turns), so async code triggered by one timer runs before the next
 * fires — the same order the real event loop gives, without waiting.
 *
 * A store with real I/O (a database) answers on its own time: pass `idle`, a function that
 * resolves once the store has nothing in flight, and every settle waits for it too.
 *
 * @example
 * const clock = new FakeClock(Date.UTC(2026, 0, 1));
 * const queue = createQueue({ adapter: memoryAdapter({ clock }), clock });
 * await clock.advance(30_000); // heartbeats, retries and timeouts due in the next 30 s happen now
 */
export class FakeClock implements Clock {
  private current: number;
  private timers: FakeTimer[] = [];
  private nextId = 1;
  private readonly idle: (() => Promise<void>) | undefined;

  /**
   * @param start epoch milliseconds the clock starts at (default 0).
   * @param options.idle resolves when the code under test has no I/O in flight (see above).
   */
  constructor(start = 0, options?: { idle?: () => Promise<void> }) {
    if (typeof start !== 'number' || !Number.isFinite(start)) {
      throw new ValidationError('[redrive] [fake-clock] start: must be a finite number of epoch ms', {
        issues: [{ path: 'start', message: 'must be a finite number' }],
      });
    }
    this.current = start;
    this.idle = options?.idle;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    const timer: FakeTimer = { id: this.nextId++, at: this.current + delay, fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    const index = this.timers.findIndex((t) => t.id === handle);
    if (index >= 0) this.timers.splice(index, 1);
  }

  /** Timers armed and not yet fired. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /**
   * Move time forward by `ms`, firing every timer due on the way (in due order, ties in the
   * order they were armed), letting promises settle after each.
   */
  async advance(ms: number): Promise<void> {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new ValidationError(
        `[redrive] [fake-clock] advance.ms: must be a finite number >= 0 (got ${String(ms)})`,
        {
          issues: [{ path: 'advance.ms', message: 'must be a finite number >= 0' }],
        },
      );
    }
    const target = this.current + ms;
    await this.settled();
    for (;;) {
      const next = this.earliestDue(target);
      if (!next) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.current = Math.max(this.current, next.at);
      next.fn();
      await this.settled();
    }
    this.current = target;
    await this.settled();
  }

  /** Move time to `epochMs` (never backwards), firing timers due on the way. */
  async advanceTo(epochMs: number): Promise<void> {
    await this.advance(Math.max(0, epochMs - this.current));
  }

  /** Let pending promises and zero-delay real timers settle without moving time. */
  async settle(): Promise<void> {
    await this.settled();
  }

  private async settled(): Promise<void> {
    await settle();
    if (this.idle) {
      await this.idle();
      await settle();
    }
  }

  private earliestDue(target: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) {
      if (t.at <= target && (!best || t.at < best.at || (t.at === best.at && t.id < best.id))) best = t;
    }
    return best;
  }
}

// Real macrotask turns: promise chains that themselves yield to the event loop (the runner
// does, to keep timers fair) finish before the next fake timer fires.
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => globalThis.setTimeout(resolve, 0));
}
