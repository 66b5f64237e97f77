/*
 * Smoke test of the example: two worker processes and the HTTP API against one database (a
 * schema of its own in the machine's PostgreSQL). The jobs it enqueues get processed, the bad
 * report lands in the dead-letter queue, and the API answers.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, expect, inject, it } from 'vitest';

const dir = fileURLToPath(new URL('../', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));
const schema = `example_${Date.now().toString(36)}`;
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  const c = new pg.Client({ connectionString: inject('databaseUrl') });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});

it('runs two workers and the HTTP API on one database', async () => {
  const port = 3100 + Math.floor(Math.random() * 800);
  child = spawn(process.execPath, ['--import', 'tsx', `${dir}src/main.ts`], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: inject('databaseUrl'), REDRIVE_SCHEMA: schema, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));

  const api = `http://127.0.0.1:${port}/api`;
  let stats: any;
  for (let i = 0; i < 150; i++) {
    await new Promise((r) => setTimeout(r, 200));
    try {
      stats = await (await fetch(`${api}/stats`)).json();
      if (stats.counts?.completed === 11 && stats.counts?.failed === 1) break;
    } catch {}
  }
  expect(stats.counts).toMatchObject({ completed: 11, failed: 1, queued: 0, running: 0 });
  const dead = await (await fetch(`${api}/dead-letters`)).json();
  // The report with a bad month failed permanently: one dead letter, no retry spent on it.
  expect(dead.deadLetters).toHaveLength(1);
  expect(dead.deadLetters[0]).toMatchObject({ type: 'report.build', attempts: 1 });
  expect(output).toContain('[worker-a] started');
  expect(output).toContain('[worker-b] started');
  const created = await fetch(`${api}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'email.send', payload: { to: 'late@example.com' } }),
  });
  expect(created.status).toBe(201);
  child.kill('SIGTERM');
  await new Promise((r) => child!.once('exit', r));
}, 60_000);
