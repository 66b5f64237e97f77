/*
 * enqueue: insert jobs as ONE atomic batch of set-based INSERTs, honouring idempotency keys.
 *
 * Value of each INSERT: ?1 a JSON array of records (one chunk of the call, each under
 * MAX_BATCH_JSON_BYTES: D1 binds at most 100 values and 2 MB per value, so records travel as one
 * JSON text, not as 13 values each).
 *
 * The two partial unique indexes (per tenant, and the null tenant) arbitrate keys: `ON CONFLICT
 * … DO NOTHING` names each, so a record whose (tenant, key) a live job holds is skipped while a
 * taken primary key is still an error (and the batch writes nothing). Skipped records are then
 * looked up by key; a key whose live job finished in between is inserted again (rare).
 */
import {
  type EnqueueResult,
  type Job,
  jobFromRecord,
  type NewJobRecord,
  ValidationError,
} from '@redrive/core';
import { assertJsonSize, MAX_BATCH_JSON_BYTES, MAX_JOB_INPUT_BYTES } from '../limits.js';
import { JOBS, jsonOrNull, rowToJob } from '../row.js';
import type { SqlContext } from './context.js';

const LIVE = `status IN ('queued', 'running', 'paused')`;

const INSERT_SQL = `INSERT INTO ${JOBS} (id, type, queue, tenant_id, payload, status, priority, run_at,
    max_attempts, idempotency_key, timeout_ms, title, metadata, created_at, updated_at)
  SELECT r ->> '$[0]', r ->> '$[1]', r ->> '$[2]', r ->> '$[3]', r ->> '$[4]', 'queued', r ->> '$[5]',
    r ->> '$[6]', r ->> '$[7]', r ->> '$[8]', r ->> '$[9]', r ->> '$[10]', coalesce(r ->> '$[11]', '{}'),
    r ->> '$[12]', r ->> '$[12]'
  FROM (SELECT value AS r FROM json_each(?1) ORDER BY key) WHERE true
  ON CONFLICT (tenant_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL AND tenant_id IS NOT NULL AND ${LIVE} DO NOTHING
  ON CONFLICT (idempotency_key)
    WHERE idempotency_key IS NOT NULL AND tenant_id IS NULL AND ${LIVE} DO NOTHING
  RETURNING id`;

/** One record as the INSERT reads it: a positional array (payload and metadata as JSON text). */
function recordTuple(adapter: string, job: NewJobRecord, index: number): unknown[] {
  const payload = jsonOrNull(job.payload);
  const metadata = jsonOrNull(job.metadata);
  const size = (payload?.length ?? 0) + (metadata?.length ?? 0) + (job.title?.length ?? 0);
  // One check over the three together, naming the payload (nearly always the large one).
  if (size * 3 > MAX_JOB_INPUT_BYTES) {
    assertJsonSize(
      adapter,
      `jobs[${index}].payload`,
      `${payload ?? ''}${metadata ?? ''}${job.title ?? ''}`,
      MAX_JOB_INPUT_BYTES,
    );
  }
  return [
    job.id,
    job.type,
    job.queue,
    job.tenantId,
    payload,
    job.priority,
    job.runAt,
    job.maxAttempts,
    job.idempotencyKey,
    job.timeoutMs,
    job.title,
    metadata,
    job.createdAt,
  ];
}

/** Splits the records' JSON into arrays each under MAX_BATCH_JSON_BYTES (a record never splits). */
function chunks(tuples: string[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const t of tuples) {
    if (current.length > 0 && (size + t.length + 1) * 3 > MAX_BATCH_JSON_BYTES) {
      out.push(`[${current.join(',')}]`);
      current = [];
      size = 2;
    }
    current.push(t);
    size += t.length + 1;
  }
  if (current.length > 0) out.push(`[${current.join(',')}]`);
  return out;
}

/** Inserts `jobs`; returns one result per record, in input order. */
export async function enqueueJobs(ctx: SqlContext, jobs: NewJobRecord[]): Promise<EnqueueResult[]> {
  const tuples = jobs.map((job, i) => JSON.stringify(recordTuple(ctx.adapter, job, i)));
  const results: (EnqueueResult | undefined)[] = new Array(jobs.length);
  let pending = jobs.map((job, ord) => ({ job, ord }));
  for (let round = 0; round < 5 && pending.length > 0; round++) {
    const statements = chunks(pending.map((p) => tuples[p.ord]!)).map((json) =>
      ctx.db.prepare(INSERT_SQL).bind(json),
    );
    let inserted: Set<string>;
    try {
      const out = await ctx.db.batch<{ id: string }>(statements);
      inserted = new Set(out.flatMap((r) => r.results.map((row) => row.id)));
    } catch (error) {
      if (/UNIQUE constraint failed: redrive_jobs\.id/.test(String((error as Error)?.message))) {
        throw await duplicateIdError(ctx, jobs, error);
      }
      throw error;
    }
    const skipped = pending.filter((p) => !inserted.has(p.job.id));
    for (const p of pending)
      if (inserted.has(p.job.id)) results[p.ord] = { job: jobFromRecord(p.job), created: true };
    pending = [];
    if (skipped.length === 0) break;
    const live = await liveJobsByKey(
      ctx,
      skipped.map((s) => s.job),
    );
    for (const entry of skipped) {
      const job = live.get(tenantKey(entry.job.tenantId, entry.job.idempotencyKey));
      if (job) results[entry.ord] = { job, created: false };
      else pending.push(entry);
    }
  }
  if (pending.length > 0) throw new Error('idempotency keys kept changing hands while enqueueing');
  return results as EnqueueResult[];
}

const tenantKey = (tenant: string | null, key: string | null) => JSON.stringify([tenant, key]);

/** The live jobs holding the records' keys, by (tenant, key). */
async function liveJobsByKey(ctx: SqlContext, records: NewJobRecord[]): Promise<Map<string, Job>> {
  const keys = [...new Set(records.map((r) => r.idempotencyKey))];
  const { results } = await ctx.db
    .prepare(`SELECT * FROM ${JOBS} WHERE idempotency_key IN (SELECT value FROM json_each(?1)) AND ${LIVE}`)
    .bind(JSON.stringify(keys))
    .all();
  const map = new Map<string, Job>();
  for (const row of results) {
    map.set(tenantKey(row.tenant_id as string | null, row.idempotency_key as string), rowToJob(row));
  }
  return map;
}

/** A ValidationError naming each record whose id is stored already or repeated in the call. */
async function duplicateIdError(
  ctx: SqlContext,
  jobs: NewJobRecord[],
  cause: unknown,
): Promise<ValidationError> {
  const { results } = await ctx.db
    .prepare(`SELECT id FROM ${JOBS} WHERE id IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(jobs.map((j) => j.id)))
    .all<{ id: string }>();
  const taken = new Set(results.map((r) => r.id));
  const seen = new Set<string>();
  const issues: { path: string; message: string }[] = [];
  jobs.forEach((job, i) => {
    if (taken.has(job.id) || seen.has(job.id)) {
      issues.push({ path: `jobs[${i}].id`, message: `${JSON.stringify(job.id)} is already taken` });
    }
    seen.add(job.id);
  });
  if (issues.length === 0) issues.push({ path: 'jobs', message: 'an id is already taken' });
  const detail = issues.map((i) => `${i.path} ${i.message}`).join('; ');
  return new ValidationError(`[redrive] [${ctx.adapter}] enqueue: ${detail}`, { issues, cause });
}
