/*
 * Three worker processes share one SQLite file (WAL, busy timeout), 5,000 jobs, one worker
 * SIGKILLed mid-run. Every job ends `completed`, none is lost, and a job runs more than once only
 * if the killed worker held it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NewJobRecord } from '@redrive/core';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sqliteAdapter } from '../src/index.js';

const JOBS = 5_000;
const root = fileURLToPath(new URL('../../../', import.meta.url));
const workerScript = fileURLToPath(new URL('./crash/worker.ts', import.meta.url));

let dir: string;
let file: string;
let db: Database.Database;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'redrive-sqlite-crash-'));
  file = join(dir, 'jobs.db');
  db = new Database(file);
  await sqliteAdapter(db).migrate();
  db.exec('CREATE TABLE executions (job_id TEXT NOT NULL, worker TEXT NOT NULL)');
});

afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

function startWorker(id: string): Promise<ChildProcess> {
  // tsx resolves @redrive/* to the sources through the root tsconfig paths.
  const child = fork(workerScript, [file, id], {
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

const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;

it('survives a SIGKILLed worker: all 5,000 jobs complete, duplicates only for jobs the dead worker held', async () => {
  const adapter = sqliteAdapter(db, { migrate: false });
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

  // Kill the victim once it has done real work, while it holds running jobs.
  for (let i = 0; i < 3000; i++) {
    if (count(`SELECT count(*) AS n FROM executions WHERE worker = 'w-victim'`) >= 300) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const heldAtKill = count(
    `SELECT count(*) AS n FROM redrive_jobs WHERE status = 'running' AND lease_owner = 'w-victim'`,
  );
  victim.kill('SIGKILL');
  expect(heldAtKill).toBeGreaterThan(0);

  // The survivors finish everything, including the victim's jobs once its leases expire (2 s).
  const deadline = Date.now() + 150_000;
  while (count(`SELECT count(*) AS n FROM redrive_jobs WHERE status = 'completed'`) < JOBS) {
    expect(Date.now()).toBeLessThan(deadline);
    await new Promise((r) => setTimeout(r, 100));
  }

  expect(count('SELECT count(*) AS n FROM redrive_jobs')).toBe(JOBS);
  expect(count(`SELECT count(*) AS n FROM redrive_jobs WHERE status <> 'completed'`)).toBe(0);
  // None lost: every job ran at least once.
  expect(
    count(
      `SELECT count(*) AS n FROM redrive_jobs j WHERE NOT EXISTS (SELECT 1 FROM executions e WHERE e.job_id = j.id)`,
    ),
  ).toBe(0);
  // Duplicates only where the victim ran the job (it died before its completion was written).
  const duplicates = db
    .prepare(
      `SELECT job_id, group_concat(worker) AS workers FROM executions GROUP BY job_id HAVING count(*) > 1`,
    )
    .all() as { job_id: string; workers: string }[];
  for (const row of duplicates) expect(row.workers.split(',')).toContain('w-victim');
  const victimRan = count(`SELECT count(*) AS n FROM executions WHERE worker = 'w-victim'`);
  console.log(
    `[crash] victim held ${heldAtKill} leases at SIGKILL after ${victimRan} executions; ${duplicates.length} jobs ran twice`,
  );
  // At most the jobs it held when it died (plus the few it claimed between the count and the kill).
  expect(duplicates.length).toBeLessThanOrEqual(heldAtKill + 20);

  for (const child of workers.slice(0, 2)) child.kill('SIGTERM');
  await Promise.all(workers.slice(0, 2).map((c) => new Promise((r) => c.once('exit', r))));
}, 180_000);
