/*
 * The dashboard in a real browser (Debian chromium + playwright-core) against the running demo,
 * holding 5,000 seeded jobs: stats match the API, filters and search work through the UI and
 * survive a reload (URL), a failed job shows its attempts and can be retried, a dead letter is
 * redriven from the DLQ view, a bulk retry runs on a filter, and axe-core finds no serious or
 * critical violation, light and dark. Screenshots go to test-artifacts/dashboard/; the first page
 * render time is printed in a table.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium, type RunningDemo, startDemo } from './harness.js';

const SEED = 5_000;
const ARTEFACTS = fileURLToPath(new URL('../../../test-artifacts/dashboard/', import.meta.url));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let demo: RunningDemo;
let browser: Browser;
let page: Page;
const figures: Array<[string, string]> = [];
const started = Date.now();

beforeAll(async () => {
  mkdirSync(ARTEFACTS, { recursive: true });
  // No stream of new jobs: the figures hold still between the UI and the API (retries still run).
  demo = await startDemo(['--seed', String(SEED), '--rate', '0']);
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  // Records when the first job row appears, from the browser's own clock (ms since navigation).
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('table[aria-label="Jobs"] tr[data-job-id]')) {
        performance.mark('redrive:first-rows');
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (figures.length > 0) {
    figures.push(['whole browser test (demo start to last check)', `${Date.now() - started} ms`]);
    const width = Math.max(...figures.map(([k]) => k.length));
    console.log(
      `\nDashboard in Chromium, ${SEED.toLocaleString('en')} seeded jobs\n${figures
        .map(([k, v]) => `| ${k.padEnd(width)} | ${v} |`)
        .join('\n')}\n`,
    );
  }
});

const api = async (path: string) => (await fetch(new URL(`api${path}`, demo.url))).json() as Promise<any>;
const dashboard = () => page.getByRole('region', { name: 'Job queue dashboard' });
const jobsTable = () => page.getByRole('table', { name: 'Jobs' });
const rows = () => jobsTable().locator('tbody tr[data-job-id]');
const filters = () => page.getByRole('search', { name: 'Filter jobs' });
const details = () => page.getByRole('complementary', { name: 'Job details' });

async function waitForSeedToSettle(): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const stats = await api('/stats');
    if (stats.total >= SEED && stats.counts.running === 0 && stats.counts.queued === stats.retryScheduled)
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the seeded jobs did not settle within 60 s');
}

async function noSeriousAxeViolations(where: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v: any) =>
          `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n: any) => n.target.join(' ')).join(', ')})`,
      );
  });
  expect(violations, `axe-core, ${where}`).toEqual([]);
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: `${ARTEFACTS}${name}.png`, fullPage: false });
}

/** The number a stat card shows (`1,234` → 1234). */
async function statCard(key: string): Promise<number> {
  const text = await dashboard().locator(`[data-stat="${key}"]`).textContent();
  return Number(text.match(/\d[\d,]*/)![0].replaceAll(',', ''));
}

describe('the dashboard demo in Chromium', { timeout: 60_000 }, () => {
  it(`renders the first page of ${SEED.toLocaleString('en')} jobs by keyset, fast`, async () => {
    await waitForSeedToSettle();
    const response = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/jobs');
    await page.goto(demo.url);
    await expect.poll(() => rows().count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const firstPage = await (await response).json();
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const list = performance
        .getEntriesByType('resource')
        .find((e) => new URL(e.name).pathname === '/api/jobs') as PerformanceResourceTiming;
      const script = performance
        .getEntriesByType('resource')
        .find((e) => e.name.endsWith('/assets/dashboard.js')) as PerformanceResourceTiming;
      return {
        domContentLoaded: nav.domContentLoadedEventEnd,
        listRequest: list.responseEnd - list.startTime,
        listBytes: list.encodedBodySize,
        script: script.responseEnd - script.startTime,
        scriptBytes: script.encodedBodySize,
        firstRows: performance.getEntriesByName('redrive:first-rows')[0]!.startTime,
      };
    });
    const stats = await api('/stats');
    expect(stats.total).toBeGreaterThanOrEqual(SEED);
    // One page, not the store: a keyset cursor to the next one.
    expect(firstPage.jobs.length).toBeLessThanOrEqual(100);
    expect(firstPage.nextCursor).toEqual(expect.any(String));
    expect(timing.firstRows).toBeLessThan(10_000);
    figures.push(
      ['jobs in the store', stats.total.toLocaleString('en')],
      [
        'dashboard.js download',
        `${timing.script.toFixed(0)} ms, ${(timing.scriptBytes / 1024).toFixed(0)} kB`,
      ],
      ['DOMContentLoaded', `${timing.domContentLoaded.toFixed(0)} ms`],
      [
        'GET /api/jobs (first page)',
        `${timing.listRequest.toFixed(0)} ms, ${firstPage.jobs.length} jobs, ${(timing.listBytes / 1024).toFixed(0)} kB`,
      ],
      ['first job rows rendered (since navigation)', `${timing.firstRows.toFixed(0)} ms`],
    );
  });

  it('shows the same stats as GET /stats', async () => {
    const keys = ['queued', 'running', 'completed', 'failed', 'deadLetters', 'retryScheduled'] as const;
    await page.getByRole('checkbox', { name: 'Auto-refresh' }).uncheck();
    let mismatch = '';
    // A retry coming due can move a figure between the two reads: read both again until they agree.
    for (let i = 0; i < 10; i++) {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForLoadState('networkidle');
      const ui = Object.fromEntries(await Promise.all(keys.map(async (k) => [k, await statCard(k)])));
      const s = await api('/stats');
      const expected = { ...s.counts, deadLetters: s.deadLetters, retryScheduled: s.retryScheduled };
      mismatch = keys
        .filter((k) => ui[k] !== expected[k])
        .map((k) => `${k}: ui ${ui[k]} vs api ${expected[k]}`)
        .join(', ');
      if (!mismatch) break;
    }
    expect(mismatch).toBe('');
    expect(await statCard('completed')).toBeGreaterThan(1000);
    await page.getByRole('checkbox', { name: 'Auto-refresh' }).check();
  });

  it('searches by a word of a title, filters by status, and keeps the filter across a reload', async () => {
    await filters().getByRole('searchbox', { name: 'Search jobs' }).fill('Sold');
    await expect.poll(() => page.url()).toMatch(/[?&]q=Sold/);
    await expect.poll(() => rows().count()).toBeGreaterThan(0);
    for (const text of await rows().allTextContents())
      expect(text).toContain('The Man Who Sold the World.pdf');
    await filters().getByRole('searchbox', { name: 'Search jobs' }).fill('');
    await expect.poll(() => page.url()).not.toMatch(/[?&]q=/);

    await filters().getByRole('combobox', { name: 'Status' }).selectOption('failed');
    await expect.poll(() => page.url()).toMatch(/[?&]status=failed/);
    await expect
      .poll(async () => [
        ...new Set(
          await rows()
            .locator('.redrive-badge')
            .evaluateAll((b) => b.map((e) => (e as HTMLElement).dataset.status)),
        ),
      ])
      .toEqual(['failed']);
    await screenshot('list-light');
    await noSeriousAxeViolations('job list, light');

    await page.reload();
    await expect.poll(() => filters().getByRole('combobox', { name: 'Status' }).inputValue()).toBe('failed');
    await expect.poll(() => rows().count()).toBeGreaterThan(0);
    const statuses = await rows()
      .locator('.redrive-badge')
      .evaluateAll((b) => b.map((e) => (e as HTMLElement).dataset.status));
    expect(new Set(statuses)).toEqual(new Set(['failed']));
  });

  it('opens a failed job with its attempt history, and Retry queues it', async () => {
    // Filtered to failed jobs by the previous test (and the URL).
    const id = await rows().first().getAttribute('data-job-id');
    const row = jobsTable().locator(`tbody tr[data-job-id="${id}"]`);
    const history = await api(`/jobs/${id}/retries`);
    await row
      .getByRole('button')
      .filter({ hasNotText: /^(Retry|Restart|Delete|Redrive|Cancel|Pause|Resume)$/ })
      .first()
      .click();
    await details().waitFor({ state: 'visible' });
    await expect.poll(() => page.url()).toMatch(new RegExp(`[?&]job=${id}`));
    const attempts = details().getByRole('list', { name: 'Attempt history' }).getByRole('listitem');
    await expect.poll(() => attempts.count()).toBe(history.retries.length);
    expect(history.retries.length).toBeGreaterThan(0);
    await expect.poll(() => attempts.first().textContent()).toContain(history.retries[0].error);
    await screenshot('detail-light');
    await noSeriousAxeViolations('job detail, light');

    // The job runs again at once and may fail again quickly: watch every frame for the queued badge.
    const sawQueued = page.waitForFunction(
      () =>
        document.querySelector('[aria-label="Job details"] .redrive-badge')?.getAttribute('data-status') ===
        'queued',
      null,
      { polling: 'raf', timeout: 10_000 },
    );
    const retried = page.waitForResponse(
      (r) => r.url().endsWith(`/api/jobs/${id}/retry`) && r.request().method() === 'POST',
    );
    await details().getByRole('button', { name: 'Retry', exact: true }).click();
    expect(await (await retried).json()).toMatchObject({ id, status: 'queued', attempt: 0 });
    await sawQueued;
    await page.getByRole('button', { name: 'Close details' }).click();
    await expect.poll(() => details().count()).toBe(0);
  });

  it('retries every failed invoice through "Retry all matching" after a confirmation with the count', async () => {
    await filters().getByRole('combobox', { name: 'Type' }).selectOption('send-invoice');
    await expect.poll(() => page.url()).toMatch(/[?&]type=send-invoice/);
    await expect.poll(() => rows().count()).toBeGreaterThan(0);
    const before = (await api('/stats?type=send-invoice')).counts.failed as number;
    expect(before).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Retry all matching' }).click();
    const dialog = page.getByRole('alertdialog');
    await expect.poll(() => dialog.textContent()).toContain(before.toLocaleString('en'));
    const bulk = page.waitForResponse((r) => r.url().endsWith('/api/jobs/bulk'));
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const response = await bulk;
    expect(JSON.parse(response.request().postData()!)).toMatchObject({
      action: 'retry',
      filter: { status: 'failed', type: 'send-invoice' },
    });
    const result = await response.json();
    expect(result.succeeded).toHaveLength(before);
    // Each of them ran again: its history now has one more failed attempt, or it is still due.
    const job = await api(`/jobs/${result.succeeded[0]}`);
    expect(job.redriveCount).toBeGreaterThanOrEqual(1);
  });

  it('redrives a dead letter from the dead-letter view', async () => {
    await page.getByRole('tab', { name: 'Dead letters' }).click();
    await expect.poll(() => page.url()).toMatch(/[?&]view=dead-letters/);
    const dlq = page.getByRole('table', { name: 'Dead letters' });
    await expect.poll(() => dlq.locator('tbody tr[data-job-id]').count()).toBeGreaterThan(0);
    await noSeriousAxeViolations('dead letters, light');
    // Pin the row by its id: jobs retried by the previous test re-enter the list at the top.
    const id = (await dlq.locator('tbody tr[data-job-id]').last().getAttribute('data-job-id'))!;
    const row = dlq.locator(`tbody tr[data-job-id="${id}"]`);
    const before = await api(`/jobs/${id}`);
    const redrive = page.waitForResponse((r) => r.url().endsWith('/api/dead-letters/redrive'));
    await row.getByRole('button', { name: 'Redrive', exact: true }).click();
    const result = await (await redrive).json();
    expect(result.succeeded).toEqual([id]);
    const after = await api(`/jobs/${id}`);
    expect(after.redriveCount).toBe(before.redriveCount + 1);
  });

  it('is dark with prefers-color-scheme: dark, with no serious axe violations there either', async () => {
    await page.goto(demo.url);
    await expect.poll(() => rows().count()).toBeGreaterThan(0);
    await screenshot('overview-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await expect.poll(() => dashboard().getAttribute('data-theme')).toBe('dark');
    await expect.poll(() => rows().count()).toBeGreaterThan(0);
    await screenshot('list-dark');
    await noSeriousAxeViolations('job list, dark');
    await rows().first().getByRole('button').first().click();
    await details().waitFor({ state: 'visible' });
    await screenshot('detail-dark');
    await noSeriousAxeViolations('job detail, dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
