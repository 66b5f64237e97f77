import type { WakeUp } from '@redrive/core';
import type { PgQueryable } from './pg-types.js';

// Node, Bun and Deno have setImmediate; elsewhere setTimeout(0) stands in.
const setImmediateFn = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
const nextTurn = (fn: () => void): void => {
  if (typeof setImmediateFn === 'function') setImmediateFn(fn);
  else setTimeout(fn, 0);
};

/**
 * How long wake-ups wait for a carrier in flight (the ones it took along, and the ones owed since,
 * which the next carrier takes) before they go out in a statement of their own: a long carrier (a
 * big `enqueueMany`, an insert waiting on a competitor's idempotency key) delays them no more.
 */
const CARRIER_WAIT_MS = 20;

/**
 * Decides how the adapter's NOTIFY wake-ups reach PostgreSQL, so that every write that makes jobs
 * due is followed by a wake-up that commits after it, with as few statements as possible.
 *
 * Why not a NOTIFY in every writing statement: up to PostgreSQL 15 at least, a transaction that
 * notifies takes a database-wide lock as it commits and holds it until its commit record is
 * flushed, so committing writers that all notify go one at a time and lose group commit (measured
 * here: 20 producers inserting with an in-statement NOTIFY ~260 jobs/s; without it ~1,500/s).
 * So one enqueue at a time per adapter notifies in its statement:
 *
 * - An enqueue made while no other carrier is in flight **carries** the NOTIFY in its own
 *   statement (one commit, one round trip): its own jobs' wake-up, plus every wake-up owed so far,
 *   since its commit comes after theirs.
 * - A write that did not carry one (an enqueue made meanwhile, a retry, a release) **owes** its
 *   wake-up once it has committed. The next carrier takes it along. If none is made on this turn
 *   of the event loop, a `SELECT pg_notify` of its own sends it, several owed ones merged in one.
 * - While a carrier is in flight, what it took along and what is owed since wait for it at most
 *   {@link CARRIER_WAIT_MS}, then go out on their own (a NOTIFY twice is harmless).
 * - A carrier that inserted nothing (every idempotency key taken: its NOTIFY never ran) or failed
 *   owes again what it took along.
 *
 * So a lone enqueue costs one statement, and concurrent producers send about one statement per
 * enqueue instead of one more per few enqueues. Delivery stays best effort: runners poll as well.
 * The transactional enqueue (`{ db }`) always notifies inside the caller's transaction: its
 * wake-up must not be sent unless that transaction commits.
 */
export class Notifier {
  private owed: WakeUp | undefined;
  /** A carrier (an enqueue with the NOTIFY in its statement) is in flight. */
  private carrying = false;
  /** What the carrier in flight took along and has not delivered yet. */
  private inCarrier: WakeUp | undefined;
  /** The `SELECT pg_notify` statements of its own in flight, until nothing is owed. */
  private sending: Promise<void> | undefined;
  private turnQueued = false;
  private waitTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly db: () => PgQueryable,
    private readonly channel: string,
  ) {}

  /**
   * Runs an enqueue's insert (`write`), which carries the NOTIFY in its statement when `notify` is
   * given, and settles the wake-up: an enqueue that did not carry owes `own()` once its jobs are
   * written; a carrier that inserted nothing (every idempotency key taken: its NOTIFY never ran)
   * owes again what it took along; a failed one owes that and `own()` too, since its jobs may have
   * committed before a connection was lost.
   */
  async enqueue<R extends { created: boolean }>(
    own: () => WakeUp,
    write: (notify: { carried: WakeUp | undefined } | undefined) => Promise<R[]>,
  ): Promise<R[]> {
    const carrier = this.carry();
    let results: R[] | undefined;
    try {
      results = await write(carrier);
      return results;
    } finally {
      const created = results?.some((r) => r.created) ?? false;
      if (!carrier) {
        if (created) this.owe(own());
      } else if (results) this.carried(created ? undefined : carrier.carried);
      else {
        const mine = own();
        this.carried(carrier.carried ? merge(carrier.carried, mine) : mine);
      }
    }
  }

  /**
   * Called as an enqueue's statement is built: `undefined` while another carrier is in flight
   * (the enqueue then owes its wake-up once committed, see {@link owe}); otherwise the enqueue
   * carries the NOTIFY, `carried` holding the wake-ups owed so far (to merge with its own). A
   * carrier must end with {@link carried}.
   */
  private carry(): { carried: WakeUp | undefined } | undefined {
    if (this.carrying) return undefined;
    this.carrying = true;
    const carried = this.owed;
    this.owed = undefined;
    this.inCarrier = carried;
    if (carried) this.waitForCarrier();
    return { carried };
  }

  /**
   * A carrier's statement ended. `owedAgain`: what it did not deliver (what a failed one or one
   * that inserted nothing took along; a failed one's own jobs too, which may have committed before
   * a connection was lost). Wake-ups owed meanwhile go with the next carrier made on this turn of
   * the event loop, or on their own.
   */
  private carried(owedAgain: WakeUp | undefined): void {
    this.carrying = false;
    this.inCarrier = undefined;
    clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
    if (owedAgain) this.owed = this.owed ? merge(this.owed, owedAgain) : owedAgain;
    if (this.owed) this.flushSoon();
  }

  /** A committed write made jobs due without a NOTIFY in its statement: send its wake-up soon. */
  owe(wake: WakeUp): void {
    this.owed = this.owed ? merge(this.owed, wake) : wake;
    this.flushSoon();
  }

  /**
   * Stops waiting for carriers and sends what is still owed (before the adapter lets its pool go).
   * A write still in flight then sends its own wake-up at once when it commits, if the pool it
   * ran on still takes statements (a pool of the caller's does; one the adapter ended does not).
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.waitTimer);
    this.waitTimer = undefined;
    if (this.inCarrier) this.owed = this.owed ? merge(this.owed, this.inCarrier) : this.inCarrier;
    this.inCarrier = undefined;
    await this.sending;
    if (this.owed) await this.send();
  }

  private flushSoon(): void {
    if (this.sending) return;
    if (this.closed) {
      void this.send();
      return;
    }
    if (this.carrying) {
      this.waitForCarrier();
      return;
    }
    if (this.turnQueued) return;
    this.turnQueued = true;
    nextTurn(() => {
      this.turnQueued = false;
      if (!this.owed || this.sending || this.closed) return;
      // A carrier made on this turn took what was owed then; what was owed since waits for it.
      if (this.carrying) this.waitForCarrier();
      else void this.send();
    });
  }

  private waitForCarrier(): void {
    if (this.waitTimer !== undefined || this.closed) return;
    this.waitTimer = setTimeout(() => {
      this.waitTimer = undefined;
      if (this.inCarrier) this.owed = this.owed ? merge(this.owed, this.inCarrier) : this.inCarrier;
      this.inCarrier = undefined;
      if (this.owed && !this.sending && !this.closed) void this.send();
    }, CARRIER_WAIT_MS);
  }

  /** Sends what is owed, in statements of its own, until nothing is. Never throws. */
  private send(): Promise<void> {
    this.sending = (async () => {
      while (this.owed) {
        const wake = this.owed;
        this.owed = undefined;
        try {
          await this.db().query('SELECT pg_notify($1, $2)', [this.channel, wakeUpPayload(wake)]);
        } catch {
          // Best effort (a lost connection, a closed pool): runners poll as well.
        }
      }
    })().finally(() => {
      this.sending = undefined;
      // Owed after the loop's last look, before this ran: not lost.
      if (this.owed) this.flushSoon();
    });
    return this.sending;
  }
}

/** The NOTIFY payload of a wake-up (read back by listener.ts). */
export function wakeUpPayload(wake: WakeUp): string {
  return JSON.stringify({ q: wake.queue, r: wake.runAt });
}

/** One wake-up standing for both: the queue if they share it, the earlier run-at. */
export function merge(a: WakeUp, b: WakeUp): WakeUp {
  return {
    queue: a.queue === b.queue ? a.queue : undefined,
    runAt: a.runAt === undefined || b.runAt === undefined ? undefined : Math.min(a.runAt, b.runAt),
  };
}
