/*
 * The shared adapter conformance suite on a real SQLite file (better-sqlite3), every capability
 * the adapter declares. One file per test run, emptied before each check; the inspector reads
 * rows with plain SQL, bypassing the adapter's queries.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rowToHistoryEntry, rowToJob } from '@redrive/adapter-d1/dialect';
import { runAdapterConformance } from '@redrive/core/testing';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { sqliteAdapter } from '../src/index.js';

let dir: string;
let db: Database.Database;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'redrive-sqlite-conf-'));
  db = new Database(join(dir, 'jobs.db'));
  await sqliteAdapter(db).migrate();
});

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

runAdapterConformance({
  describe,
  it,
  name: 'sqlite (better-sqlite3)',
  capabilities: sqliteAdapter(new Database(':memory:')).capabilities,
  createAdapter() {
    db.exec('DELETE FROM redrive_jobs; DELETE FROM redrive_job_history; DELETE FROM redrive_workers;');
    return sqliteAdapter(db, { migrate: false });
  },
  inspect: () => ({
    getJob(id) {
      const row = db.prepare('SELECT * FROM redrive_jobs WHERE id = ?').get(id) as
        | Record<string, unknown>
        | undefined;
      return row ? rowToJob(row) : null;
    },
    getRetryHistory(id) {
      const rows = db
        .prepare('SELECT * FROM redrive_job_history WHERE job_id = ? ORDER BY seq')
        .all(id) as Record<string, unknown>[];
      return rows.map(rowToHistoryEntry);
    },
  }),
});
