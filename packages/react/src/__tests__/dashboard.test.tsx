// @vitest-environment jsdom
// The dashboard driven by the in-process client over a real queue (memory adapter), no HTTP.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQueueClient } from '../client/create-queue-client.js';
import type { JobsClient } from '../client/jobs-client.js';
import { type SeededQueue, seededQueue, XSS } from './fixtures.js';
import { renderDashboard } from './render-dashboard.js';

let seeded: SeededQueue;
beforeEach(async () => {
  window.history.replaceState(null, '', '/ops?tab=queue');
  seeded = await seededQueue();
});
afterEach(cleanup);

const row = (id: string) => document.querySelector<HTMLElement>(`tr[data-job-id="${id}"]`)!;
const rowButtons = (id: string) =>
  within(row(id))
    .queryAllByRole('button')
    .map((b) => b.textContent)
    .filter((t) => ['Retry', 'Restart', 'Pause', 'Resume', 'Cancel', 'Delete', 'Redrive'].includes(t ?? ''));

async function ready() {
  await screen.findByRole('table', { name: 'Jobs' });
}

describe('JobQueueDashboard over createQueueClient', () => {
  it('shows the stats of the store and names every job', async () => {
    renderDashboard(createQueueClient(seeded.queue));
    await ready();
    const stats = await seeded.queue.stats();
    const region = screen.getByRole('region', { name: 'Queue stats' });
    for (const [key, value] of [
      ['queued', stats.counts.queued],
      ['running', stats.counts.running],
      ['completed', stats.counts.completed],
      ['failed', stats.counts.failed],
      ['deadLetters', stats.deadLetters],
      ['retryScheduled', stats.retryScheduled],
    ] as const) {
      await waitFor(() =>
        expect(region.querySelector(`[data-stat="${key}"]`)!.textContent).toContain(String(value)),
      );
    }
    expect(region.querySelector('[data-stat="retryScheduled"]')!.textContent).toBe('1Retry scheduled');
    expect(screen.getByRole('button', { name: 'Processing: The Man Who Sold the World.pdf' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Export: 5 documents' })).toBeTruthy();
    // Running: progress with stage, substage and details, a live pulse, the pause-safe checkpoint.
    const running = row(seeded.ids.running);
    expect(within(running).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('40');
    expect(running.textContent).toContain('40% · render › frames · Frame 120 of 300');
    expect(within(running).getByRole('img', { name: /^Live: updated/ })).toBeTruthy();
    expect(running.textContent).toContain('Checkpoint: frames (pause-safe)');
    expect(row(seeded.ids.paused).textContent).toContain('Paused: waiting for approval');
    expect(within(row(seeded.ids.retrying)).getByText('Retry 1/3')).toBeTruthy();
    // The memory adapter counts finished jobs per minute (queue.throughput): the chart shows.
    expect(await screen.findByRole('figure', { name: 'Throughput, last hour' })).toBeTruthy();
  });

  it('offers per-status actions; pause only for the job at a pause-safe checkpoint', async () => {
    renderDashboard(createQueueClient(seeded.queue));
    await ready();
    const { ids } = seeded;
    expect(rowButtons(ids.running)).toEqual(['Pause', 'Cancel']);
    expect(rowButtons(ids.paused)).toEqual(['Resume', 'Cancel']);
    expect(rowButtons(ids.failed)).toEqual(['Retry', 'Restart', 'Delete']);
    expect(rowButtons(ids.completed)).toEqual(['Delete']);
    expect(rowButtons(ids.queued)).toEqual(['Cancel']);
    expect(rowButtons(ids.retrying)).toEqual(['Cancel']);
    expect(rowButtons(ids.cancelled)).toEqual(['Retry', 'Delete']);
    // The button is named by the action; the job's name is its description.
    const retry = within(row(ids.failed)).getByRole('button', { name: 'Retry' });
    expect(document.getElementById(retry.getAttribute('aria-describedby')!)?.textContent).toBe(
      'Charge: Invoice 42',
    );
  });

  it('renders an error message containing HTML as text', async () => {
    const { container } = renderDashboard(createQueueClient(seeded.queue));
    await ready();
    expect(within(row(seeded.ids.failed)).getByText(`card declined ${XSS}`)).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
    fireEvent.click(screen.getByRole('tab', { name: 'Dead letters' }));
    await screen.findByRole('table', { name: 'Dead letters' });
    expect(within(row(seeded.ids.failed)).getByText(`card declined ${XSS}`)).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
  });

  it('optimistic action then rollback with the message when the client rejects', async () => {
    const base = createQueueClient(seeded.queue);
    let reject!: (e: unknown) => void;
    const client: JobsClient = { ...base, act: () => new Promise((_, r) => (reject = r)) };
    renderDashboard(client);
    await ready();
    const queued = row(seeded.ids.queued);
    fireEvent.click(within(queued).getByRole('button', { name: 'Cancel' }));
    expect(within(row(seeded.ids.queued)).getByText('Cancelled')).toBeTruthy();
    expect(
      within(row(seeded.ids.queued)).getByRole('button', { name: 'Retry' }).hasAttribute('disabled'),
    ).toBe(true);
    reject(Object.assign(new Error(`refused ${XSS}`), { code: 'INVALID_STATE' }));
    expect((await screen.findByRole('alert')).textContent).toContain(`refused ${XSS}`);
    expect(within(row(seeded.ids.queued)).getByText('Queued')).toBeTruthy();
    expect(
      within(row(seeded.ids.queued)).getByRole('button', { name: 'Cancel' }).hasAttribute('disabled'),
    ).toBe(false);
    expect(document.querySelector('img')).toBeNull();
  });

  it('filters and searches through the URL, opens the detail panel with the attempt history, retries', async () => {
    renderDashboard(createQueueClient(seeded.queue));
    await ready();
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'failed' } });
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(2));
    expect(window.location.search).toBe('?tab=queue&status=failed');
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: '' } });
    const search = screen.getByLabelText('Search jobs');
    fireEvent.change(search, { target: { value: 'quarterly' } });
    fireEvent.keyDown(search, { key: 'Enter' });
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(2));
    expect(row(seeded.ids.paused)).toBeTruthy();
    expect(window.location.search).toBe('?tab=queue&q=quarterly');
    fireEvent.change(search, { target: { value: 'nothing-like-this' } });
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(await screen.findByText('No jobs match these filters')).toBeTruthy();
    fireEvent.change(search, { target: { value: '' } });
    fireEvent.keyDown(search, { key: 'Enter' });
    await ready();

    fireEvent.click(await screen.findByRole('button', { name: 'Charge: Invoice 42' }));
    const panel = await screen.findByRole('complementary', { name: 'Job details' });
    expect(window.location.search).toContain(`job=${seeded.ids.failed}`);
    const history = await within(panel).findByRole('list', { name: 'Attempt history' });
    const items = within(history).getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]!.textContent).toContain('Attempt 1');
    expect(items[0]!.textContent).toContain(`card declined ${XSS}`);
    expect(items[0]!.textContent).toContain('Sent to the dead-letter queue');
    for (const heading of ['Payload', 'Result', 'Attempt history', 'Checkpoint']) {
      expect(within(panel).getByRole('heading', { name: heading })).toBeTruthy();
    }
    fireEvent.click(within(panel).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(within(panel).getByText('Queued')).toBeTruthy());
    expect((await seeded.queue.getJob(seeded.ids.failed)).status).toBe('queued');
    fireEvent.click(within(panel).getByRole('button', { name: 'Close details' }));
    expect(screen.queryByRole('complementary', { name: 'Job details' })).toBeNull();
    // Escape closes it too, from anywhere inside.
    fireEvent.click(screen.getByRole('button', { name: 'Charge: Invoice 42' }));
    const again = await screen.findByRole('complementary', { name: 'Job details' });
    expect(document.activeElement).toBe(within(again).getByRole('button', { name: 'Close details' }));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('complementary', { name: 'Job details' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Charge: Invoice 42' }));
  });

  it('syncUrl={false} leaves the URL alone', async () => {
    renderDashboard(createQueueClient(seeded.queue), { syncUrl: false });
    await ready();
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'failed' } });
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(2));
    expect(window.location.search).toBe('?tab=queue');
  });

  it('the detail panel of a running job shows lease owner and checkpoint; of a retrying job the next retry', async () => {
    window.history.replaceState(null, '', `/ops?job=${seeded.ids.running}`);
    renderDashboard(createQueueClient(seeded.queue));
    const panel = await screen.findByRole('complementary', { name: 'Job details' });
    await within(panel).findByText('worker-7');
    expect(panel.textContent).toContain('frames (pause-safe)');
    expect(panel.textContent).toContain('"frame": 120');
    fireEvent.click(within(panel).getByRole('button', { name: 'Close details' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Flaky: https://example.com/feed' }));
    const next = await screen.findByRole('complementary', { name: 'Job details' });
    await within(next).findByText('Next retry');
    // The policy asks for 10 minutes; the backoff cap (60 s, with jitter) wins.
    expect(next.textContent).toMatch(/Next retryin (\d+ seconds|1 minute)Lease owner—/);
    expect(next.textContent).toMatch(/Retried after (\d+ s|1 min)Checkpoint/);
  });

  it('the dead-letter view redrives one, and redrives all matching after a confirmation with the count', async () => {
    const extra = await seeded.queue.enqueue('charge', {}, { title: 'Invoice 43', maxAttempts: 1 });
    const { JobRunner, PermanentError } = await import('@redrive/core');
    await new JobRunner({
      queue: seeded.queue,
      handlers: {
        charge: async () => {
          throw new PermanentError('card expired');
        },
      },
    }).drain();
    window.history.replaceState(null, '', '/ops?view=dead-letters');
    renderDashboard(createQueueClient(seeded.queue));
    const table = await screen.findByRole('table', { name: 'Dead letters' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    expect(row(extra.id).textContent).toContain('Requires user action');
    expect(row(extra.id).textContent).toContain('Invalid input');
    fireEvent.click(within(row(extra.id)).getByRole('button', { name: 'Redrive' }));
    await waitFor(() => expect(document.querySelector(`tr[data-job-id="${extra.id}"]`)).toBeNull());
    expect((await seeded.queue.getJob(extra.id)).status).toBe('queued');

    // A keyboard user: focus on the button, then activate it.
    screen.getByRole('button', { name: 'Redrive all matching' }).focus();
    fireEvent.click(screen.getByRole('button', { name: 'Redrive all matching' }));
    const dialog = await screen.findByRole('alertdialog');
    await within(dialog).findByText(
      /This will redrive 1 dead letters matching the current filter \(limit 1,000\)/,
    );
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    // Escape cancels and gives focus back to the button that opened the dialog.
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Redrive all matching' }));
    fireEvent.click(screen.getByRole('button', { name: 'Redrive all matching' }));
    const confirm = await screen.findByRole('alertdialog');
    await within(confirm).findByText(/This will redrive 1 dead letters/);
    fireEvent.click(within(confirm).getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('No dead letters')).toBeTruthy();
    expect((await seeded.queue.getJob(seeded.ids.failed)).status).toBe('queued');
  });

  it('bulk retry on the filter and bulk cancel on a selection', async () => {
    renderDashboard(createQueueClient(seeded.queue));
    await ready();
    fireEvent.click(screen.getByRole('button', { name: 'Retry all matching' }));
    const dialog = await screen.findByRole('alertdialog');
    await within(dialog).findByText(
      /This will retry 2 jobs matching the current filter \(limit 1,000\)\. 5 matching jobs are skipped/,
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    await screen.findByText('Retried 2 jobs');
    expect((await seeded.queue.getJob(seeded.ids.failed)).status).toBe('queued');
    expect((await seeded.queue.getJob(seeded.ids.cancelled)).status).toBe('queued');

    fireEvent.click(
      within(row(seeded.ids.queued)).getByRole('checkbox', { name: 'Select Export: 5 documents' }),
    );
    fireEvent.click(
      within(row(seeded.ids.paused)).getByRole('checkbox', { name: 'Select Export: Quarterly report' }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Cancel selected' }));
    await screen.findByText('Cancelled 2 jobs');
    expect((await seeded.queue.getJob(seeded.ids.queued)).status).toBe('cancelled');
    expect((await seeded.queue.getJob(seeded.ids.paused)).status).toBe('cancelled');
    expect((await seeded.queue.getJob(seeded.ids.retrying)).status).toBe('queued');
  });

  it('draws the throughput chart from the store when the queue counts per minute, and hides it when it answers null', async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const buckets = [
      { minute: minute - 120_000, completed: 1200, failed: 3 },
      { minute, completed: 34, failed: 1 },
    ];
    const since: number[] = [];
    const counting = Object.assign(Object.create(seeded.queue), {
      throughput: async (query: { since: number }) => {
        since.push(query.since);
        return { buckets };
      },
    });
    renderDashboard(createQueueClient(counting));
    const figure = await screen.findByRole('figure', { name: 'Throughput, last hour' });
    expect(within(figure).getByRole('img', { name: 'Last hour: 1,234 completed, 4 failed' })).toBeTruthy();
    expect(figure.querySelectorAll('rect.redrive-chart-completed')).toHaveLength(2);
    expect(minute - since[0]!).toBeGreaterThanOrEqual(3_600_000);
    expect(minute - since[0]!).toBeLessThanOrEqual(3_660_000);
    cleanup();

    let asked = 0;
    const without = Object.assign(Object.create(seeded.queue), {
      throughput: async () => {
        asked++;
        return null;
      },
    });
    renderDashboard(createQueueClient(without));
    await ready();
    await waitFor(() => expect(asked).toBe(1));
    await act(async () => {});
    expect(screen.queryByRole('figure', { name: 'Throughput, last hour' })).toBeNull();
  });

  it('read-only mode shows a marker and no action', async () => {
    renderDashboard(createQueueClient(seeded.queue), { readOnly: true });
    await ready();
    expect(screen.getByText('Read-only')).toBeTruthy();
    for (const name of ['Retry', 'Cancel', 'Delete', 'Pause', 'Retry all matching', 'Cancel selected']) {
      expect(screen.queryAllByRole('button', { name })).toEqual([]);
    }
  });

  it('"/" focuses the search; tabs switch with arrow keys; the theme prop sets data-theme', async () => {
    renderDashboard(createQueueClient(seeded.queue), { theme: 'dark' });
    await ready();
    expect(screen.getByRole('region', { name: 'Job queue dashboard' }).getAttribute('data-theme')).toBe(
      'dark',
    );
    fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement).toBe(screen.getByLabelText('Search jobs'));
    const jobsTab = screen.getByRole('tab', { name: 'Jobs' });
    jobsTab.focus();
    fireEvent.keyDown(jobsTab, { key: 'ArrowRight' });
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Dead letters' }));
    expect(await screen.findByRole('table', { name: 'Dead letters' })).toBeTruthy();
    expect(window.location.search).toContain('view=dead-letters');
  });

  it('theme="system" follows prefers-color-scheme as it changes', async () => {
    let dark = true;
    const listeners = new Set<() => void>();
    window.matchMedia = ((query: string) => ({
      get matches() {
        return query === '(prefers-color-scheme: dark)' && dark;
      },
      addEventListener: (_: string, fn: () => void) => listeners.add(fn),
      removeEventListener: (_: string, fn: () => void) => listeners.delete(fn),
    })) as never;
    try {
      renderDashboard(createQueueClient(seeded.queue), { theme: 'system' });
      const root = screen.getByRole('region', { name: 'Job queue dashboard' });
      await waitFor(() => expect(root.getAttribute('data-theme')).toBe('dark'));
      dark = false;
      act(() => {
        for (const fn of listeners) fn();
      });
      expect(root.getAttribute('data-theme')).toBe('light');
    } finally {
      delete (window as { matchMedia?: unknown }).matchMedia;
    }
  });

  it('shows loading, then an error state with the message as text', async () => {
    const client: JobsClient = {
      ...createQueueClient(seeded.queue),
      listJobs: () =>
        Promise.reject(Object.assign(new Error(`store down ${XSS}`), { code: 'ADAPTER_ERROR' })),
    };
    renderDashboard(client);
    expect(screen.getAllByRole('status').some((s) => s.textContent === 'Loading…')).toBe(true);
    const alert = await screen.findByText(`store down ${XSS}`);
    expect(alert.getAttribute('role')).toBe('alert');
    expect(document.querySelector('img')).toBeNull();
  });
});
