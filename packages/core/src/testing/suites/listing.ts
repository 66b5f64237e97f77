import type { ListRequest } from '../../adapter/storage-adapter.js';
import type { Job } from '../../job/job.js';
import { ConformanceFailure, check, checkEqual, checkSameIds } from '../assert.js';
import { claimOne, enqueueJob, enqueueJobs, failRequest, newJobRecord, T0 } from '../fixtures.js';
import type { ConformanceCheck, ConformanceContext } from '../types.js';

/** Newest first by `at`, then id desc: the order both listings promise. */
function newestFirst(at: (job: Job) => number) {
  return (a: Job, b: Job) => at(b) - at(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

async function walk(
  list: (request: ListRequest) => Promise<{ jobs: Job[]; nextCursor: string | null }>,
  request: ListRequest,
): Promise<Job[]> {
  const all: Job[] = [];
  let cursor: string | null = request.cursor ?? null;
  for (let page = 0; page < 1000; page++) {
    const result = await list({ ...request, cursor });
    check(
      result.jobs.length <= request.limit,
      `a page of ${result.jobs.length} jobs exceeds limit ${request.limit}`,
    );
    all.push(...result.jobs);
    if (result.nextCursor === null) return all;
    check(result.jobs.length > 0, 'an empty page with a next cursor');
    cursor = result.nextCursor;
  }
  throw new ConformanceFailure('pagination did not end after 1000 pages');
}

/** Dead-letter `job` (already claimed) at `now`. */
async function deadLetter(ctx: ConformanceContext, now: number, message: string, type: string): Promise<Job> {
  const job = await claimOne(ctx, { now, types: [type] });
  const request = failRequest(job, now, 'dead');
  request.error = { message, stack: null, category: 'transient_timeout' };
  check((await ctx.adapter.fail(job.id, request)).ok, 'fail refused');
  return (await ctx.adapter.getJob(job.id))!;
}

/** Listing: keyset pagination and every filter field. */
export const listingChecks: ConformanceCheck[] = [
  {
    id: 'list/pagination',
    title: 'walking every page of listJobs yields each job once, newest first, even with equal createdAt',
    async run(ctx) {
      const jobs = await enqueueJobs(
        ctx,
        Array.from({ length: 23 }, (_, i) => newJobRecord({ createdAt: T0 + Math.floor(i / 4) })),
      );
      const walked = await walk((r) => ctx.adapter.listJobs(r), { limit: 4 });
      checkEqual(
        walked.map((j) => j.id),
        [...jobs].sort(newestFirst((j) => j.createdAt)).map((j) => j.id),
        'ids over all pages',
      );
      const single = await ctx.adapter.listJobs({ limit: 23 });
      checkEqual([single.jobs.length, single.nextCursor], [23, null], 'one page holding every job');
    },
  },
  {
    id: 'list/keyset-stable',
    title:
      'jobs added or deleted during a walk neither repeat nor hide the jobs not yet listed (keyset, not offset)',
    async run(ctx) {
      const jobs = await enqueueJobs(
        ctx,
        Array.from({ length: 9 }, (_, i) => newJobRecord({ createdAt: T0 + i })),
      );
      const first = await ctx.adapter.listJobs({ limit: 3 });
      check(first.nextCursor !== null, 'no next cursor after the first of three pages');
      // Newer jobs arrive and a listed job goes away: with OFFSET paging the next page would
      // repeat a job or skip one; a keyset cursor continues right after the last job listed.
      await enqueueJobs(ctx, [newJobRecord({ createdAt: T0 + 100 }), newJobRecord({ createdAt: T0 + 101 })]);
      checkEqual(await ctx.adapter.deleteJobs([first.jobs[0]!.id]), 1, 'jobs deleted');
      const rest = await walk((r) => ctx.adapter.listJobs(r), { limit: 3, cursor: first.nextCursor });
      checkEqual(
        [...first.jobs, ...rest].map((j) => j.id),
        [...jobs].sort(newestFirst((j) => j.createdAt)).map((j) => j.id),
        'ids over the first page and the pages after the changes',
      );
    },
  },
  {
    id: 'list/filters',
    title: 'listJobs honours status, type, queue, tenantId (null too), q, errorCategory, dates and ids',
    async run(ctx) {
      const j1 = await enqueueJob(ctx, {
        type: 'mail',
        tenantId: 't1',
        title: 'Welcome Mail',
        createdAt: T0 - 100,
      });
      const j2 = await enqueueJob(ctx, { type: 'sms', tenantId: null, createdAt: T0 - 50 });
      const j3 = await enqueueJob(ctx, { type: 'mail', tenantId: 't2', queue: 'q2', createdAt: T0 });
      const failed = await deadLetter(ctx, T0 + 1000, 'Gateway TIMEOUT', 'sms');
      checkEqual(failed.id, j2.id, 'the dead-lettered job');
      const ids = async (filter: Omit<ListRequest, 'limit'>) =>
        (await walk((r) => ctx.adapter.listJobs(r), { ...filter, limit: 50 })).map((j) => j.id);
      const cases: [string, Omit<ListRequest, 'limit'>, Job[]][] = [
        ['no filter', {}, [j1, j2, j3]],
        ['status failed', { status: 'failed' }, [j2]],
        ['status [queued, failed]', { status: ['queued', 'failed'] }, [j1, j2, j3]],
        ['type mail', { type: 'mail' }, [j1, j3]],
        ['type [mail, sms]', { type: ['mail', 'sms'] }, [j1, j2, j3]],
        ['queue q2', { queue: 'q2' }, [j3]],
        ['tenantId null', { tenantId: null }, [j2]],
        ['tenantId t1', { tenantId: 't1' }, [j1]],
        ['q in title', { q: 'welcome' }, [j1]],
        ['q in error', { q: 'timeout' }, [j2]],
        ['q in type', { q: 'SMS' }, [j2]],
        ['q in id', { q: j3.id.slice(9, 18).toUpperCase() }, [j3]],
        ['errorCategory', { errorCategory: 'transient_timeout' }, [j2]],
        ['createdFrom', { createdFrom: T0 - 50 }, [j2, j3]],
        ['createdTo', { createdTo: T0 - 50 }, [j1]],
        ['failedFrom', { failedFrom: T0 + 1000 }, [j2]],
        ['failedTo', { failedTo: T0 + 1000 }, []],
        ['ids', { ids: [j1.id, j3.id] }, [j1, j3]],
        ['combined', { type: 'mail', tenantId: 't2' }, [j3]],
      ];
      for (const [what, filter, expected] of cases) {
        checkSameIds(
          await ids(filter),
          expected.map((j) => j.id),
          `listJobs with ${what}`,
        );
      }
    },
  },
  {
    id: 'list/dead-letters',
    title: 'listDeadLetters lists failed jobs only, newest failure first, with pagination and filters',
    async run(ctx) {
      await enqueueJobs(ctx, [
        ...Array.from({ length: 5 }, () => newJobRecord({ type: 'dl' })),
        newJobRecord({ type: 'other-dl' }),
        newJobRecord({ type: 'alive' }),
      ]);
      const dead: Job[] = [];
      for (const at of [T0 + 10, T0 + 30, T0 + 30, T0 + 20, T0 + 30])
        dead.push(await deadLetter(ctx, at, 'boom', 'dl'));
      const other = await deadLetter(ctx, T0 + 5, 'boom', 'other-dl');
      const walked = await walk((r) => ctx.adapter.listDeadLetters(r), { limit: 2 });
      checkEqual(
        walked.map((j) => j.id),
        [...dead, other].sort(newestFirst((j) => j.failedAt ?? 0)).map((j) => j.id),
        'dead letters over all pages',
      );
      const filtered = await walk((r) => ctx.adapter.listDeadLetters(r), { limit: 10, type: 'other-dl' });
      checkEqual(
        filtered.map((j) => j.id),
        [other.id],
        'dead letters of one type',
      );
      const range = await walk((r) => ctx.adapter.listDeadLetters(r), {
        limit: 10,
        failedFrom: T0 + 20,
        failedTo: T0 + 30,
      });
      checkEqual(range.length, 1, 'dead letters failed in [T0+20, T0+30)');
    },
  },
];
