/*
 * The shared adapter conformance suite on Miniflare's real D1, every capability the adapter
 * declares. One database for the file, emptied before each check; the inspector reads rows with
 * plain SQL through the binding, bypassing the adapter's queries.
 */
import { runAdapterConformance } from '@redrive/core/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { rowToHistoryEntry, rowToJob } from '../src/dialect/row.js';
import { d1Adapter } from '../src/index.js';
import { startD1, type TestD1 } from './miniflare.js';

let d1: TestD1;

beforeAll(async () => {
  d1 = await startD1();
  await d1Adapter(d1.db).migrate();
});

afterAll(() => d1?.dispose());

runAdapterConformance({
  describe,
  it,
  name: 'd1 (miniflare)',
  capabilities: d1Adapter({ prepare() {}, batch() {} } as never).capabilities,
  async createAdapter() {
    await d1.empty();
    return d1Adapter(d1.db, { migrate: false });
  },
  inspect: () => ({
    async getJob(id) {
      const row = await d1.db.prepare('SELECT * FROM redrive_jobs WHERE id = ?1').bind(id).first();
      return row ? rowToJob(row) : null;
    },
    async getRetryHistory(id) {
      const { results } = await d1.db
        .prepare('SELECT * FROM redrive_job_history WHERE job_id = ?1 ORDER BY seq')
        .bind(id)
        .all();
      return results.map(rowToHistoryEntry);
    },
  }),
});
