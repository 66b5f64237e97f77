/*
 * Groups the completions of one tick into one statement. The first `complete()` of a tick
 * schedules a flush for the end of the tick; every call made until then rides along. While a
 * statement is in flight, new calls wait and go out together as soon as it returns, so an idle
 * worker adds no latency and a busy one writes large sets: on D1, where a round trip is the cost,
 * this is what keeps a busy drain near one statement per many jobs.
 */
import { MAX_BATCH_JSON_BYTES } from './limits.js';

interface Pending<In, Out> {
  input: In;
  size: number;
  resolve: (outcome: Out | undefined) => void;
  reject: (error: unknown) => void;
}

/** Runs `fn` once the current tick's I/O callbacks have run (setImmediate), or on a 0 ms timer. */
function afterTick(fn: () => void): void {
  const setImmediateFn = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (typeof setImmediateFn === 'function') setImmediateFn(fn);
  else setTimeout(fn, 0);
}

/** One set-based write per tick for calls of type `In`, each learning its own outcome `Out`. */
export class TickBatcher<In, Out> {
  private pending: Pending<In, Out>[] = [];
  private scheduled = false;
  private inFlight: Promise<void> | undefined;

  /**
   * @param write writes a set of inputs in one statement; returns each input's outcome by key.
   * @param keyOf the key of an input in `write`'s answer.
   * @param sizeOf the JSON bytes an input adds (a set stays under MAX_BATCH_JSON_BYTES).
   */
  constructor(
    private readonly write: (inputs: In[]) => Promise<Map<string, Out>>,
    private readonly keyOf: (input: In) => string,
    private readonly sizeOf: (input: In) => number,
    private readonly maxSet = 500,
  ) {}

  /** Queues one input; resolves with its outcome (undefined when `write` reported none). */
  add(input: In): Promise<Out | undefined> {
    return new Promise((resolve, reject) => {
      this.pending.push({ input, size: this.sizeOf(input), resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    afterTick(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight || this.pending.length === 0) return;
    let bytes = 0;
    let n = 0;
    while (n < this.pending.length && n < this.maxSet) {
      bytes += this.pending[n]!.size * 3;
      if (n > 0 && bytes > MAX_BATCH_JSON_BYTES) break;
      n++;
    }
    const set = this.pending.splice(0, n);
    this.inFlight = this.writeSet(set).finally(() => {
      this.inFlight = undefined;
      if (this.pending.length > 0) this.flush();
    });
  }

  private async writeSet(set: Pending<In, Out>[]): Promise<void> {
    try {
      const outcomes = await this.write(set.map((p) => p.input));
      for (const p of set) p.resolve(outcomes.get(this.keyOf(p.input)));
    } catch (error) {
      for (const p of set) p.reject(error);
    }
  }

  /** Writes everything queued and waits for it. */
  async drain(): Promise<void> {
    while (this.inFlight || this.pending.length > 0) {
      if (this.inFlight) await this.inFlight;
      else this.flush();
    }
  }
}
