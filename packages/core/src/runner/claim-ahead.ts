import type { HeartbeatResult, LeaseRef } from '../adapter/storage-adapter.js';
import type { ClaimedJob } from '../job/job.js';
import type { RunnerHost } from './runner-host.js';

/** Adapts the amount claimed ahead to the store's round trip: this many round trips of work. */
const ROUND_TRIPS_AHEAD = 4;
/** Weight of the newest sample in the moving averages of the start rate and the claim time. */
const SMOOTHING = 0.5;

/** What the claim-ahead buffer needs from its runner. */
export interface ClaimAheadHost extends Pick<RunnerHost, 'adapter' | 'clock' | 'events' | 'settings'> {
  /** Claim up to `limit` jobs (one `adapter.claim` call, never more than `limit`). */
  claim(limit: number): Promise<ClaimedJob[]>;
  /** A background claim brought jobs: free slots may take them now. */
  refilled(): void;
}

/**
 * The runner's claim-ahead buffer: jobs this worker claimed (leased to it, with their own lease
 * tokens, through ordinary `claim` calls that never return more than they were asked) before a slot
 * was free for them, so that a finished job's slot is refilled at once instead of after a claim
 * round trip, and the next claim overlaps the running jobs and their completion writes.
 *
 * How much it holds adapts to the store and the work: about {@link ROUND_TRIPS_AHEAD} claim round
 * trips' worth of jobs at the rate this worker starts them, at most `claimAhead` (a runner option).
 * Slow jobs or a fast store (memory) keep it near zero: a job then waits in no buffer while another
 * worker could run it. Short jobs on a database fill it, which is where it pays (a claim of a few
 * hundred jobs costs little more than a claim of ten).
 *
 * Buffered jobs are the worker's like running ones: the runner's heartbeat extends their leases
 * (see {@link ClaimAhead.leases}); one whose lease is lost or cancelled is dropped; one asked to
 * pause goes to `paused` unstarted; one within half a lease of expiring (heartbeats failing) is given
 * back instead of run, since a sweeper may already have handed it to another worker. When the runner
 * stops (end of `stop()` or `drain()`), every buffered job goes back to `queued` through the fenced
 * `release` with `refundAttempt: true`: it never ran. A worker that crashes cannot give them back;
 * their leases expire, and since its heartbeats listed them as not started (`started: false`),
 * recovery gives their attempt back (see `recoverExpired`).
 */
export class ClaimAhead {
  private buffer: ClaimedJob[] = [];
  private refilling: Promise<void> | undefined;
  /** Jobs handed out per ms, and ms per claim round trip (moving averages). */
  private rate = 0;
  private claimMs = 0;
  private handedOut = 0;
  private sampledAt = performance.now();
  private closed = false;
  /** The last {@link ClaimAhead.next} claimed from the store and got fewer jobs than it asked for. */
  claimedShort = false;

  constructor(
    private readonly host: ClaimAheadHost,
    private readonly max: number,
  ) {}

  /** Jobs waiting in the buffer. */
  get size(): number {
    return this.buffer.length;
  }

  /**
   * Up to `limit` jobs to start now: from the buffer when it has any, else from the claim in
   * flight or a new one (which also claims what the buffer should hold). Starts a background claim
   * when the buffer runs low. Throws what the store throws.
   */
  async next(limit: number): Promise<ClaimedJob[]> {
    this.closed = false;
    this.claimedShort = false;
    this.dropStale();
    if (this.buffer.length === 0 && this.refilling) {
      await this.refilling;
      this.dropStale();
    }
    if (this.buffer.length === 0) await this.fill(limit + this.target(), true);
    const out = this.buffer.splice(0, limit);
    this.handedOut += out.length;
    // A claim that just came back short found the store drained: a refill now would find nothing.
    if (out.length > 0 && !this.claimedShort) this.refillIfLow();
    return out;
  }

  /** How many jobs the buffer should hold now (see the class comment). */
  private target(): number {
    return Math.min(this.max, Math.floor(this.rate * this.claimMs * ROUND_TRIPS_AHEAD));
  }

  private refillIfLow(): void {
    const target = this.target();
    if (this.refilling || this.closed || target === 0 || this.buffer.length > target / 2) return;
    this.refilling = this.fill(target - this.buffer.length, false)
      .catch((error: unknown) => this.host.events.emit('error', error))
      .finally(() => {
        this.refilling = undefined;
        if (this.buffer.length > 0) this.host.refilled();
      });
  }

  /** One claim into the buffer; updates the rate and round-trip estimates. */
  private async fill(limit: number, direct: boolean): Promise<void> {
    const started = performance.now();
    const asked = Math.max(1, Math.min(limit, this.host.settings.claimBatchSize));
    const jobs = await this.host.claim(asked);
    if (direct) this.claimedShort = jobs.length < asked;
    const now = performance.now();
    this.claimMs = smooth(this.claimMs, now - started);
    // A direct claim means the buffer ran dry: the jobs handed out since the last sample are what
    // this worker could start, a lower bound of what it would start with a fuller buffer.
    const elapsed = now - this.sampledAt;
    if (elapsed > 0 && (direct || this.handedOut > 0)) {
      this.rate = smooth(this.rate, this.handedOut / elapsed);
      this.handedOut = 0;
      this.sampledAt = now;
    }
    if (this.closed) {
      await this.giveBack(jobs);
      return;
    }
    this.buffer.push(...jobs);
  }

  /** Gives back the buffered jobs whose lease is within half a lease of expiring. */
  private dropStale(): void {
    if (this.buffer.length === 0) return;
    const now = this.host.clock.now();
    const margin = Math.ceil(this.host.settings.leaseMs / 2);
    if (this.buffer.every((j) => j.leaseExpiresAt - now >= margin)) return;
    const stale = this.buffer.filter((j) => j.leaseExpiresAt - now < margin);
    this.buffer = this.buffer.filter((j) => j.leaseExpiresAt - now >= margin);
    void this.giveBack(stale);
  }

  /** The buffered leases (not started), for the heartbeat to extend with the running ones. */
  leases(): LeaseRef[] {
    return this.buffer.map((j) => ({ id: j.id, leaseToken: j.leaseToken, started: false }));
  }

  /**
   * After a heartbeat that was sent `sent` (the buffered leases it carried): the ones it extended
   * now end at `expiresAt`; lost or cancelled ones are dropped; those asked to pause go to `paused`
   * without starting. Matched by id and token, so a job claimed again meanwhile keeps its new lease.
   */
  async renewed(sent: LeaseRef[], result: HeartbeatResult, expiresAt: number) {
    if (sent.length === 0) return;
    const tokens = new Map(sent.map((l) => [l.id, l.leaseToken]));
    const gone = new Set([...result.lost, ...result.cancelled]);
    const pause = new Set(result.pauseRequested);
    const toPause: ClaimedJob[] = [];
    this.buffer = this.buffer.filter((job) => {
      if (tokens.get(job.id) !== job.leaseToken) return true;
      if (gone.has(job.id)) return false;
      if (pause.has(job.id)) {
        toPause.push(job);
        return false;
      }
      if (job.leaseExpiresAt < expiresAt) job.leaseExpiresAt = expiresAt;
      return true;
    });
    await Promise.all(toPause.map((job) => this.release(job, 'paused')));
  }

  /**
   * The runner stops: claim nothing more, and give every buffered job back to the queue with its
   * attempt refunded (it never started). Waits for a claim in flight, whose jobs go back too.
   */
  async close(): Promise<void> {
    this.closed = true;
    while (this.refilling) await this.refilling;
    const jobs = this.buffer;
    this.buffer = [];
    await this.giveBack(jobs);
  }

  private giveBack(jobs: ClaimedJob[]): Promise<unknown> {
    return Promise.all(jobs.map((job) => this.release(job, 'queued')));
  }

  /** Fenced release of a job that never started: its attempt is refunded. Never throws. */
  private async release(job: ClaimedJob, to: 'queued' | 'paused'): Promise<void> {
    try {
      await this.host.adapter.release(job.id, {
        leaseToken: job.leaseToken,
        now: this.host.clock.now(),
        to,
        runAt: to === 'queued' ? job.runAt : undefined,
        refundAttempt: true,
      });
    } catch (error) {
      this.host.events.emit('error', error, job);
    }
  }
}

function smooth(average: number, sample: number): number {
  return average === 0 ? sample : average + SMOOTHING * (sample - average);
}
