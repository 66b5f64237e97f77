import type { ClaimedJob, ClaimRequest } from '@redrive/core';

/**
 * A claim-ahead buffer (opt-in, `prefetch` option): while the runner works through the jobs it
 * got, the next batch is claimed in the background, so claim round trips overlap completion
 * writes instead of alternating with them (the measured lever at high concurrency).
 *
 * Only requests for the same worker, filters and lease length share the buffer. Buffered jobs
 * are leased like any claim but marked `prefetched` until a heartbeat lists them; `close()`
 * releases whatever is left with the attempt refunded, and after a crash the sweeper refunds it
 * too (see sql/recover.ts).
 */
export class ClaimBuffer {
  private jobs: ClaimedJob[] = [];
  private key = '';
  private refilling: Promise<void> | undefined;
  private last: { request: ClaimRequest; at: number } | undefined;

  constructor(
    private readonly size: number,
    private readonly claim: (request: ClaimRequest) => Promise<ClaimedJob[]>,
  ) {}

  async take(request: ClaimRequest): Promise<ClaimedJob[]> {
    const key = JSON.stringify([request.workerId, request.types, request.queues, request.leaseMs]);
    if (key !== this.key) {
      if (this.refilling) await this.refilling;
      if (this.jobs.length > 0) return this.claim(request);
      this.key = key;
    }
    this.last = { request, at: performance.now() };
    if (this.jobs.length === 0) {
      if (this.refilling) await this.refilling;
      if (this.jobs.length === 0) await this.refill(request, Math.max(this.size, request.limit));
    }
    const out = this.jobs.splice(0, request.limit);
    // Top the buffer up in the background while there is work (an empty claim means the queue
    // is drained, and the next `take` claims directly), so the next batch is on its way while
    // this one runs and its completions are written.
    if (out.length > 0 && this.jobs.length < this.size && !this.refilling) {
      this.refilling = this.refill(this.backgroundRequest(), this.size - this.jobs.length)
        // A failed background refill is not the caller's error: the next take claims directly.
        .catch(() => {})
        .finally(() => {
          this.refilling = undefined;
        });
    }
    return out;
  }

  /**
   * The last request, its `now` moved on by the time elapsed since (monotonic): a background
   * claim happens after the call that triggered it, and must see the jobs that became due since.
   */
  private backgroundRequest(): ClaimRequest {
    const { request, at } = this.last!;
    return { ...request, now: request.now + Math.floor(performance.now() - at) };
  }

  private async refill(request: ClaimRequest, limit: number): Promise<void> {
    const got = await this.claim({ ...request, limit });
    this.jobs.push(...got);
  }

  /** Takes out the buffered jobs claimed for `workerId` (for release when that worker stops). */
  async drainFor(workerId: string): Promise<ClaimedJob[]> {
    if (this.refilling) await this.refilling.catch(() => {});
    const mine = this.jobs.filter((j) => j.leaseOwner === workerId);
    this.jobs = this.jobs.filter((j) => j.leaseOwner !== workerId);
    return mine;
  }

  /** Takes every buffered job out (for release on close). */
  async drain(): Promise<ClaimedJob[]> {
    if (this.refilling) await this.refilling.catch(() => {});
    const jobs = this.jobs;
    this.jobs = [];
    return jobs;
  }
}
