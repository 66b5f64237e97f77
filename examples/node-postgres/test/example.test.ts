/*
 * Smoke test of the example: two worker processes and the HTTP API against one database (a
 * schema of its own in the machine's PostgreSQL). The jobs it enqueues get processed, the bad
 * report lands in the dead-letter queue, and the API answers; the API process survives a huge
 * upload and a method Fetch cannot represent.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';

const dir = fileURLToPath(new URL('../', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));
const schema = `example_${Date.now().toString(36)}`;
const port = 3100 + Math.floor(Math.random() * 800);
const api = `http://127.0.0.1:${port}/api`;
let child: ChildProcess | undefined;
let output = '';

beforeAll(() => {
  child = spawn(process.execPath, ['--import', 'tsx', `${dir}src/main.ts`], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: inject('databaseUrl'), REDRIVE_SCHEMA: schema, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  const c = new pg.Client({ connectionString: inject('databaseUrl') });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});

/** Resident memory of the API process, in MB (Linux). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return Number(line![1]) / 1024;
}

/**
 * POSTs up to `totalBytes` of body, 1 MB at a time as fast as the server takes them, and stops
 * writing as soon as a response arrives. Resolves with the status and how much was written.
 */
function upload(
  totalBytes: number,
  chunked: boolean,
): Promise<{ status: number | undefined; sentMb: number }> {
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!chunked) headers['content-length'] = String(totalBytes);
  const req = http.request(`${api}/jobs`, { method: 'POST', headers });
  let sent = 0;
  let status: number | undefined;
  let answered = false;
  return new Promise((resolve) => {
    const finish = () => resolve({ status, sentMb: sent / 1024 / 1024 });
    req.on('response', (res) => {
      answered = true;
      status = res.statusCode;
      res.resume();
      res.on('end', finish);
    });
    req.on('error', () => (answered ? undefined : finish()));
    const pump = () => {
      while (!answered && !req.destroyed && sent < totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered && !req.destroyed) req.end();
    };
    pump();
  });
}

it('runs two workers and the HTTP API on one database', async () => {
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
}, 60_000);

it('refuses a 200 MB body with 413 before reading it, with and without a content-length', async () => {
  const before = rssMb(child!.pid!);
  for (const chunked of [false, true]) {
    const { status, sentMb } = await upload(200 * 1024 * 1024, chunked);
    expect(status).toBe(413);
    // The answer came while the client was still sending: the server stopped reading early.
    expect(sentMb).toBeLessThan(100);
  }
  // Nothing close to the body was buffered (it would be 200 MB per upload).
  expect(rssMb(child!.pid!) - before).toBeLessThan(60);
  expect((await fetch(`${api}/stats`)).status).toBe(200);
}, 60_000);

it('answers a TRACE request (a method Fetch cannot represent) and keeps serving', async () => {
  const status = await new Promise<number | undefined>((resolve, reject) => {
    const req = http.request(`${api}/stats`, { method: 'TRACE' }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
  expect(status).toBe(405);
  expect(child!.exitCode).toBeNull();
  expect((await fetch(`${api}/stats`)).status).toBe(200);
  child!.kill('SIGTERM');
  await new Promise((r) => child!.once('exit', r));
}, 30_000);
