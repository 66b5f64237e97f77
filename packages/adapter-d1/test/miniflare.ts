/*
 * A real D1 database for tests: Miniflare runs workerd with a local D1 (SQLite) behind the same
 * API a Worker gets; `getD1Database` hands the binding to Node. Each call is a round trip to
 * workerd (~15–20 ms a statement from Node), so suites reuse one database and empty it.
 */
import { Miniflare } from 'miniflare';
import type { SqlExecutor } from '../src/dialect/executor.js';

/** A Miniflare instance with one D1 binding `DB`, and that binding. */
export interface TestD1 {
  mf: Miniflare;
  db: SqlExecutor;
  /** Deletes every Redrive row (keeps the schema). */
  empty(): Promise<void>;
  dispose(): Promise<void>;
}

/** Starts Miniflare with an in-memory D1 database. */
export async function startD1(): Promise<TestD1> {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { async fetch() { return new Response("ok"); } };',
    d1Databases: ['DB'],
  });
  const db = (await mf.getD1Database('DB')) as unknown as SqlExecutor;
  return {
    mf,
    db,
    async empty() {
      await db.batch([
        db.prepare('DELETE FROM redrive_jobs'),
        db.prepare('DELETE FROM redrive_job_history'),
        db.prepare('DELETE FROM redrive_workers'),
      ]);
    },
    dispose: () => mf.dispose(),
  };
}
