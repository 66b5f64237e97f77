/*
 * The SQLite dialect's throughput, in one run:
 * - D1 on Miniflare (workerd, local D1, reached from Node: every statement is a round trip of
 *   ~15–20 ms here, far more than inside a Worker): 2,000 no-op jobs drained at concurrency 25
 *   and 100; jobs/s and D1 round trips per job (each statement or batch is one).
 * - A SQLite file (better-sqlite3, WAL, synchronous=FULL: every commit fsynced): 20,000 no-op
 *   jobs drained at concurrency 10 and 50, beside the memory adapter and the Postgres adapter
 *   (default options, DATABASE_URL or 127.0.0.1:5432) doing the same.
 * Every row is `JobRunner.drain()` over a full backlog: enqueue first, then time the drain.
 * Prints a table and writes bench/results/sqlite.json. Run: `pnpm bench:sqlite`.
 * BENCH_ROUNDS (default 3) rounds; the table shows each row's median.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createQueue, JobRunner, type StorageAdapter } from '@redrive/core';
import Database from 'better-sqlite3';
import { Miniflare } from 'miniflare';
import pg from 'pg';
import { d1Adapter, type SqlExecutor } from '../../packages/adapter-d1/src/index.js';
import { countingExecutor } from '../../packages/adapter-d1/test/counting-executor.js';
import { memoryAdapter } from '../../packages/adapter-memory/src/index.js';
import { postgresAdapter } from '../../packages/adapter-postgres/src/index.js';
import { sqliteAdapter } from '../../packages/adapter-sqlite/src/index.js';
import { dropDatabase, freshDatabase } from '../postgres/common.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const D1_JOBS = Number(process.env.BENCH_D1_JOBS ?? 2_000);
const FILE_JOBS = Number(process.env.BENCH_FILE_JOBS ?? 20_000);

interface Row {
  store: string;
  jobs: number;
  concurrency: number;
  jobsPerSec: number;
  roundTripsPerJob: number | null;
  /** D1 only: the mean time of one round trip in this run (`SELECT 1`, measured just before the drain). */
  msPerRoundTrip: number | null;
}

/** The mean time of a `SELECT 1` round trip: what bounds jobs/s on Miniflare from Node. */
async function roundTripMs(db: SqlExecutor): Promise<number> {
  await db.prepare('SELECT 1').first();
  const started = performance.now();
  for (let i = 0; i < 20; i++) await db.prepare('SELECT 1').first();
  return (performance.now() - started) / 20;
}

/** Enqueues `n` no-op jobs, then drains them at `concurrency`; jobs/s over the drain. */
async function drainRun(adapter: StorageAdapter, n: number, concurrency: number): Promise<number> {
  const queue = createQueue({ adapter });
  for (let i = 0; i < n; i += 1000) {
    await queue.enqueueMany(
      Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({ type: 'noop', payload: { i: i + k } })),
    );
  }
  const runner = new JobRunner({ queue, concurrency, handlers: { noop: () => undefined } });
  const started = performance.now();
  const summary = await runner.drain();
  const seconds = (performance.now() - started) / 1000;
  if (summary.completed !== n) throw new Error(`drain completed ${summary.completed} of ${n} jobs`);
  return n / seconds;
}

async function d1Rows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const concurrency of [25, 100]) {
    const mf = new Miniflare({
      modules: true,
      script: 'export default { fetch: () => new Response("") }',
      d1Databases: ['DB'],
    });
    try {
      const db = countingExecutor((await mf.getD1Database('DB')) as unknown as SqlExecutor);
      const adapter = d1Adapter(db);
      await adapter.migrate();
      const queue = createQueue({ adapter });
      for (let i = 0; i < D1_JOBS; i += 1000) {
        await queue.enqueueMany(
          Array.from({ length: Math.min(1000, D1_JOBS - i) }, () => ({ type: 'noop', payload: {} })),
        );
      }
      const rtMs = await roundTripMs(db);
      db.roundTrips = 0;
      const runner = new JobRunner({ queue, concurrency, handlers: { noop: () => undefined } });
      const started = performance.now();
      const summary = await runner.drain();
      const seconds = (performance.now() - started) / 1000;
      if (summary.completed !== D1_JOBS)
        throw new Error(`drain completed ${summary.completed} of ${D1_JOBS}`);
      rows.push({
        store: 'd1 (miniflare)',
        jobs: D1_JOBS,
        concurrency,
        jobsPerSec: D1_JOBS / seconds,
        roundTripsPerJob: db.roundTrips / D1_JOBS,
        msPerRoundTrip: Math.round(rtMs),
      });
    } finally {
      await mf.dispose();
    }
  }
  return rows;
}

async function fileRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const concurrency of [10, 50]) {
    const dir = mkdtempSync(join(tmpdir(), 'redrive-bench-sqlite-'));
    const db = new Database(join(dir, 'jobs.db'));
    try {
      const rate = await drainRun(sqliteAdapter(db, { synchronous: 'FULL' }), FILE_JOBS, concurrency);
      rows.push({
        store: 'sqlite file (WAL, synchronous=FULL)',
        jobs: FILE_JOBS,
        concurrency,
        jobsPerSec: rate,
        roundTripsPerJob: null,
        msPerRoundTrip: null,
      });
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
    rows.push({
      store: 'memory',
      jobs: FILE_JOBS,
      concurrency,
      jobsPerSec: await drainRun(memoryAdapter(), FILE_JOBS, concurrency),
      roundTripsPerJob: null,
      msPerRoundTrip: null,
    });
    const name = `redrive_bench_sqlite_${process.pid}_${concurrency}`;
    try {
      const url = await freshDatabase(name);
      const pool = new pg.Pool({ connectionString: url, max: 24 });
      pool.on('error', () => {});
      const adapter = postgresAdapter({ pool });
      try {
        rows.push({
          store: 'postgres (defaults)',
          jobs: FILE_JOBS,
          concurrency,
          jobsPerSec: await drainRun(adapter, FILE_JOBS, concurrency),
          roundTripsPerJob: null,
          msPerRoundTrip: null,
        });
      } finally {
        await adapter.close();
        await pool.end();
        await dropDatabase(name);
      }
    } catch (error) {
      console.warn(`postgres skipped: ${(error as Error).message}`);
    }
  }
  return rows;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const all: Row[][] = [];
for (let round = 1; round <= ROUNDS; round++) {
  console.log(`round ${round}/${ROUNDS}`);
  all.push([...(await d1Rows()), ...(await fileRows())]);
}
const rows = all[0]!.map((_, i) => {
  const runs = all.map((round) => round[i]!);
  return {
    ...runs[0]!,
    jobsPerSec: Math.round(median(runs.map((r) => r.jobsPerSec))),
    jobsPerSecRuns: runs.map((r) => Math.round(r.jobsPerSec)),
    roundTripsPerJob:
      runs[0]!.roundTripsPerJob === null
        ? null
        : Number(median(runs.map((r) => r.roundTripsPerJob!)).toFixed(3)),
  };
});

console.log(
  '\n| store | jobs | concurrency | jobs/s (median) | runs | D1 round trips/job | ms per D1 round trip |',
);
console.log('|---|---:|---:|---:|---|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.store} | ${r.jobs} | ${r.concurrency} | ${r.jobsPerSec} | ${r.jobsPerSecRuns.join(', ')} | ${r.roundTripsPerJob ?? '–'} | ${r.msPerRoundTrip ?? '–'} |`,
  );
}
const out = fileURLToPath(new URL('../results/sqlite.json', import.meta.url));
writeFileSync(
  out,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      rounds: ROUNDS,
      note: 'Shared 2-core machine with other work running: figures are noisy. D1 is reached from Node (~15-20 ms per statement).',
      rows,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwrote ${out}`);
