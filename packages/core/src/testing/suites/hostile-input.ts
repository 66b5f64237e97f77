import { isRedriveError } from '../../errors/redrive-error.js';
import { createQueue } from '../../queue/create-queue.js';
import type { EnqueueJobOptions, Queue } from '../../queue/types.js';
import { check, checkEqual } from '../assert.js';
import { enqueueJob, failRequest, runningJob, storedJob, T0 } from '../fixtures.js';
import type { ConformanceCheck, ConformanceContext } from '../types.js';

/*
 * Hostile input: what an attacker (or a careless caller) can hand the queue. These checks go
 * through `createQueue` over the adapter, since the rules are core's and must hold identically
 * for every store: a value no store can hold is refused before it reaches the adapter, and a job
 * type named after an Object.prototype member is an ordinary key.
 */

const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\uD800b';

/** Inputs every adapter's queue must refuse with a ValidationError, storing nothing. */
export const UNSTORABLE_ENQUEUES: ReadonlyArray<{
  what: string;
  type?: string;
  payload?: unknown;
  options?: EnqueueJobOptions;
}> = [
  { what: 'priority of 2^31', options: { priority: 2 ** 31 } },
  { what: 'priority below -2^31', options: { priority: -(2 ** 31) - 1 } },
  { what: 'maxAttempts of 2^31', options: { maxAttempts: 2 ** 31 } },
  { what: 'timeoutMs of 2^31', options: { timeoutMs: 2 ** 31 } },
  { what: 'delayMs of 1e300', options: { delayMs: 1e300 } },
  { what: 'runAt beyond the Date range', options: { runAt: 9e15 } },
  { what: 'a NUL in the payload', payload: { text: NUL } },
  { what: 'a NUL in a payload key', payload: { [NUL]: 1 } },
  { what: 'a lone surrogate in the payload', payload: [LONE_SURROGATE] },
  { what: 'a NUL in the title', options: { title: NUL } },
  { what: 'a NUL in the type', type: NUL },
  { what: 'a lone surrogate in the type', type: LONE_SURROGATE },
  { what: 'a NUL in the idempotency key', options: { idempotencyKey: NUL } },
  { what: 'a NUL in the queue name', options: { queue: NUL } },
  { what: 'a NUL in the tenant', options: { tenantId: NUL } },
  { what: 'a lone surrogate in metadata', options: { metadata: { note: LONE_SURROGATE } } },
];

async function expectValidation(run: () => Promise<unknown>, what: string): Promise<void> {
  try {
    await run();
  } catch (error) {
    check(
      isRedriveError(error) && error.code === 'VALIDATION_ERROR',
      `${what}: expected a ValidationError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
    return;
  }
  throw new Error(`[redrive] [conformance] ${what}: was accepted`);
}

function queueOver(ctx: ConformanceContext): Queue {
  return createQueue({ adapter: ctx.adapter, clock: { now: () => T0, setTimeout, clearTimeout } });
}

export const hostileInputChecks: ConformanceCheck[] = [
  {
    id: 'hostile/prototype-named-types',
    title:
      'job types named __proto__, constructor and toString are counted as themselves, and pollute nothing',
    async run(ctx) {
      const types = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
      for (const type of types) await enqueueJob(ctx, { type });
      await enqueueJob(ctx, { type: '__proto__' });
      const raw = await ctx.adapter.stats({});
      check(!Object.hasOwn(Object.prototype, 'queued'), 'stats wrote counts onto Object.prototype');
      for (const type of types) {
        check(Object.hasOwn(raw.byType, type), `adapter stats: no own entry for type ${type}`);
        checkEqual(
          raw.byType[type]?.queued,
          type === '__proto__' ? 2 : 1,
          `adapter stats: queued ${type} jobs`,
        );
      }
      const stats = await queueOver(ctx).stats();
      check(!Object.hasOwn(Object.prototype, 'queued'), 'queue.stats() wrote counts onto Object.prototype');
      const proto = '__proto__';
      checkEqual(stats.byType[proto]?.queued, 2, 'queue.stats(): queued __proto__ jobs');
      checkEqual(stats.counts.queued, 5, 'queue.stats(): queued jobs');
      // The counts came back as data: a later filter on an ordinary option still validates.
      checkEqual((await queueOver(ctx).listJobs({ status: 'queued' })).jobs.length, 5, 'jobs listed after');
    },
  },
  {
    id: 'hostile/unstorable-enqueue',
    title:
      'enqueue refuses values no store can hold (NUL, lone surrogates, out-of-range numbers) and stores nothing',
    async run(ctx) {
      const queue = queueOver(ctx);
      for (const input of UNSTORABLE_ENQUEUES) {
        await expectValidation(
          () => queue.enqueue(input.type ?? 'hostile', input.payload ?? null, input.options),
          `enqueue with ${input.what}`,
        );
        await expectValidation(
          () =>
            queue.enqueueMany([
              { type: 'fine', payload: 1 },
              { type: input.type ?? 'hostile', payload: input.payload ?? null, options: input.options },
            ]),
          `enqueueMany with ${input.what}`,
        );
      }
      checkEqual((await ctx.adapter.listJobs({ limit: 10 })).jobs.length, 0, 'jobs stored after refusals');
    },
  },
  {
    id: 'hostile/unstorable-reads',
    title: 'reads and actions refuse ids, filters and search text no store can hold',
    async run(ctx) {
      const queue = queueOver(ctx);
      await expectValidation(() => queue.getJob(NUL), 'getJob with a NUL id');
      await expectValidation(() => queue.getJob(LONE_SURROGATE), 'getJob with a lone surrogate id');
      await expectValidation(() => queue.listJobs({ q: NUL }), 'listJobs with a NUL in q');
      await expectValidation(() => queue.listJobs({ type: NUL }), 'listJobs with a NUL type');
      await expectValidation(() => queue.listJobs({ cursor: NUL }), 'listJobs with a NUL cursor');
      await expectValidation(() => queue.cancelJob(NUL), 'cancelJob with a NUL id');
      await expectValidation(() => queue.deadLetters.redrive([NUL]), 'redrive with a NUL id');
      await expectValidation(() => queue.stats({ tenantId: NUL }), 'stats with a NUL tenant');
    },
  },
  {
    id: 'hostile/conditional-delete',
    title:
      'deleteJobs with a status deletes only jobs still in it; purge with a tenant deletes only that tenant',
    async run(ctx) {
      const dead = await runningJob(ctx, { type: 'dead', tenantId: 'a' });
      check((await ctx.adapter.fail(dead.id, failRequest(dead, T0 + 1, 'dead'))).ok, 'fail refused');
      const redriven = await ctx.adapter.transition(dead.id, { from: ['failed'], to: 'queued', now: T0 + 2 });
      check(redriven.ok, 'redrive refused');
      // Chosen as a dead letter, redriven since: the delete must not take it.
      checkEqual(
        await ctx.adapter.deleteJobs([dead.id], { status: ['failed'] }),
        0,
        'deleted a redriven job',
      );
      checkEqual((await storedJob(ctx, dead.id))?.status, 'queued', 'the redriven job after the delete');
      checkEqual(await ctx.adapter.deleteJobs([dead.id], { status: ['queued'] }), 1, 'deleted in its status');

      const ofA = await runningJob(ctx, { type: 'pa', tenantId: 'a' });
      const ofB = await runningJob(ctx, { type: 'pb', tenantId: 'b' });
      const ofNone = await runningJob(ctx, { type: 'pn', tenantId: null });
      for (const j of [ofA, ofB, ofNone])
        check((await ctx.adapter.fail(j.id, failRequest(j, T0 + 1, 'dead'))).ok, 'fail refused');
      checkEqual(
        await ctx.adapter.purge({ status: ['failed'], olderThan: T0 + 100, limit: 10, tenantId: 'a' }),
        1,
        'purged for tenant a',
      );
      checkEqual(await storedJob(ctx, ofA.id), null, "tenant a's dead letter after its purge");
      check((await storedJob(ctx, ofB.id)) !== null, "tenant b's dead letter was purged by tenant a");
      checkEqual(
        await ctx.adapter.purge({ status: ['failed'], olderThan: T0 + 100, limit: 10, tenantId: null }),
        1,
        'purged without tenant',
      );
      check((await storedJob(ctx, ofB.id)) !== null, "tenant b's dead letter was purged as tenant-less");
    },
  },
];
