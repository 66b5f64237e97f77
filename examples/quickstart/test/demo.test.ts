/*
 * `npm run demo` as a test: the demo serves the dashboard and the HTTP API on one port, tells the
 * opening story in the terminal, and with `--run-for` stops by itself and exits 0.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

it('serves the dashboard and the API on one port, tells the story, and stops after --run-for', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main.ts', '--port', '0', '--seed', '300', '--run-for', '2000'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  for (let i = 0; i < 300 && !/Dashboard: http/.test(out) && child.exitCode === null; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = out.match(/Dashboard: (http:\/\/\S+)/)?.[1];
  expect(url, out + err).toBeDefined();

  // One port: the page, its bundle, and the API (with the throughput the chart reads).
  const page = await fetch(url!);
  expect(page.headers.get('content-type')).toMatch(/text\/html/);
  expect(await page.text()).toContain('<script type="module" src="/assets/dashboard.js">');
  const script = await fetch(new URL('assets/dashboard.js', url));
  expect([script.status, script.headers.get('content-type')]).toEqual([
    200,
    'text/javascript; charset=utf-8',
  ]);
  expect((await script.text()).length).toBeGreaterThan(50_000);
  expect((await fetch(new URL('assets/dashboard.css', url))).status).toBe(200);
  const stats = await (await fetch(new URL('api/stats', url))).json();
  expect(stats.total).toBeGreaterThanOrEqual(300);
  const throughput = await fetch(new URL(`api/stats/throughput?since=${Date.now() - 3_600_000}`, url));
  expect((await throughput.json()).buckets).toHaveLength(61);
  expect((await fetch(new URL('nope', url))).status).toBe(404);

  expect(await exited).toBe(0);
  expect(err).toBe('');
  expect(out).toMatch(/seeded\s+300 jobs/);
  expect(out).toMatch(/retry\s+fetch-feed: transient_network/);
  expect(out).toMatch(/completed fetch-feed/);
  expect(out).toMatch(/DLQ\s+charge-card: permanent_auth, requiresUserAction=true/);
  expect(out).toMatch(/suggested action: \S+/);
  expect(out).toMatch(/paused\s+embed-document at its checkpoint/);
  expect(out).toMatch(/embed-document resumes at chunk 21/);
  expect(out).toMatch(/snoozed\s+send-digest/);
  expect(out).toMatch(/Story done: 3 completed, 1 dead-lettered/);
  // The workload's own failures are told too.
  expect(out).toMatch(/DLQ\s+CRM sync "umbrella accounts" \(umbrella\): permanent_auth/);
  expect(out).toMatch(/Stopped after \d+ ms/);
}, 60_000);

it('refuses a bad flag with a message naming it and the usage, exit 2', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', '--rate', 'fast'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status).toBe(2);
  expect(run.stderr).toContain('--rate must be an integer from 0 to 60000, got "fast"');
  expect(run.stderr).toContain('--run-for MS');
});
