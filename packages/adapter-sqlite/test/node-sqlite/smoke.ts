/*
 * Run by node-sqlite.test.ts under Node >= 22.5: the adapter on `node:sqlite`'s DatabaseSync
 * (a second synchronous driver behind the same executor). Prints one JSON line of what it saw.
 */
import { newJobRecord, T0 } from '@redrive/core/testing';
import { type SyncDatabase, sqliteAdapter } from '../../src/index.js';

// Node 20's type declarations have no node:sqlite: the module is typed by what the adapter needs.
const sqliteModule = 'node:sqlite';
const { DatabaseSync } = (await import(sqliteModule)) as { DatabaseSync: new (path: string) => SyncDatabase };
const db = new DatabaseSync(process.argv[2]!);
const adapter = sqliteAdapter(db);
const records = [
  newJobRecord({ priority: 1 }),
  newJobRecord({ idempotencyKey: 'k' }),
  newJobRecord({ idempotencyKey: 'k' }),
];
const enqueued = await adapter.enqueue(records);
const claimed = await adapter.claim({ workerId: 'w', limit: 5, leaseMs: 1000, now: T0 });
const completed = await adapter.complete(claimed[0]!.id, {
  leaseToken: claimed[0]!.leaseToken,
  result: { ok: 1 },
  now: T0 + 1,
});
const failed = await adapter.fail(claimed[1]!.id, {
  leaseToken: claimed[1]!.leaseToken,
  now: T0 + 2,
  error: { message: 'boom', stack: null, category: 'permanent_validation' },
  outcome: { kind: 'dead', requiresUserAction: true, suggestedAction: null },
  history: {
    attempt: 1,
    error: 'boom',
    stack: null,
    errorCategory: 'permanent_validation',
    delayMs: 0,
    deadLettered: true,
    timestamp: T0 + 2,
  },
  historyLimit: 5,
});
const dlq = await adapter.listDeadLetters({ limit: 5 });
console.log(
  JSON.stringify({
    journal: (db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode,
    created: enqueued.map((r) => r.created),
    claimed: claimed.length,
    completed,
    failed: {
      ok: failed.ok,
      status: failed.ok ? failed.status : null,
      id: failed.ok && failed.status === 'failed' && failed.job.id === claimed[1]!.id,
    },
    dead: dlq.jobs.map((j) => j.id === claimed[1]!.id),
    history: (await adapter.getRetryHistory(claimed[1]!.id)).length,
  }),
);
