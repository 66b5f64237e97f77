/*
 * How many claims a started runner makes: a worker that hears the store's wake-ups claims when
 * there may be work, not after every job it finishes.
 */
import { expect, it } from 'vitest';
import type { ClaimRequest } from '../adapter/requests.js';
import { describeEachAdapter, networkError, once, setup } from './e2e-harness.js';

describeEachAdapter('runner claims', () => {
  function countClaims(adapter: { claim: (r: ClaimRequest) => Promise<unknown> }) {
    const claim = adapter.claim.bind(adapter);
    const counter = { n: 0 };
    adapter.claim = (request: ClaimRequest) => {
      counter.n++;
      return claim(request);
    };
    return counter;
  }

  it('an idle worker claims once per job it is woken for, not again after each completion', async () => {
    const { adapter, clock, queue, runner } = setup();
    const claims = countClaims(adapter as never);
    const r = runner({ pollIntervalMs: 3_600_000, handlers: { t: (job) => job.payload } });
    r.start();
    await clock.settle();
    const before = claims.n;
    for (let i = 0; i < 5; i++) {
      const completed = once(r, 'completed');
      await queue.enqueue('t', i);
      await completed;
      await clock.settle();
    }
    expect(claims.n - before).toBe(5);
    await r.stop();
  });

  it('a run that ends in a retry claims again at once (it may have made a job due)', async () => {
    const { adapter, clock, queue, runner } = setup({
      policies: { t: { backoff: () => 0 } },
    });
    const claims = countClaims(adapter as never);
    let runs = 0;
    const r = runner({
      pollIntervalMs: 3_600_000,
      handlers: {
        t: () => {
          runs++;
          if (runs === 1) throw networkError();
        },
      },
    });
    r.start();
    await clock.settle();
    const completed = once(r, 'completed');
    const job = await queue.enqueue('t', {});
    await completed; // the clock never moves: no poll tick ran it again
    expect(runs).toBe(2);
    expect((await queue.getJob(job.id))?.status).toBe('completed');
    expect(claims.n).toBeGreaterThanOrEqual(2);
    await r.stop();
  });
});
