/** graphile-worker at its best throughput: localQueue + batched completions, LISTEN/NOTIFY. */
import type { LibDriver } from './common.js';

export async function graphileDriver(version: string): Promise<LibDriver> {
  const { run, makeWorkerUtils } = (await import('graphile-worker')) as any;
  let url = '';
  let utils: any;
  return {
    lib: 'graphile-worker',
    version,
    async setup(u) {
      url = u;
      utils = await makeWorkerUtils({ connectionString: url });
      await utils.migrate();
    },
    async enqueueOne(kind, payload) {
      await utils.addJob(kind, payload);
    },
    async enqueueBulk(kind, payloads) {
      await utils.addJobs(payloads.map((payload) => ({ identifier: kind, payload })));
    },
    async work(kind, concurrency, onJob) {
      const low = kind === 'lat';
      const runner = await run({
        connectionString: url,
        concurrency,
        noHandleSignals: true,
        pollInterval: 500,
        maxPoolSize: concurrency + 4,
        taskList: {
          [kind]: async (payload: Record<string, unknown>) => {
            onJob(payload);
          },
        },
        preset: {
          worker: low
            ? {}
            : { localQueue: { size: concurrency * 2 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 },
        },
        logger: new (await import('graphile-worker')).Logger(() => () => {}),
      });
      return async () => {
        await runner.stop();
      };
    },
    config: (c) => `run concurrency ${c}, localQueue.size ${c * 2}, completeJobBatchDelay 0`,
    async teardown() {
      await utils.release();
    },
  };
}
