/*
 * The simulated workload behind the dashboard demo: a few tenants' documents processed, exported,
 * synced and invoiced, with the failures real services have.
 *   - process-document: slow (progress per page, a pause-safe checkpoint every 5 pages); one in
 *     six hits a network reset or a 503 on its first run and resumes from its checkpoint
 *   - export: a list of documents; sometimes rate-limited (429) on its first run
 *   - sync-crm: the umbrella tenant's CRM key is revoked (401): dead-lettered, needs a person
 *   - send-invoice: a few invoices have no recipient (422): dead-lettered at once
 *   - send-email: quick
 * Jobs arrive at `ratePerMinute`; every 30 s a running document job is paused at its checkpoint
 * and resumed 5 s later. Completed jobs older than an hour are deleted, so the memory stays flat.
 */
import type { EnqueueItem, JobHandler, JobTypePolicy, Queue } from '@redrive/core';
import { pick, seededRandom, TENANTS } from './documents.js';
import { type Log, sleep } from './log.js';

export const workloadPolicies: Record<string, JobTypePolicy> = {
  'process-document': { maxAttempts: 4, initialDelayMs: 1_000, timeoutMs: 120_000 },
  export: { maxAttempts: 3, initialDelayMs: 2_000 },
  'sync-crm': { maxAttempts: 3, initialDelayMs: 1_000 },
  'send-invoice': { maxAttempts: 3, initialDelayMs: 1_000 },
  'send-email': { maxAttempts: 3, initialDelayMs: 500 },
};

interface DocumentPayload {
  tenant: string;
  pages: number;
  msPerPage: number;
  /** What goes wrong on the first run, if anything. */
  flaky: 'network' | 'server' | null;
}

const fail = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

export const workloadHandlers: Record<string, JobHandler> = {
  'process-document': async (job: { payload: DocumentPayload; attempt: number }, ctx) => {
    const { pages, msPerPage, flaky } = job.payload;
    const from = (ctx.checkpointData as { done: number } | undefined)?.done ?? 0;
    const breaksAt = job.attempt === 1 && flaky ? Math.max(1, Math.floor(pages * 0.6)) : -1;
    for (let page = from + 1; page <= pages; page++) {
      await sleep(msPerPage, ctx.signal);
      if (page === breaksAt) {
        throw flaky === 'network'
          ? fail('read ECONNRESET ocr.internal:443', { code: 'ECONNRESET' })
          : fail('OCR service answered 503 Service Unavailable', { status: 503 });
      }
      const stage = page <= pages / 2 ? 'ocr' : 'embedding';
      await ctx.progress({
        percent: Math.round((page / pages) * 100),
        stage,
        substage: `page ${page}`,
        details: `${stage === 'ocr' ? 'Reading' : 'Embedding'} page ${page} of ${pages}`,
      });
      if (page % 5 === 0 && page < pages)
        await ctx.checkpoint(`page-${page}`, { done: page }, { pauseSafe: true });
    }
    return { pages };
  },
  export: async (job: {
    payload: { documentIds: string[]; rateLimited: boolean; ms: number };
    attempt: number;
  }) => {
    await sleep(job.payload.ms);
    if (job.payload.rateLimited && job.attempt === 1)
      throw fail('Storage API rate limit exceeded', { status: 429 });
    return { file: `export-${job.payload.documentIds.length}.zip` };
  },
  'sync-crm': async (job: { payload: { tenant: string; ms: number } }) => {
    await sleep(job.payload.ms);
    if (job.payload.tenant === 'umbrella') throw fail('CRM rejected the API key (revoked)', { status: 401 });
    return { synced: 25 };
  },
  'send-invoice': async (job: { payload: { to: string | null; amount: number; ms: number } }) => {
    await sleep(job.payload.ms);
    if (!job.payload.to) throw fail('Invoice has no billing e-mail address', { status: 422 });
    return { sent: true };
  },
  'send-email': async (job: { payload: { ms: number } }) => {
    await sleep(job.payload.ms);
    return { delivered: true };
  },
};

/** One job of the workload; `quick` makes documents take a few ms (a seeded backlog). */
export function nextJob(random: () => number, quick = false): EnqueueItem {
  const tenant = pick(TENANTS, random);
  // How long the job's work takes, in ms.
  const ms = (slow: number) => (quick ? 2 : slow);
  const roll = random();
  if (roll < 0.45) {
    const flakyRoll = random();
    const payload: DocumentPayload = {
      tenant: tenant.id,
      pages: quick ? 1 + Math.floor(random() * 4) : 10 + Math.floor(random() * 30),
      msPerPage: quick ? 2 : 120 + Math.floor(random() * 120),
      flaky: flakyRoll < 0.09 ? 'network' : flakyRoll < 0.17 ? 'server' : null,
    };
    const title = pick(tenant.documents, random);
    return { type: 'process-document', payload, options: { title, tenantId: tenant.id } };
  }
  if (roll < 0.6) {
    const count = 2 + Math.floor(random() * 8);
    const documentIds = Array.from({ length: count }, (_, i) => `${tenant.id}-doc-${i + 1}`);
    return {
      type: 'export',
      payload: { documentIds, rateLimited: random() < 0.1, ms: ms(150 * count) },
      options: { tenantId: tenant.id },
    };
  }
  if (roll < 0.7) {
    return {
      type: 'sync-crm',
      payload: { tenant: tenant.id, ms: ms(800) },
      options: { title: `${tenant.id} accounts`, tenantId: tenant.id },
    };
  }
  if (roll < 0.82) {
    const number = 1000 + Math.floor(random() * 9000);
    const to = random() < 0.12 ? null : `billing@${tenant.id}.example`;
    return {
      type: 'send-invoice',
      payload: { to, amount: Math.round(random() * 5000), ms: ms(300) },
      options: { title: `INV-${number}`, tenantId: tenant.id },
    };
  }
  return {
    type: 'send-email',
    payload: { to: `team@${tenant.id}.example`, subject: 'Weekly digest', ms: ms(200) },
    options: { tenantId: tenant.id },
  };
}

/** Options of {@link startWorkload}. */
export interface WorkloadOptions {
  /** New jobs per minute (0: none). */
  ratePerMinute: number;
  /** Jobs enqueued at once at the start (quick ones), so the dashboard has a history to show. */
  seed: number;
  log: Log;
}

/** Starts the workload; `stop()` ends its timers (jobs already enqueued stay). */
export async function startWorkload(queue: Queue, options: WorkloadOptions): Promise<{ stop(): void }> {
  const random = seededRandom(7);
  for (let done = 0; done < options.seed; done += 500) {
    const batch = Array.from({ length: Math.min(500, options.seed - done) }, () => nextJob(random, true));
    await queue.enqueueMany(batch);
  }
  if (options.seed > 0) options.log(`seeded   ${options.seed} jobs`);
  const timers: NodeJS.Timeout[] = [];
  if (options.ratePerMinute > 0) {
    const every = 60_000 / options.ratePerMinute;
    timers.push(
      setInterval(() => {
        queue.enqueue(...asArgs(nextJob(random))).catch((e) => options.log('enqueue failed', e));
      }, every),
      setInterval(() => pauseOne(queue, options.log), 30_000),
    );
  }
  timers.push(
    setInterval(() => {
      const createdTo = Date.now() - 3_600_000;
      queue.bulk('delete', { status: 'completed', createdTo }, 10_000).catch(() => {});
    }, 60_000),
  );
  for (const t of timers) t.unref();
  return { stop: () => timers.forEach(clearInterval) };
}

function asArgs(item: EnqueueItem): [string, unknown, EnqueueItem['options']] {
  return [item.type, item.payload, item.options];
}

/** Pause a running document job at its next pause-safe checkpoint, and resume it 5 s later. */
async function pauseOne(queue: Queue, log: Log): Promise<void> {
  const { jobs } = await queue.listJobs({ status: 'running', type: 'process-document', limit: 20 });
  const job = jobs.find((j) => j.checkpoint !== null && (j.progress?.percent ?? 0) < 70);
  if (!job) return;
  try {
    await queue.pauseJob(job.id, 'demo: paused to show resume from a checkpoint');
  } catch {
    return; // it finished or lost its checkpoint in the meantime
  }
  log(`pause    Processing "${job.title}" (${job.tenantId}) asked to pause at its next checkpoint`);
  setTimeout(async () => {
    try {
      const resumed = await queue.resumeJob(job.id);
      log(`resumed  Processing "${job.title}" from checkpoint ${resumed.checkpoint?.stage ?? '(none)'}`);
    } catch {
      // not paused (yet): it finished before reaching a checkpoint
    }
  }, 5_000).unref();
}
