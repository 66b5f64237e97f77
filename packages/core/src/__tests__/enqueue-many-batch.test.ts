// enqueueMany takes a quicker path for items that repeat the previous item's type without options;
// what it stores and the errors it words must be the ones a single enqueue gives.
import { expect, it } from 'vitest';
import * as z from 'zod';
import type { Job } from '../job/job.js';
import { describeEachAdapter, setup } from './e2e-harness.js';

// Everything but the id, which differs by construction.
const shape = ({ id: _id, ...rest }: Job) => rest;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describeEachAdapter('enqueueMany of many items', () => {
  const policies = {
    slow: { maxAttempts: 7, timeoutMs: 5_000, priority: 3, queue: 'slow' },
    forever: { maxAttempts: Number.POSITIVE_INFINITY },
    strict: { schema: z.object({ n: z.number() }) },
  };

  it('stores each item as enqueue would, whatever the types and options around it', async () => {
    const { queue } = setup({ policies });
    const items = [
      { type: 'slow', payload: { n: 1 } },
      { type: 'slow', payload: { n: 2, s: 'x' } },
      { type: 'slow', payload: undefined },
      { type: 'forever', payload: [1, 'two'] },
      { type: 'forever', payload: 'text', options: { priority: 9, title: 'T' } },
      { type: 'forever', payload: null },
      { type: 'strict', payload: { n: 3 } },
      { type: 'strict', payload: { n: 4 } },
      { type: 'slow', payload: 5 },
    ];
    const many = await queue.enqueueMany(items, { tenantId: 'acme' });
    const one: Job[] = [];
    for (const item of items)
      one.push(await queue.enqueue(item.type, item.payload, item.options, { tenantId: 'acme' }));
    expect(many.map(shape)).toEqual(one.map(shape));
    expect(many[1]).toMatchObject({
      queue: 'slow',
      priority: 3,
      maxAttempts: 7,
      timeoutMs: 5_000,
      tenantId: 'acme',
    });
    expect(many[2]!.payload).toBeNull();
    expect(new Set(many.map((j) => j.id)).size).toBe(items.length);
    for (const job of many) {
      expect(job.id).toMatch(UUID_V7);
      expect(await queue.getJob(job.id)).toMatchObject(shape(job));
    }
  });

  it('names the item and field of unstorable text after items of the same type, storing nothing', async () => {
    const { queue } = setup({ policies });
    const cases: [unknown, RegExp][] = [
      [{ 'bad\u0000key': 1 }, /enqueueMany\.items\.2\.payload\."bad\\u0000key": key must not contain a NUL/],
      [{ s: 'lone \uD800' }, /enqueueMany\.items\.2\.payload\.s: must not contain a lone surrogate/],
      [['ok', { deep: 'x\u0000' }], /enqueueMany\.items\.2\.payload\.1\.deep: must not contain a NUL/],
      [10n, /enqueueMany\.items\.2\.payload: must be JSON-serialisable/],
    ];
    for (const [payload, message] of cases) {
      await expect(
        queue.enqueueMany([
          { type: 'slow', payload: 1 },
          { type: 'slow', payload: 2 },
          { type: 'slow', payload },
        ]),
      ).rejects.toThrow(message);
    }
    expect((await queue.stats()).total).toBe(0);
  });
});
