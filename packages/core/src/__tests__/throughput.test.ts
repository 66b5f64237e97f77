import { memoryAdapter } from '@redrive/adapter-memory';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StorageAdapter } from '../adapter/storage-adapter.js';
import { FakeClock } from '../clock/fake-clock.js';
import { NonRetryableError } from '../errors/job-errors.js';
import { createHttpHandler } from '../http/create-http-handler.js';
import { createQueue } from '../queue/create-queue.js';
import type { Queue } from '../queue/types.js';
import { JobRunner } from '../runner/job-runner.js';

const T = 1_700_000_000_000; // 20 s into its minute
const MINUTE = Math.floor(T / 60_000) * 60_000;

let clock: FakeClock;
let queue: Queue;

beforeEach(() => {
  clock = new FakeClock(T);
  queue = createQueue({ adapter: memoryAdapter(), clock, defaultPolicy: { maxAttempts: 1 } });
});

async function runAll() {
  const runner = new JobRunner({
    queue,
    handlers: {
      ok: async () => 'done',
      bad: async () => {
        throw new NonRetryableError('bad input');
      },
    },
  });
  await runner.drain({ maxJobs: 100 });
}

describe('queue.throughput', () => {
  it('lists every minute from since to now, zeros included, counting completions and dead letters', async () => {
    await queue.enqueue('ok', {}, { tenantId: 'acme' });
    await queue.enqueue('ok', {});
    await queue.enqueue('bad', {}, { tenantId: 'acme' });
    await runAll();
    await clock.advance(120_000);
    await queue.enqueue('ok', {});
    await runAll();

    const all = await queue.throughput({ since: T - 60_000 });
    expect(all?.buckets).toEqual([
      { minute: MINUTE - 60_000, completed: 0, failed: 0 },
      { minute: MINUTE, completed: 2, failed: 1 },
      { minute: MINUTE + 60_000, completed: 0, failed: 0 },
      { minute: MINUTE + 120_000, completed: 1, failed: 0 },
    ]);
    expect(
      (await queue.throughput({ since: new Date(T), type: 'bad' }))?.buckets.map((b) => b.failed),
    ).toEqual([1, 0, 0]);
    // A tenant scope counts that tenant's jobs only.
    const acme = await queue.throughput({ since: T }, { tenantId: 'acme' });
    expect(acme?.buckets[0]).toEqual({ minute: MINUTE, completed: 1, failed: 1 });
  });

  it('refuses a window longer than a day or a bad query, naming the field', async () => {
    await expect(queue.throughput({ since: T - 25 * 3_600_000 })).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [{ path: 'since' }],
    });
    await expect(queue.throughput({ since: 'yesterday' } as never)).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'since' })],
    });
    await expect(queue.throughput({ since: T, status: 'failed' } as never)).rejects.toMatchObject({
      name: 'ValidationError',
    });
    expect(await queue.throughput({ since: T + 120_000 })).toEqual({ buckets: [] });
  });

  it('answers null for an adapter that does not report throughput', async () => {
    const inner = memoryAdapter();
    const adapter = Object.create(inner, {
      capabilities: { value: { ...inner.capabilities, throughput: false } },
    }) as StorageAdapter;
    const plain = createQueue({ adapter, clock });
    expect(await plain.throughput({ since: T })).toBeNull();
    const res = await createHttpHandler(plain)(new Request(`http://x/stats/throughput?since=${T}`));
    expect(res.status).toBe(404);
  });
});

describe('GET /stats/throughput', () => {
  const get = async (query: string) => {
    const res = await createHttpHandler(queue, { basePath: '/api' })(
      new Request(`http://localhost/api/stats/throughput${query}`),
    );
    return { status: res.status, body: await res.json() };
  };

  it('answers { buckets } for since (epoch ms or ISO) and type, 400 for a bad query', async () => {
    await queue.enqueue('ok', {});
    await queue.enqueue('bad', {});
    await runAll();
    const byMs = await get(`?since=${T}`);
    expect(byMs).toEqual({ status: 200, body: { buckets: [{ minute: MINUTE, completed: 1, failed: 1 }] } });
    const byIso = await get(`?since=${new Date(T).toISOString()}&type=ok`);
    expect(byIso.body.buckets).toEqual([{ minute: MINUTE, completed: 1, failed: 0 }]);
    expect((await get('')).status).toBe(400);
    expect((await get(`?since=${T}&status=failed`)).body.error.code).toBe('VALIDATION_ERROR');
  });
});
