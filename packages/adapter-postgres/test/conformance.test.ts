/*
 * The shared adapter conformance suite on real PostgreSQL, with every capability the
 * adapter declares. Each check gets an empty store: one database for the file, tables truncated
 * before every check (a fresh schema per check would spend most of the run on DDL). The inspector
 * reads rows with plain SQL, bypassing the adapter's queries.
 */
import { runAdapterConformance } from '@redrive/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { postgresAdapter } from '../src/index.js';
import { rowToJob } from '../src/row.js';
import { createTestDatabase, type TestDatabase } from './helpers.js';

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase('redrive_conf');
  pool = new pg.Pool({ connectionString: db.url, max: 20 });
  pool.on('error', () => {});
  await postgresAdapter({ pool }).migrate();
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

runAdapterConformance({
  describe,
  it,
  name: 'postgres',
  // Every capability the adapter declares (no connection is opened for this).
  capabilities: postgresAdapter({ connectionString: 'postgres://unused' }).capabilities,
  async createAdapter() {
    await pool.query('TRUNCATE redrive.jobs, redrive.job_history, redrive.workers');
    return postgresAdapter({ pool, migrate: false });
  },
  inspect: () => ({
    async getJob(id) {
      const { rows } = await pool.query('SELECT * FROM redrive.jobs WHERE id = $1', [id]);
      return rows[0] ? rowToJob(rows[0]) : null;
    },
    async getRetryHistory(id) {
      const { rows } = await pool.query('SELECT * FROM redrive.job_history WHERE job_id = $1 ORDER BY seq', [
        id,
      ]);
      return rows.map((r) => ({
        attempt: r.attempt,
        error: r.error,
        stack: r.stack,
        errorCategory: r.error_category,
        delayMs: Number(r.delay_ms),
        deadLettered: r.dead_lettered,
        timestamp: Number(r.at),
      }));
    },
  }),
});
