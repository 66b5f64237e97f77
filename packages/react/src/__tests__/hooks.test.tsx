// @vitest-environment jsdom
import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createQueueClient } from '../client/create-queue-client.js';
import type { JobsClient } from '../client/jobs-client.js';
import { JobsProvider } from '../hooks/jobs-provider.js';
import { useJob } from '../hooks/use-job.js';
import { useJobActions } from '../hooks/use-job-actions.js';
import { useJobs } from '../hooks/use-jobs.js';
import { useQueueStats } from '../hooks/use-queue-stats.js';
import { useThroughput } from '../hooks/use-throughput.js';
import { seededQueue } from './fixtures.js';

// Room for a busy CI machine; waits end as soon as they pass.
const WAIT = { timeout: 10_000 };

let visibility: DocumentVisibilityState = 'visible';
beforeEach(() => {
  visibility = 'visible';
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function setVisibility(state: DocumentVisibilityState) {
  visibility = state;
  document.dispatchEvent(new Event('visibilitychange'));
}

const wrapper =
  (client: JobsClient, pollIntervalMs: number | false = 3000) =>
  ({ children }: { children: ReactNode }) => (
    <JobsProvider client={client} pollIntervalMs={pollIntervalMs}>
      {children}
    </JobsProvider>
  );

describe('JobsProvider', () => {
  it('a hook outside it throws an error that says what to do', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => renderHook(() => useJobs())).toThrow(
      /No JobsProvider: wrap this component in <JobsProvider/,
    );
  });
  it('refuses a polling interval no timer can honour', async () => {
    const { queue } = await seededQueue();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() =>
      renderHook(() => useJobs(), { wrapper: wrapper(createQueueClient(queue), 2 ** 31) }),
    ).toThrow(/pollIntervalMs: must be a number of ms from 1 to 2147483647/);
  });
});

describe('useJobs polling', () => {
  it('polls every 3 s by default, stops while the document is hidden, reloads at once when shown', async () => {
    vi.useFakeTimers();
    const { queue } = await seededQueue();
    const client = createQueueClient(queue);
    const listJobs = vi.spyOn(client, 'listJobs');
    const { result } = renderHook(() => useJobs({ status: 'queued' }), { wrapper: wrapper(client) });
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(listJobs).toHaveBeenCalledTimes(1);
    expect(result.current.jobs.map((j) => j.status)).toEqual(['queued', 'queued']);

    await act(() => vi.advanceTimersByTimeAsync(2999));
    expect(listJobs).toHaveBeenCalledTimes(1);
    await act(() => vi.advanceTimersByTimeAsync(1));
    expect(listJobs).toHaveBeenCalledTimes(2);

    act(() => setVisibility('hidden'));
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(listJobs).toHaveBeenCalledTimes(2);
    expect(vi.getTimerCount()).toBe(0);

    // A job enqueued while hidden shows as soon as the tab is visible again.
    await queue.enqueue('export', { documentIds: [] }, { title: 'While away' });
    act(() => setVisibility('visible'));
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(listJobs).toHaveBeenCalledTimes(3);
    expect(result.current.jobs.map((j) => j.title)).toContain('While away');
    await act(() => vi.advanceTimersByTimeAsync(3000));
    expect(listJobs).toHaveBeenCalledTimes(4);
  });

  it('pages by keyset: load more appends the next page, and a refresh keeps every loaded row', async () => {
    const { queue } = await seededQueue();
    const client = createQueueClient(queue);
    const listJobs = vi.spyOn(client, 'listJobs');
    const { result } = renderHook(() => useJobs({}, { pageSize: 3 }), { wrapper: wrapper(client, false) });
    await vi.waitFor(() => expect(result.current.loading).toBe(false), WAIT);
    expect(result.current.jobs).toHaveLength(3);
    expect(result.current.hasMore).toBe(true);
    await act(() => result.current.loadMore());
    expect(listJobs.mock.calls[1]![0]).toMatchObject({ limit: 3, cursor: expect.any(String) });
    expect(result.current.jobs).toHaveLength(6);
    await act(() => result.current.loadMore());
    expect(result.current.jobs).toHaveLength(7);
    expect(result.current.hasMore).toBe(false);
    expect(new Set(result.current.jobs.map((j) => j.id)).size).toBe(7);
    await act(() => result.current.refresh());
    expect(listJobs.mock.lastCall![0]).toMatchObject({ limit: 7, cursor: null });
    expect(result.current.jobs).toHaveLength(7);
  });
});

describe('useJobActions', () => {
  it('shows the change at once, marks the job pending, and rolls back when the client rejects', async () => {
    const { queue, ids } = await seededQueue();
    const base = createQueueClient(queue);
    let reject!: (e: unknown) => void;
    const client: JobsClient = { ...base, act: () => new Promise((_, r) => (reject = r)) };
    const { result } = renderHook(
      () => ({ jobs: useJobs({ status: 'queued' }), job: useJob(ids.queued), actions: useJobActions() }),
      {
        wrapper: wrapper(client, false),
      },
    );
    await vi.waitFor(() => expect(result.current.job.job?.status).toBe('queued'), WAIT);
    let outcome!: Promise<unknown>;
    act(() => {
      outcome = result.current.actions.cancel(ids.queued);
    });
    expect(result.current.job.job?.status).toBe('cancelled');
    expect(result.current.actions.pendingAction(ids.queued)).toBe('cancel');
    // One action at a time per job: a second one is refused without touching the backend.
    await act(async () => {
      const second = await result.current.actions.retry(ids.queued);
      expect(second).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    });
    await act(async () => {
      reject(Object.assign(new Error('job is running'), { code: 'INVALID_STATE' }));
      await outcome;
    });
    expect(await outcome).toMatchObject({
      ok: false,
      error: { code: 'INVALID_STATE', message: 'job is running' },
    });
    expect(result.current.job.job?.status).toBe('queued');
    expect(result.current.jobs.jobs.find((j) => j.id === ids.queued)?.status).toBe('queued');
    expect(result.current.actions.pendingAction(ids.queued)).toBeUndefined();
    expect(result.current.actions.error).toMatchObject({ code: 'INVALID_STATE', jobId: ids.queued });
  });

  it('on success keeps the answer and reloads every mounted hook (lists, stats)', async () => {
    const { queue, ids } = await seededQueue();
    const { result } = renderHook(
      () => ({ failed: useJobs({ status: 'failed' }), stats: useQueueStats(), actions: useJobActions() }),
      { wrapper: wrapper(createQueueClient(queue), false) },
    );
    await vi.waitFor(() => expect(result.current.stats.data?.counts.failed).toBe(1), WAIT);
    await act(async () => {
      expect(await result.current.actions.retry(ids.failed)).toMatchObject({
        ok: true,
        job: { status: 'queued' },
      });
    });
    expect(result.current.failed.jobs).toEqual([]);
    expect(result.current.stats.data?.counts.failed).toBe(0);
    expect((await queue.getJob(ids.failed)).status).toBe('queued');
  });

  it('delete removes the job from lists at once', async () => {
    const { queue, ids } = await seededQueue();
    const { result } = renderHook(() => ({ jobs: useJobs(), actions: useJobActions() }), {
      wrapper: wrapper(createQueueClient(queue), false),
    });
    await vi.waitFor(() => expect(result.current.jobs.jobs).toHaveLength(7), WAIT);
    await act(async () => {
      await result.current.actions.remove(ids.completed);
    });
    expect(result.current.jobs.jobs.map((j) => j.id)).not.toContain(ids.completed);
    await expect(queue.getJob(ids.completed)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('useThroughput', () => {
  it('is unsupported without the client method, and when the backend answers NOT_FOUND', async () => {
    const { queue } = await seededQueue();
    // A client without the method (the memory adapter's queue has one: leave it out).
    const client: JobsClient = { ...createQueueClient(queue), throughput: undefined };
    const { result } = renderHook(() => useThroughput(), { wrapper: wrapper(client, false) });
    expect(result.current.supported).toBe(false);
    const notFound: JobsClient = {
      ...client,
      throughput: async () => {
        throw Object.assign(new Error('no route GET /stats/throughput'), { code: 'NOT_FOUND' });
      },
    };
    const second = renderHook(() => useThroughput(), { wrapper: wrapper(notFound, false) });
    await vi.waitFor(() => expect(second.result.current.loading).toBe(false), WAIT);
    expect(second.result.current.supported).toBe(false);
  });
});
