import type { CompleteResult } from '@redrive/core';
import { isDataError, isRetryableConflict } from './errors.js';
import type { CompletionInput } from './sql/complete.js';

// Node, Bun and Deno have setImmediate; elsewhere (Workers, browsers) setTimeout(0) stands in.
const setImmediateFn = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
const clearImmediateFn = (globalThis as { clearImmediate?: (handle: unknown) => void }).clearImmediate;

function clearTimer(handle: unknown): void {
  clearTimeout(handle as ReturnType<typeof setTimeout>);
  clearImmediateFn?.(handle);
}

/**
 * Coalesces concurrent `complete()` calls into one UPDATE per batch, like graphile-worker's
 * `completeJobBatchDelay`, without weakening fencing: each call still learns whether ITS row was
 * completed (the write answers per call, in batch order).
 *
 * With `delayMs` 0 (the default) batching is adaptive: a call made while no batch is being
 * written goes out on the next macrotask (alone, or with whatever else arrived in that tick);
 * calls made while `maxInFlight` batches are being written wait and go out together as soon as
 * one returns. An idle worker therefore adds no latency, and a busy one writes big batches.
 * With `delayMs` > 0 a batch waits that long after its first call.
 */
export class CompletionBatcher {
  private pending: {
    input: CompletionInput;
    resolve: (result: CompleteResult) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private inFlight = 0;
  private timer: unknown;

  constructor(
    private readonly write: (batch: CompletionInput[]) => Promise<CompleteResult[]>,
    private readonly options: { delayMs: number; maxBatch: number; maxInFlight: number },
  ) {}

  /** Queues one completion; resolves with what it did (applied, or refused and why). */
  add(input: CompletionInput): Promise<CompleteResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.pending.length >= this.options.maxBatch) this.flushSoon(0);
      else this.flushSoon(this.options.delayMs);
    });
  }

  private flushSoon(delayMs: number): void {
    if (this.timer !== undefined) {
      if (delayMs > 0) return;
      clearTimer(this.timer);
    }
    const run = () => {
      this.timer = undefined;
      this.flush();
    };
    // setTimeout(0) waits >= 1 ms in Node; setImmediate runs after pending I/O callbacks, which is
    // exactly "whatever else completed in this turn of the event loop".
    this.timer =
      delayMs === 0 && typeof setImmediateFn === 'function' ? setImmediateFn(run) : setTimeout(run, delayMs);
  }

  private flush(): void {
    while (this.pending.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.pending.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.writeBatch(batch).finally(() => {
        this.inFlight--;
        if (this.pending.length > 0)
          this.flushSoon(this.pending.length >= this.options.maxBatch ? 0 : this.options.delayMs);
      });
    }
  }

  private async writeBatch(batch: CompletionBatcher['pending']): Promise<void> {
    const inputs = batch.map((b) => b.input);
    for (let tryNo = 1; ; tryNo++) {
      try {
        const answers = await this.write(inputs);
        for (let k = 0; k < batch.length; k++) batch[k]!.resolve(answers[k]!);
        return;
      } catch (error) {
        // A deadlock with a concurrent sweeper or bulk action rolled the whole batch back: rerun it.
        if (isRetryableConflict(error) && tryNo < 3) continue;
        if (batch.length === 1 || !isDataError(error)) {
          for (const b of batch) b.reject(error);
          return;
        }
        // One statement for the batch means one bad row (a value the store refuses) fails them
        // all: write each alone, so every call gets its own answer and its neighbours land. (A
        // lost connection fails them all alike; splitting would only multiply failing round trips.)
        await Promise.all(batch.map((b) => this.writeBatch([b])));
        return;
      }
    }
  }

  /** Writes everything queued and waits for it. */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.inFlight > 0) {
      if (this.timer !== undefined) {
        clearTimer(this.timer);
        this.timer = undefined;
      }
      this.flush();
      await new Promise((r) => setTimeout(r, 1));
    }
  }
}
