/*
 * The fault suite: 2 worker processes, 2,000 jobs, against a throwaway PostgreSQL cluster this
 * script starts on a free port (never the shared server). Each fault runs twice, with
 * `maxAttempts: 1` and with the default policy (5):
 *
 * - kill-backends: every connection of the workers is terminated mid-run;
 * - stop-5s: the server is stopped (fast shutdown) for 5 s, then started again;
 * - sigkill: one worker is SIGKILLed mid-run;
 * - sigstop: one worker is SIGSTOPped for its lease (4 s) plus 2 s, then continued.
 *
 * Every job must end as its handler decided (completed with `{ i }`, or failed with the handler's
 * permanent error), none dead-lettered because of an outage, and a job may run twice only if the
 * killed or stopped worker held it. With `maxAttempts: 1` a job the victim worker was running when
 * it died used its one attempt: it is dead-lettered as "lease expired" (counted apart, and it must
 * be one the victim held and ran). A job dead-lettered without ever running is a broken rule: the
 * jobs the victim held claimed ahead get their attempt back (core's crash refund). Prints a table;
 * exits 1 when a rule is broken.
 *
 * Run: node scripts/bootstrap.mjs pnpm run test:faults
 */
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { postgresAdapter } from '../../src/index.js';
import { freePort } from '../global-setup.js';

const JOBS = 2_000;
const LEASE_MS = 4_000;
const BIN = '/usr/lib/postgresql/15/bin';
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const workerScript = fileURLToPath(new URL('./fault-worker.ts', import.meta.url));

type Fault = 'kill-backends' | 'stop-5s' | 'sigkill' | 'sigstop';

interface Row {
  fault: Fault;
  maxAttempts: string;
  asDecided: number;
  completed: number;
  refused: number;
  leaseExpired: number;
  /** Dead-lettered without a single run (an attempt charged that was never used). */
  deadUnrun: number;
  deadForOutage: number;
  lost: number;
  duplicates: number;
  victimHeld: number;
  seconds: number;
  problems: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A throwaway cluster: initdb and pg_ctl as `postgres` (initdb refuses root) in a directory it owns. */
class Cluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'redrive-faults-'));
  readonly data = join(this.dir, 'data');
  port = 0;

  private run(cmd: string, args: string[]): void {
    const isRoot = process.getuid?.() === 0;
    if (isRoot) execFileSync('runuser', ['-u', 'postgres', '--', join(BIN, cmd), ...args], { stdio: 'pipe' });
    else execFileSync(join(BIN, cmd), args, { stdio: 'pipe' });
  }

  async init(): Promise<void> {
    chmodSync(this.dir, 0o777);
    this.port = await freePort();
    this.run('initdb', ['-D', this.data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    this.start();
  }

  start(): void {
    this.run('pg_ctl', [
      '-D',
      this.data,
      '-l',
      join(this.dir, 'log'),
      '-w',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`,
      'start',
    ]);
  }

  stop(): void {
    this.run('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', 'stop']);
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  destroy(): void {
    try {
      if (existsSync(join(this.data, 'postmaster.pid')))
        this.run('pg_ctl', ['-D', this.data, '-m', 'immediate', 'stop']);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/** A query on a fresh connection (the admin side must survive the server restarts it causes). */
async function query<T = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end().catch(() => {});
  }
}

async function until(what: string, deadlineMs: number, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      if (await done()) return;
    } catch {
      // the server may be restarting
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function startWorker(url: string, id: string, executions: string): Promise<ChildProcess> {
  const child = fork(workerScript, [url, id, executions], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker ${id} exited early (${code})`)));
  });
}

async function scenario(cluster: Cluster, fault: Fault, maxAttempts: number | undefined): Promise<Row> {
  const started = Date.now();
  const name = `faults_${fault.replace('-', '_')}_${maxAttempts ?? 'default'}`.replace(/[^a-z0-9_]/g, '_');
  await query(cluster.url('postgres'), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await query(cluster.url('postgres'), `CREATE DATABASE ${name}`);
  const url = cluster.url(name);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  const adapter = postgresAdapter({ pool });
  await adapter.migrate();
  const now = Date.now();
  await adapter.enqueue(
    Array.from({ length: JOBS }, (_, i) => ({
      id: `job-${i.toString().padStart(5, '0')}`,
      type: 'fault',
      queue: 'default',
      tenantId: null,
      payload: { i },
      priority: 0,
      runAt: now,
      maxAttempts: maxAttempts ?? 5,
      idempotencyKey: null,
      timeoutMs: null,
      title: null,
      metadata: {},
      createdAt: now + i,
    })),
  );
  await adapter.close();
  await pool.end();

  const files = {
    'w-a': join(cluster.dir, `${name}-a.log`),
    'w-victim': join(cluster.dir, `${name}-victim.log`),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const workers = await Promise.all(Object.entries(files).map(([id, f]) => startWorker(url, id, f)));
  const victim = workers[1]!;
  const settled = async () =>
    Number(
      (
        await query<{ n: string }>(
          url,
          "SELECT count(*) AS n FROM redrive.jobs WHERE status IN ('completed', 'failed')",
        )
      )[0]!.n,
    );
  await until('a quarter of the jobs', 60_000, async () => (await settled()) >= JOBS / 4);

  let victimHeld = new Set<string>();
  const held = async () =>
    new Set(
      (
        await query<{ id: string }>(
          url,
          "SELECT id FROM redrive.jobs WHERE status = 'running' AND lease_owner = 'w-victim'",
        )
      ).map((r) => r.id),
    );
  switch (fault) {
    case 'kill-backends':
      await query(
        cluster.url('postgres'),
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name],
      );
      break;
    case 'stop-5s':
      cluster.stop();
      await sleep(5_000);
      cluster.start();
      break;
    // What the victim holds is read after the signal: it can change nothing from then on.
    case 'sigkill':
      victim.kill('SIGKILL');
      await new Promise((resolve) => victim.once('exit', resolve));
      victimHeld = await held();
      break;
    case 'sigstop':
      victim.kill('SIGSTOP');
      await sleep(200); // writes already sent may still commit
      victimHeld = await held();
      await sleep(LEASE_MS + 2_000);
      victim.kill('SIGCONT');
      break;
  }
  await until('every job settled', 120_000, async () => (await settled()) === JOBS);
  // Let the victim's stale writes (after SIGCONT) land or be refused before reading.
  await sleep(500);

  const rows = await query<{
    id: string;
    status: string;
    result: unknown;
    error: string | null;
    payload: { i: number };
  }>(url, 'SELECT id, status, result, error, payload FROM redrive.jobs');
  const executions = new Map<string, string[]>();
  for (const [worker, file] of Object.entries(files)) {
    for (const id of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      executions.set(id, [...(executions.get(id) ?? []), worker]);
    }
  }
  const row: Row = {
    fault,
    maxAttempts: String(maxAttempts ?? 'default (5)'),
    asDecided: 0,
    completed: 0,
    refused: 0,
    leaseExpired: 0,
    deadUnrun: 0,
    deadForOutage: 0,
    lost: 0,
    duplicates: 0,
    victimHeld: victimHeld.size,
    seconds: 0,
    problems: [],
  };
  const victimFault = fault === 'sigkill' || fault === 'sigstop';
  for (const job of rows) {
    const { i } = job.payload;
    const ran = executions.get(job.id) ?? [];
    if (ran.length === 0) {
      row.lost++;
      if (job.status === 'failed') row.deadUnrun++;
    }
    if (ran.length > 1) {
      row.duplicates++;
      if (!victimHeld.has(job.id))
        row.problems.push(`${job.id} ran ${ran.length} times, not held by a victim`);
    }
    const refusedByHandler = i % 10 === 0;
    if (job.status === 'completed') row.completed++;
    if (job.status === 'failed' && job.error === `refused ${i}`) row.refused++;
    if (
      refusedByHandler
        ? job.status === 'failed' && job.error === `refused ${i}`
        : job.status === 'completed' && (job.result as { i?: number } | null)?.i === i
    ) {
      row.asDecided++;
      continue;
    }
    // Not as the handler decided: only allowed for a job the victim held and ran, on its last attempt.
    if (
      victimFault &&
      maxAttempts === 1 &&
      victimHeld.has(job.id) &&
      ran.length > 0 &&
      job.status === 'failed' &&
      /lease expired/.test(job.error ?? '')
    ) {
      row.leaseExpired++;
      continue;
    }
    if (job.status === 'failed') row.deadForOutage++;
    row.problems.push(
      `${job.id} ended ${job.status} (${job.error ?? JSON.stringify(job.result)}), handler decided ${refusedByHandler ? 'refused' : 'completed'}`,
    );
  }
  if (rows.length !== JOBS) row.problems.push(`${rows.length} jobs in the store, expected ${JOBS}`);
  if (row.lost > 0) row.problems.push(`${row.lost} jobs never ran (${row.deadUnrun} of them dead-lettered)`);

  for (const child of workers) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          resolve(undefined);
        }, 10_000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve(undefined);
        });
      });
    }
  }
  await query(cluster.url('postgres'), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  row.seconds = Math.round((Date.now() - started) / 100) / 10;
  return row;
}

function printTable(rows: Row[]): void {
  const header = [
    'fault',
    'maxAttempts',
    'as decided',
    'completed',
    'refused',
    'lease-expired (victim)',
    'dead unrun',
    'dead for outage',
    'lost',
    'ran twice',
    'victim held',
    's',
  ];
  const lines = rows.map((r) =>
    [
      r.fault,
      r.maxAttempts,
      `${r.asDecided}/${JOBS}`,
      r.completed,
      r.refused,
      r.leaseExpired,
      r.deadUnrun,
      r.deadForOutage,
      r.lost,
      r.duplicates,
      r.victimHeld,
      r.seconds,
    ].map(String),
  );
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(fmt(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(fmt(l));
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const cluster = new Cluster();
  const rows: Row[] = [];
  try {
    await cluster.init();
    console.log(`[faults] throwaway PostgreSQL 15 on port ${cluster.port} (${cluster.dir})`);
    for (const fault of ['kill-backends', 'stop-5s', 'sigkill', 'sigstop'] as const) {
      if (only.length > 0 && !only.includes(fault)) continue;
      for (const maxAttempts of [1, undefined]) {
        const row = await scenario(cluster, fault, maxAttempts);
        console.log(
          `[faults] ${fault} maxAttempts=${row.maxAttempts}: ${row.asDecided}/${JOBS} as decided in ${row.seconds} s`,
        );
        rows.push(row);
      }
    }
  } finally {
    cluster.destroy();
  }
  printTable(rows);
  const problems = rows.flatMap((r) =>
    r.problems.map((p) => `${r.fault} maxAttempts=${r.maxAttempts}: ${p}`),
  );
  if (problems.length > 0) {
    console.error(`[faults] ${problems.length} problems:\n${problems.slice(0, 40).join('\n')}`);
    process.exit(1);
  }
  console.log(
    '[faults] every job ended as its handler decided (or, with maxAttempts 1, as lease-expired on a job the victim held and ran)',
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
