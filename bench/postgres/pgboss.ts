/** pg-boss at its best throughput: batch `work` (batchSize 100), burst fetching, NOTIFY wake-ups for latency. */
import type { LibDriver } from './common.js';

export async function pgBossDriver(version: string): Promise<LibDriver> {
  const { PgBoss } = (await import('pg-boss')) as any;
  let boss: any;
  const created = new Set<string>();
  const ensure = async (name: string) => {
    if (created.has(name)) return;
    // NOTIFY only where it pays: the latency queue. On the enqueue queues it would serialise
    // pg-boss's commits (see notifier.ts in the adapter), and the processing queues are full.
    await boss.createQueue(name, { notify: name === 'lat' });
    created.add(name);
  };
  const BATCH = 100;
  return {
    lib: 'pg-boss',
    version,
    async setup(url) {
      boss = new PgBoss({ connectionString: url, max: 24, useListenNotify: true });
      boss.on('error', (error: unknown) => console.error('[pg-boss]', error));
      await boss.start();
    },
    async enqueueOne(kind, payload) {
      await ensure(kind);
      await boss.send(kind, payload);
    },
    async enqueueBulk(kind, payloads) {
      await ensure(kind);
      await boss.insert(
        kind,
        payloads.map((data) => ({ data })),
      );
    },
    async work(kind, concurrency, onJob) {
      await ensure(kind);
      const low = kind === 'lat';
      // Its best throughput comes from large batches: one fetcher per 10 of concurrency, each
      // fetching and completing BATCH jobs per round trip.
      const batchSize = low ? 1 : BATCH;
      const localConcurrency = low ? 1 : Math.max(1, Math.round(concurrency / 10));
      const id = await boss.work(
        kind,
        {
          batchSize,
          localConcurrency,
          pollingIntervalSeconds: 0.5,
          notifyPollingIntervalSeconds: 0.5,
          burstWhenBatchFull: !low,
        },
        async (jobs: { data: Record<string, unknown> }[]) => {
          for (const job of jobs) onJob(job.data);
        },
      );
      return async () => {
        await boss.offWork(kind, { id, wait: true }).catch(() => boss.offWork(kind));
      };
    },
    config: (c) =>
      `work batchSize ${BATCH} × localConcurrency ${Math.max(1, Math.round(c / 10))}, burstWhenBatchFull`,
    async teardown() {
      await boss.stop({ graceful: false, wait: true, timeout: 5_000 }).catch(() => {});
    },
  };
}
