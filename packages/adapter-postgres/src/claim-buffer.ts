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
  private lastRequest: ClaimRequest | undefined;

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
    this.lastRequest = request;
    if (this.jobs.length < request.limit) {
      if (this.refilling) await this.refilling;
      if (this.jobs.length < request.limit)
        await this.refill(request, Math.max(this.size, request.limit) - this.jobs.length);
    }
    const out = this.jobs.splice(0, request.limit);
    // Keep the buffer topped up in the background only while there is work: an empty claim
    // means the queue is drained, and the next `take` claims directly.
    if (out.length > 0 && this.jobs.length < this.size && !this.refilling) {
      this.refilling = this.refill(this.lastRequest, this.size - this.jobs.length)
        // A failed background refill is not the caller's error: the next take claims directly.
        .catch(() => {})
        .finally(() => {
          this.refilling = undefined;
        });
    }
    return out;
  }

  private async refill(request: ClaimRequest, limit: number): Promise<void> {
    const got = await this.claim({ ...request, limit });
    this.jobs.push(...got);
  }

  /** Takes every buffered job out (for release on close). */
  async drain(): Promise<ClaimedJob[]> {
    if (this.refilling) await this.refilling.catch(() => {});
    const jobs = this.jobs;
    this.jobs = [];
    return jobs;
  }
}
