import type { WakeUp } from '@redrive/core';
import type { PgQueryable } from './pg-types.js';

/**
 * Sends NOTIFY wake-ups in their own tiny statement, after the write that made jobs due has
 * committed, at most one at a time per adapter (wake-ups made meanwhile are merged into the next).
 *
 * Why not NOTIFY inside the writing statement: up to PostgreSQL 15 at least, a transaction that
 * notifies holds a database-wide lock from its NOTIFY until its commit record is flushed, so
 * committing writers that notify go one at a time and lose group commit (measured here: 20
 * producers inserting with an in-statement NOTIFY ~260 jobs/s; without it ~1,500/s). Only the
 * transactional enqueue (`{ db }`) notifies inside the caller's transaction, because there the
 * wake-up must not be sent unless that transaction commits, and an enqueue while no other is in
 * flight on the adapter (nothing to serialise; it saves a round trip and a commit).
 */
export class Notifier {
  private pending: WakeUp | undefined;
  private sending = false;

  constructor(
    private readonly db: () => PgQueryable,
    private readonly channel: string,
  ) {}

  /** Queue a wake-up; resolves at once (delivery is best effort: pollers are the fallback). */
  send(wake: WakeUp): void {
    this.pending = this.pending ? merge(this.pending, wake) : wake;
    if (!this.sending) void this.flush();
  }

  private async flush(): Promise<void> {
    this.sending = true;
    try {
      while (this.pending) {
        const wake = this.pending;
        this.pending = undefined;
        await this.db()
          .query('SELECT pg_notify($1, $2)', [this.channel, JSON.stringify({ q: wake.queue, r: wake.runAt })])
          .catch(() => {});
      }
    } finally {
      this.sending = false;
    }
  }
}

function merge(a: WakeUp, b: WakeUp): WakeUp {
  return {
    queue: a.queue === b.queue ? a.queue : undefined,
    runAt: a.runAt === undefined || b.runAt === undefined ? undefined : Math.min(a.runAt, b.runAt),
  };
}
