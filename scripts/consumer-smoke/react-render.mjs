// Serves a React consumer app's Vite build next to a running demo queue (the HTTP API of
// @redrive/core over the memory adapter, jobs completed and dead-lettered), opens it in Chromium
// and waits until JobQueueDashboard shows those jobs: the packed @redrive/react rendered by the
// app's own React. Fails on a page error or an error logged in the console.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { memoryAdapter } from '@redrive/adapter-memory';
import { createQueue, JobRunner } from '@redrive/core';
import { createHttpHandler } from '@redrive/core/http';
import { chromium } from 'playwright-core';

const queue = createQueue({ adapter: memoryAdapter() });
const runner = new JobRunner({
  queue,
  handlers: {
    export: async () => ({ files: 5 }),
    'charge-card': async () => {
      throw Object.assign(new Error('Invalid API key provided'), { status: 401 });
    },
  },
});
await queue.enqueue('export', {}, { title: 'Export: 5 documents' });
await queue.enqueue('charge-card', {}, { title: 'Charge card 4242' });
await runner.drain();
await queue.enqueue('export', {}, { title: 'Export: waiting', delayMs: 60_000 });

const api = createHttpHandler(queue, { basePath: '/api/queue' });
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const server = createServer(async (req, res) => {
  try {
    if (req.url.startsWith('/api/queue')) {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const response = await api(
        new Request(`http://localhost${req.url}`, { method: req.method, headers: req.headers, body }),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
      return;
    }
    const path = req.url === '/' || !extname(req.url.split('?')[0]) ? '/index.html' : req.url.split('?')[0];
    const file = readFileSync(join('dist', path));
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
    res.end(file);
  } catch {
    if (!res.headersSent) res.writeHead(404);
    res.end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

const profile = mkdtempSync(join(tmpdir(), 'redrive-chromium-'));
process.env.XDG_CONFIG_HOME = profile;
process.env.XDG_CACHE_HOME = profile;
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
});
const problems = [];
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // A failed request is logged to the console too; those are judged by URL below instead.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    // No favicon is served; the memory adapter keeps no throughput history (404, chart hidden).
    if (response.status() >= 400 && pathname !== '/favicon.ico' && !pathname.endsWith('/throughput'))
      problems.push(`${response.status()} for ${pathname}`);
  });
  await page.goto(url);
  await page.getByText('Export: 5 documents').first().waitFor({ timeout: 20_000 });
  await page.getByText('Charge card 4242').first().waitFor({ timeout: 5_000 });
  const react = await page.evaluate(() => document.documentElement.dataset.react);
  if (problems.length) throw new Error(problems.join('\n'));
  console.log(`rendered JobQueueDashboard with React ${react} against the demo API`);
} finally {
  await context.close();
  server.close();
}
