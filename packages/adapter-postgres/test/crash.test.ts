/*
 * Acceptance 2: three worker processes, 5,000 jobs, one worker SIGKILLed mid-run. Every job ends
 * `completed`, none is lost, and a job runs more than once only if the killed worker held it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { NewJobRecord } from '@redrive/core';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { postgresAdapter } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from './helpers.js';

const JOBS = 5_000;
const root = fileURLToPath(new URL('../../../', import.meta.url));
const workerScript = fileURLToPath(new URL('./crash/worker.ts', import.meta.url));

let db: TestDatabase;
let pool: pg.Pool;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase('redrive_crash');
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  pool.on('error', () => {});
  await postgresAdapter({ pool }).migrate();
  await pool.query('CREATE TABLE executions (job_id text NOT NULL, worker text NOT NULL)');
});

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await pool?.end();
  await db?.drop();
});

function startWorker(id: string): Promise<ChildProcess> {
  // tsx resolves @redrive/* to the sources through the root tsconfig paths.
  const child = fork(workerScript, [db.url, id], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker ${id} exited early (${code})`)));
  });
}

async function count(sql: string): Promise<number> {
  return (await pool.query(sql)).rows[0].n;
}

it('survives a SIGKILLed worker: all 5,000 jobs complete, duplicates only for jobs the dead worker held', async () => {
  const adapter = postgresAdapter({ pool, migrate: false });
  const now = Date.now();
  const jobs: NewJobRecord[] = Array.from({ length: JOBS }, (_, i) => ({
    id: `crash-${i.toString().padStart(5, '0')}`,
    type: 'crash.test',
    queue: 'default',
    tenantId: null,
    payload: { i },
    priority: 0,
    runAt: now,
    maxAttempts: 5,
    idempotencyKey: null,
    timeoutMs: null,
    title: null,
    metadata: {},
    createdAt: now + i,
  }));
  await adapter.enqueue(jobs);

  const workers = await Promise.all(['w-a', 'w-b', 'w-victim'].map(startWorker));
  const victim = workers[2]!;

  // Kill the victim once it has done real work, while it holds running and buffered jobs.
  for (let i = 0; i < 600; i++) {
    if ((await count(`SELECT count(*)::int AS n FROM executions WHERE worker = 'w-victim'`)) >= 300) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const exited = new Promise((r) => victim.once('exit', r));
  victim.kill('SIGKILL');
  await exited;
  // What the dead worker held, running and claimed ahead (the runner's buffer): its leases stay
  // until they expire (4 s after its last heartbeat, sent every second), so read them now.
  const held = (
    await pool.query(`SELECT id FROM redrive.jobs WHERE status = 'running' AND lease_owner = 'w-victim'`)
  ).rows.map((r) => r.id as string);
  const heldAtKill = held.length;
  expect(heldAtKill).toBeGreaterThan(0);

  // The survivors finish everything, including the victim's jobs once its leases expire (4 s).
  const deadline = Date.now() + 90_000;
  while ((await count(`SELECT count(*)::int AS n FROM redrive.jobs WHERE status = 'completed'`)) < JOBS) {
    expect(Date.now()).toBeLessThan(deadline);
    await new Promise((r) => setTimeout(r, 100));
  }

  expect(await count(`SELECT count(*)::int AS n FROM redrive.jobs`)).toBe(JOBS);
  expect(await count(`SELECT count(*)::int AS n FROM redrive.jobs WHERE status <> 'completed'`)).toBe(0);
  // None lost: every job ran at least once.
  expect(
    await count(
      `SELECT count(*)::int AS n FROM redrive.jobs j WHERE NOT EXISTS (SELECT 1 FROM executions e WHERE e.job_id = j.id)`,
    ),
  ).toBe(0);
  // Duplicates only where the victim ran the job (it died before recording the completion).
  const duplicates = await pool.query(
    `SELECT job_id, array_agg(worker ORDER BY worker) AS workers FROM executions GROUP BY job_id HAVING count(*) > 1`,
  );
  for (const row of duplicates.rows) expect(row.workers).toContain('w-victim');
  const victimRan = await count(`SELECT count(*)::int AS n FROM executions WHERE worker = 'w-victim'`);
  console.log(
    `[crash] victim held ${heldAtKill} leases (running + claimed ahead) at SIGKILL after ${victimRan} executions; ` +
      `${duplicates.rowCount} jobs ran twice`,
  );
  expect(duplicates.rowCount).toBeLessThanOrEqual(heldAtKill + 20);
  // An attempt not matched by an execution would be one the crash cost a job that never ran (one
  // the victim had claimed ahead): core's crash refund gives those back, so there is none.
  const charged = await pool.query(`SELECT j.id, j.attempt - (SELECT count(*) FROM executions e
      WHERE e.job_id = j.id)::int AS extra FROM redrive.jobs j
      WHERE j.attempt > (SELECT count(*) FROM executions e WHERE e.job_id = j.id)`);
  expect(charged.rows).toEqual([]);

  for (const child of workers.slice(0, 2)) child.kill('SIGTERM');
  await Promise.all(workers.slice(0, 2).map((c) => new Promise((r) => c.once('exit', r))));
}, 120_000);
