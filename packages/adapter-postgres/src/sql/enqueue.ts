/*
 * enqueue: insert jobs in one statement, honouring idempotency keys.
 *
 * Parameters: $1…$13 one array per column (id, type, queue, tenant_id, payload, priority, run_at,
 *             max_attempts, idempotency_key, timeout_ms, title, metadata, created_at), entry i
 *             being record i; with the NOTIFY in the statement $14 channel, $15 payload (the wake-up).
 *
 * `ON CONFLICT DO NOTHING` against the partial unique indexes skips a record whose
 * (tenant, key) a live job already holds (waiting for an uncommitted competitor first, so two concurrent enqueues with
 * one key create one job). On the caller's transaction (`{ db }`) the NOTIFY is part of the
 * statement, so it is delivered only if that transaction commits; otherwise the adapter sends it
 * after the insert (see notifier.ts).
 */
import type { EnqueueResult, Job, NewJobRecord } from '@redrive/core';
import { jobColumns, rowToJob } from '../row.js';
import type { SqlContext } from './context.js';

const LIVE = `('queued', 'running', 'paused')`;

function insertSql(s: string, notify: boolean): string {
  return `WITH ins AS (
    INSERT INTO ${s}.jobs (id, type, queue, tenant_id, payload, status, priority, run_at, max_attempts,
      idempotency_key, timeout_ms, title, metadata, created_at, updated_at)
    SELECT id, type, queue, tenant_id, payload, 'queued', priority, run_at, max_attempts,
      idempotency_key, timeout_ms, title, COALESCE(metadata, '{}'::jsonb), created_at, created_at
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::int[], $7::bigint[],
      $8::int[], $9::text[], $10::int[], $11::text[], $12::jsonb[], $13::bigint[]) WITH ORDINALITY
      AS t(id, type, queue, tenant_id, payload, priority, run_at, max_attempts, idempotency_key,
        timeout_ms, title, metadata, created_at, ord)
    ORDER BY ord
    -- No conflict target: two partial unique indexes (per tenant, and the null tenant) arbitrate.
    ON CONFLICT DO NOTHING
    RETURNING id
  )
  SELECT ins.*${notify ? ', (SELECT pg_notify($14, $15)) AS notified' : ''} FROM ins`;
}

/** JSON text for a jsonb array element; `undefined` and `null` are stored as SQL NULL (read back as null). */
const jsonOrNull = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value);

/** Inserts `jobs` on `ctx.db`; returns one result per record, in input order. */
export async function enqueueJobs(
  ctx: SqlContext,
  jobs: NewJobRecord[],
  notifyInStatement: boolean,
): Promise<EnqueueResult[]> {
  const results: (EnqueueResult | undefined)[] = new Array(jobs.length);
  let pending = jobs.map((job, ord) => ({ job, ord }));
  // A key's live job can finish between our skipped insert and the lookup: insert again (rare).
  for (let round = 0; round < 5 && pending.length > 0; round++) {
    // One array per column (unnest): measured ~30 % faster for 1,000 rows than one JSON document
    // decoded by json_to_recordset, and the column types are checked by the casts.
    const col = <T>(pick: (job: NewJobRecord) => T): T[] => pending.map(({ job }) => pick(job));
    const values: unknown[] = [
      col((j) => j.id),
      col((j) => j.type),
      col((j) => j.queue),
      col((j) => j.tenantId),
      col((j) => jsonOrNull(j.payload)),
      col((j) => j.priority),
      col((j) => j.runAt),
      col((j) => j.maxAttempts),
      col((j) => j.idempotencyKey),
      col((j) => j.timeoutMs),
      col((j) => j.title),
      col((j) => jsonOrNull(j.metadata)),
      col((j) => j.createdAt),
    ];
    if (notifyInStatement) {
      const wake = wakeUpFor(pending.map((p) => p.job));
      values.push(ctx.channel, JSON.stringify({ q: wake.queue, r: wake.runAt }));
    }
    const inserted = await ctx.db.query(insertSql(ctx.s, notifyInStatement), values);
    const byId = new Map(inserted.rows.map((row) => [row.id as string, row]));
    const skipped: typeof pending = [];
    for (const entry of pending) {
      const row = byId.get(entry.job.id);
      if (row) {
        results[entry.ord] = { job: newJob(entry.job), created: true };
        byId.delete(entry.job.id);
      } else skipped.push(entry);
    }
    pending = [];
    if (skipped.length === 0) break;
    const duplicate = skipped.find((e) => e.job.idempotencyKey === null);
    // Without a key only the primary key can conflict: core's ids are unique, so this is a bug upstream.
    if (duplicate) throw new Error(`a job with id ${JSON.stringify(duplicate.job.id)} already exists`);
    const tenantKey = (tenant: string | null, key: string) => JSON.stringify([tenant, key]);
    const live = await ctx.db.query(
      `SELECT ${jobColumns()} FROM ${ctx.s}.jobs
       WHERE idempotency_key = ANY($1::text[]) AND status IN ${LIVE}`,
      [[...new Set(skipped.map((e) => e.job.idempotencyKey as string))]],
    );
    const byKey = new Map(live.rows.map((row) => [tenantKey(row.tenant_id, row.idempotency_key), row]));
    pending = [];
    for (const entry of skipped) {
      const row = byKey.get(tenantKey(entry.job.tenantId, entry.job.idempotencyKey as string));
      if (row) results[entry.ord] = { job: rowToJob(row), created: false };
      else pending.push(entry);
    }
  }
  if (pending.length > 0) throw new Error('idempotency keys kept changing hands while enqueueing');
  return results as EnqueueResult[];
}

/**
 * The stored job, built from the record instead of read back: an insert of 1,000 jobs then
 * returns 1,000 ids, not 1,000 rows of 37 columns to parse (the row holds exactly these values).
 */
function newJob(r: NewJobRecord): Job {
  return {
    id: r.id,
    type: r.type,
    queue: r.queue,
    tenantId: r.tenantId,
    payload: r.payload === undefined ? null : r.payload,
    status: 'queued',
    priority: r.priority,
    progress: null,
    attempt: 0,
    maxAttempts: r.maxAttempts,
    error: null,
    errorStack: null,
    errorCategory: null,
    lastErrorAt: null,
    runAt: r.runAt,
    createdAt: r.createdAt,
    updatedAt: r.createdAt,
    startedAt: null,
    completedAt: null,
    failedAt: null,
    title: r.title,
    metadata: r.metadata ?? {},
    result: null,
    leaseOwner: null,
    leaseExpiresAt: null,
    checkpoint: null,
    pausedAt: null,
    resumedAt: null,
    pauseReason: null,
    resumeCount: 0,
    pauseRequested: false,
    idempotencyKey: r.idempotencyKey,
    timeoutMs: r.timeoutMs,
    redriveCount: 0,
    requiresUserAction: false,
    suggestedAction: null,
  };
}

/** The wake-up for these jobs: their queue (when they share one) and the earliest runAt. */
export function wakeUpFor(jobs: NewJobRecord[]): { queue: string | undefined; runAt: number } {
  const queue = jobs.every((j) => j.queue === jobs[0]?.queue) ? jobs[0]?.queue : undefined;
  let runAt = Number.POSITIVE_INFINITY;
  for (const j of jobs) if (j.runAt < runAt) runAt = j.runAt;
  return { queue, runAt };
}
