/*
 * What the SQLite adapter promises on a file: WAL mode, the busy timeout and `synchronous` are
 * set on the connection; jobs survive closing the file and opening it again; bad options are
 * refused with a ValidationError naming them; a stale fail writes no history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newJobRecord, T0 } from '@redrive/core/testing';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sqliteAdapter } from '../src/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'redrive-sqlite-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pragma = (db: Database.Database, name: string) => db.pragma(name, { simple: true });

it('sets WAL, the busy timeout and synchronous (FULL by default)', () => {
  const db = new Database(join(dir, 'a.db'));
  sqliteAdapter(db);
  expect([pragma(db, 'journal_mode'), pragma(db, 'busy_timeout'), pragma(db, 'synchronous')]).toEqual([
    'wal',
    5000,
    2,
  ]);
  const other = new Database(join(dir, 'b.db'));
  sqliteAdapter(other, { busyTimeoutMs: 250, synchronous: 'NORMAL' });
  expect([pragma(other, 'busy_timeout'), pragma(other, 'synchronous')]).toEqual([250, 1]);
  db.close();
  other.close();
});

it('a job survives closing the file and opening it again', async () => {
  const file = join(dir, 'jobs.db');
  const first = new Database(file);
  const record = newJobRecord({ payload: { kept: true } });
  await sqliteAdapter(first).enqueue([record]);
  first.close();
  const second = new Database(file);
  const adapter = sqliteAdapter(second);
  const [job] = await adapter.claim({ workerId: 'w', limit: 5, leaseMs: 1000, now: T0 });
  expect([job?.id, job?.payload, job?.attempt]).toEqual([record.id, { kept: true }, 1]);
  second.close();
});

it('refuses bad options and a non-database with a ValidationError naming the option', () => {
  const db = new Database(':memory:');
  expect(() => sqliteAdapter(db, { busyTimeoutMs: -1 })).toThrow(/\[redrive\] \[sqlite\] busyTimeoutMs/);
  expect(() => sqliteAdapter(db, { busyTimeoutMs: 2 ** 31 })).toThrow(/busyTimeoutMs must be an integer/);
  expect(() => sqliteAdapter(db, { synchronous: 'OFF' as never })).toThrow(
    /synchronous must be 'FULL' or 'NORMAL'/,
  );
  expect(() => sqliteAdapter({} as never)).toThrow(expect.objectContaining({ name: 'ValidationError' }));
});

it('a fail whose lease was lost writes neither the status nor a history row', async () => {
  const db = new Database(':memory:');
  const adapter = sqliteAdapter(db);
  const record = newJobRecord({ maxAttempts: 5 });
  await adapter.enqueue([record]);
  const [job] = await adapter.claim({ workerId: 'w', limit: 1, leaseMs: 1000, now: T0 });
  const stale = {
    leaseToken: 'not-the-token',
    now: T0 + 1,
    error: { message: 'boom', stack: null, category: 'transient_network' as const },
    outcome: { kind: 'retry' as const, runAt: T0 + 100 },
    history: {
      attempt: 1,
      error: 'boom',
      stack: null,
      errorCategory: 'transient_network' as const,
      delayMs: 99,
      deadLettered: false,
      timestamp: T0 + 1,
    },
    historyLimit: 10,
  };
  expect(await adapter.fail(job!.id, stale)).toEqual({ ok: false, cancelled: false });
  expect(db.prepare('SELECT count(*) AS n FROM redrive_job_history').get()).toEqual({ n: 0 });
  expect((await adapter.getJob(job!.id))!.status).toBe('running');
  expect(await adapter.fail(job!.id, { ...stale, leaseToken: job!.leaseToken })).toEqual({
    ok: true,
    status: 'queued',
  });
  expect(await adapter.getRetryHistory(job!.id)).toHaveLength(1);
});
