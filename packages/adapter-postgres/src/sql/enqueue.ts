/*
 * enqueue: insert jobs in one statement, honouring idempotency keys.
 *
 * Parameters: $1…$13 one per column (id, type, queue, tenant_id, payload, priority, run_at,
 *             max_attempts, idempotency_key, timeout_ms, title, metadata, created_at): a scalar
 *             when every record has the same value, else an array literal whose entry i is
 *             record i's (a jsonb column: one JSON array);
 *             with the NOTIFY in the statement $14 channel, $15 payload (the wake-up).
 *
 * `ON CONFLICT DO NOTHING` against the partial unique indexes skips a record whose
 * (tenant, key) a live job already holds (waiting for an uncommitted competitor first, so two concurrent enqueues with
 * one key create one job). On the caller's transaction (`{ db }`) the NOTIFY is part of the
 * statement, so it is delivered only if that transaction commits; otherwise the statement carries
 * it when no other enqueue of the adapter carries one, and the adapter sends it after the insert
 * when one does (see notifier.ts).
 */
import {
  type EnqueueResult,
  jobFromRecord,
  type NewJobRecord,
  ValidationError,
  type WakeUp,
} from '@redrive/core';
import { merge, wakeUpPayload } from '../notifier.js';
import { jobColumns, rowToJob } from '../row.js';
import { arrayLiteral } from './array-literal.js';
import type { SqlContext } from './context.js';

const LIVE = `('queued', 'running', 'paused')`;

/** A stored column the insert takes from the records: its SQL type and how to read it from one. */
interface InsertColumn {
  name: string;
  type: 'text' | 'int' | 'bigint' | 'jsonb';
  pick: (job: NewJobRecord) => unknown;
}

/** JSON text for a jsonb value; `undefined` and `null` are stored as SQL NULL (read back as null). */
const jsonOrNull = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value);

const COLUMNS: InsertColumn[] = [
  { name: 'id', type: 'text', pick: (j) => j.id },
  { name: 'type', type: 'text', pick: (j) => j.type },
  { name: 'queue', type: 'text', pick: (j) => j.queue },
  { name: 'tenant_id', type: 'text', pick: (j) => j.tenantId },
  { name: 'payload', type: 'jsonb', pick: (j) => j.payload },
  { name: 'priority', type: 'int', pick: (j) => j.priority },
  { name: 'run_at', type: 'bigint', pick: (j) => j.runAt },
  { name: 'max_attempts', type: 'int', pick: (j) => j.maxAttempts },
  { name: 'idempotency_key', type: 'text', pick: (j) => j.idempotencyKey },
  { name: 'timeout_ms', type: 'int', pick: (j) => j.timeoutMs },
  { name: 'title', type: 'text', pick: (j) => j.title },
  { name: 'metadata', type: 'jsonb', pick: (j) => j.metadata },
  { name: 'created_at', type: 'bigint', pick: (j) => j.createdAt },
];
const ID = COLUMNS.findIndex((c) => c.name === 'id');
const PAYLOAD = COLUMNS.findIndex((c) => c.name === 'payload');

/**
 * The insert for one batch. A column whose value is the same in every record (the queue, the
 * type, the times of one `enqueueMany`, the many nulls) is sent once as a scalar; only the others
 * are sent as arrays and zipped by `ROWS FROM`. Reading and zipping 13 array literals of 1,000
 * entries was over a third of each call (measured: 1,000 jobs 23 → 14 ms per call). A jsonb
 * column that varies (the payloads) goes as ONE JSON array split by `jsonb_array_elements`: one
 * `JSON.stringify` for the batch instead of one per record plus the array literal's escaping of
 * every quote in it (a JSON `null` element is stored as SQL NULL, as a lone one is).
 *
 * `ON CONFLICT DO NOTHING` only when some record has an idempotency key: without keys only the
 * primary key could conflict, and a duplicate id is an error (reported as such), so the plain
 * INSERT skips the speculative insertion's extra index probe and WAL record per row.
 */
function insertSql(
  s: string,
  uniform: boolean[],
  withKeys: boolean,
  notifyParams: [number, number] | undefined,
): string {
  const sources: string[] = [];
  const aliases: string[] = [];
  const expr: string[] = COLUMNS.map((c, i) => {
    const param = `$${i + 1}::${c.type}`;
    if (uniform[i]) return param;
    aliases.push(c.name);
    if (c.type === 'jsonb') {
      sources.push(`jsonb_array_elements(${param})`);
      return `NULLIF(t.${c.name}, 'null'::jsonb)`;
    }
    sources.push(`unnest(${param}[])`);
    return `t.${c.name}`;
  });
  const e = (name: string) => expr[COLUMNS.findIndex((c) => c.name === name)];
  const wake = notifyParams ? `pg_notify($${notifyParams[0]}, $${notifyParams[1]})` : 'NULL';
  // With keys, the ids that were inserted (a skipped one belongs to a live job holding its key);
  // without, every row was inserted or the statement failed, and no id needs to come back.
  const tail = withKeys
    ? `SELECT ins.*${notifyParams ? `, (SELECT ${wake}) AS notified` : ''} FROM ins`
    : `SELECT ${wake} AS notified`;
  return `WITH ins AS (
    INSERT INTO ${s}.jobs (id, type, queue, tenant_id, payload, status, priority, run_at, max_attempts,
      idempotency_key, timeout_ms, title, metadata, created_at, updated_at)
    SELECT ${e('id')}, ${e('type')}, ${e('queue')}, ${e('tenant_id')}, ${e('payload')}, 'queued',
      ${e('priority')}, ${e('run_at')}, ${e('max_attempts')}, ${e('idempotency_key')}, ${e('timeout_ms')},
      ${e('title')}, COALESCE(${e('metadata')}, '{}'::jsonb), ${e('created_at')}, ${e('created_at')}
    FROM ROWS FROM (${sources.join(', ')}) AS t(${aliases.join(', ')})
    -- No conflict target: two partial unique indexes (per tenant, and the null tenant) arbitrate.
    ${withKeys ? 'ON CONFLICT DO NOTHING RETURNING id' : ''}
  )
  ${tail}`;
}

/** Statement texts already built, by shape (see {@link insertStatement}); bounded. */
const texts = new Map<string, string>();
const MAX_TEXTS = 256;

/**
 * The insert for a batch of this shape, its text built once per shape. The two common shapes (a
 * single record, and a batch of one type without options) go as named prepared statements when
 * `prepare` is set (the adapter's own pool, not a caller's transaction): each pooled connection
 * parses and plans them once, and later calls send only their values. Other shapes go unnamed, so
 * the statements a connection keeps stay few (at most eight: two shapes, with or without keys and
 * the NOTIFY).
 */
function insertStatement(
  ctx: SqlContext,
  uniform: boolean[],
  withKeys: boolean,
  notifyParams: [number, number] | undefined,
  prepare: boolean,
): { name?: string; text: string } {
  let mask = 0;
  for (let i = 0; i < uniform.length; i++) if (uniform[i]) mask |= 1 << i;
  const key = `${ctx.s}|${mask}|${+withKeys}|${notifyParams ? notifyParams.join(',') : ''}`;
  let text = texts.get(key);
  if (text === undefined) {
    text = insertSql(ctx.s, uniform, withKeys, notifyParams);
    if (texts.size < MAX_TEXTS) texts.set(key, text);
  }
  // Every column but the id is one scalar (every single-record insert), or every column but the
  // id and the payload (a batch of one type without options, the common `enqueueMany`).
  const all = (1 << uniform.length) - 1;
  const common = mask === all - (1 << ID) || mask === all - (1 << ID) - (1 << PAYLOAD);
  return prepare && common ? { name: `redrive-enqueue-${key}`, text } : { text };
}

/**
 * The statement's values for `jobs`, one per column: the value itself when every record has the
 * same (by identity for jsonb: the shared empty metadata), else every record's, encoded as above.
 */
function columnValues(jobs: readonly NewJobRecord[]): { values: unknown[]; uniform: boolean[] } {
  const uniform = uniformColumns(jobs);
  const values: unknown[] = new Array(COLUMNS.length);
  const n = jobs.length;
  for (let i = 0; i < COLUMNS.length; i++) {
    const column = COLUMNS[i]!;
    if (uniform[i]) {
      const first = column.pick(jobs[0]!);
      values[i] = column.type === 'jsonb' ? jsonOrNull(first) : first;
      continue;
    }
    const all: unknown[] = new Array(n);
    // The two columns that differ in every batch, read directly; any other through its `pick`.
    if (i === ID) for (let k = 0; k < n; k++) all[k] = jobs[k]!.id;
    else if (i === PAYLOAD) for (let k = 0; k < n; k++) all[k] = jobs[k]!.payload;
    else for (let k = 0; k < n; k++) all[k] = column.pick(jobs[k]!);
    values[i] = column.type === 'jsonb' ? JSON.stringify(all) : arrayLiteral(all);
  }
  return { values, uniform };
}

/**
 * Which columns hold the same value in every record (by identity for jsonb), in {@link COLUMNS}
 * order; never the id. One pass with direct field reads: calling each column's `pick` per record
 * (13 different functions at one call site) was the largest part of a bulk enqueue's client time.
 */
function uniformColumns(jobs: readonly NewJobRecord[]): boolean[] {
  const f = jobs[0]!;
  let type = true;
  let queue = true;
  let tenantId = true;
  let payload = true;
  let priority = true;
  let runAt = true;
  let maxAttempts = true;
  let idempotencyKey = true;
  let timeoutMs = true;
  let title = true;
  let metadata = true;
  let createdAt = true;
  for (let k = 1; k < jobs.length; k++) {
    const j = jobs[k]!;
    if (j.type !== f.type) type = false;
    if (j.queue !== f.queue) queue = false;
    if (j.tenantId !== f.tenantId) tenantId = false;
    if (j.payload !== f.payload) payload = false;
    if (j.priority !== f.priority) priority = false;
    if (j.runAt !== f.runAt) runAt = false;
    if (j.maxAttempts !== f.maxAttempts) maxAttempts = false;
    if (j.idempotencyKey !== f.idempotencyKey) idempotencyKey = false;
    if (j.timeoutMs !== f.timeoutMs) timeoutMs = false;
    if (j.title !== f.title) title = false;
    if (j.metadata !== f.metadata) metadata = false;
    if (j.createdAt !== f.createdAt) createdAt = false;
  }
  const byName: Record<string, boolean> = {
    id: false,
    type,
    queue,
    tenant_id: tenantId,
    payload,
    priority,
    run_at: runAt,
    max_attempts: maxAttempts,
    idempotency_key: idempotencyKey,
    timeout_ms: timeoutMs,
    title,
    metadata,
    created_at: createdAt,
  };
  return COLUMNS.map((c) => byName[c.name]!);
}

/**
 * Inserts `jobs` on `ctx.db`; returns one result per record, in input order. With `notify` the
 * statement carries the NOTIFY: the jobs' own wake-up, merged with `notify.carried` (wake-ups owed
 * for writes that committed before this statement was sent).
 */
export async function enqueueJobs(
  ctx: SqlContext,
  jobs: NewJobRecord[],
  notify: { carried: WakeUp | undefined } | undefined,
  prepare = false,
): Promise<EnqueueResult[]> {
  if (jobs.length === 0) return [];
  const results: (EnqueueResult | undefined)[] = new Array(jobs.length);
  const withAnyKey = jobs.some((job) => job.idempotencyKey !== null);
  // Without keys every record is inserted in the first round: no bookkeeping per record.
  let pending = withAnyKey ? jobs.map((job, ord) => ({ job, ord })) : [];
  // A key's live job can finish between our skipped insert and the lookup: insert again (rare).
  for (let round = 0; round < 5 && (round === 0 || pending.length > 0); round++) {
    const batch = round === 0 ? jobs : pending.map((p) => p.job);
    const { values, uniform } = columnValues(batch);
    const withKeys = round === 0 ? withAnyKey : batch.some((job) => job.idempotencyKey !== null);
    let notifyParams: [number, number] | undefined;
    if (notify) {
      const own = wakeUpFor(batch);
      values.push(ctx.channel, wakeUpPayload(notify.carried ? merge(notify.carried, own) : own));
      notifyParams = [values.length - 1, values.length];
    }
    let inserted: { rows: Record<string, unknown>[] };
    try {
      inserted = await ctx.db.query({
        ...insertStatement(ctx, uniform, withKeys, notifyParams, prepare),
        values,
      });
    } catch (error) {
      if (isUniqueViolation(error, 'jobs_pkey')) {
        // `Key (id)=(…) already exists.`: the id the server tripped on (an id repeated inside the
        // batch trips on its second occurrence).
        const id = /^Key \(id\)=\((.*)\) already exists/s.exec(
          String((error as { detail?: unknown }).detail),
        )?.[1];
        throw duplicateIdError(jobs, id === undefined ? [] : [id], error);
      }
      throw error;
    }
    if (!withKeys) {
      if (round === 0) for (let i = 0; i < jobs.length; i++) results[i] = created(jobs[i]!);
      else for (const entry of pending) results[entry.ord] = created(entry.job);
      pending = [];
      break;
    }
    const byId = new Map(inserted.rows.map((row) => [row.id as string, row]));
    const skipped: typeof pending = [];
    for (const entry of pending) {
      const row = byId.get(entry.job.id);
      if (row) {
        results[entry.ord] = created(entry.job);
        byId.delete(entry.job.id);
      } else skipped.push(entry);
    }
    pending = [];
    if (skipped.length === 0) break;
    const duplicate = skipped.find((e) => e.job.idempotencyKey === null);
    // Without a key only the primary key can conflict: core's ids are unique, so this is a bug upstream.
    if (duplicate) throw duplicateIdError(jobs, [duplicate.job.id]);
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
    // No live job holds the key: either it finished meanwhile (insert again) or the record's id
    // is taken, which another round would only hit again.
    if (pending.length > 0) {
      const taken = await ctx.db.query(`SELECT id FROM ${ctx.s}.jobs WHERE id = ANY($1::text[])`, [
        pending.map((e) => e.job.id),
      ]);
      if (taken.rows.length > 0)
        throw duplicateIdError(
          jobs,
          taken.rows.map((r) => r.id as string),
        );
    }
  }
  if (pending.length > 0) throw new Error('idempotency keys kept changing hands while enqueueing');
  return results as EnqueueResult[];
}

function created(record: NewJobRecord): EnqueueResult {
  return { job: jobFromRecord(record), created: true };
}

/**
 * The error for records whose id is already stored (only a custom `generateId` that repeats
 * itself can cause one): a ValidationError naming each such record, as the memory adapter's.
 */
function duplicateIdError(jobs: NewJobRecord[], ids: string[], cause?: unknown): ValidationError {
  const issues = ids.map((id) => ({
    path: `jobs[${lastIndexOfId(jobs, id)}].id`,
    message: `${JSON.stringify(id)} is already taken`,
  }));
  if (issues.length === 0) issues.push({ path: 'jobs', message: 'an id is already taken' });
  const detail = issues.map((i) => `${i.path} ${i.message}`).join('; ');
  return new ValidationError(`[redrive] [postgres] enqueue: ${detail}`, { issues, cause });
}

/** The last record with `id`: for an id repeated inside the batch, the repeat (the one that failed). */
function lastIndexOfId(jobs: NewJobRecord[], id: string): number {
  for (let i = jobs.length - 1; i >= 0; i--) if (jobs[i]!.id === id) return i;
  return -1;
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && typeof e.constraint === 'string' && e.constraint.endsWith(constraint);
}

/** The wake-up for these jobs: their queue (when they share one) and the earliest runAt. */
export function wakeUpFor(jobs: NewJobRecord[]): { queue: string | undefined; runAt: number } {
  const queue = jobs.every((j) => j.queue === jobs[0]?.queue) ? jobs[0]?.queue : undefined;
  let runAt = Number.POSITIVE_INFINITY;
  for (const j of jobs) if (j.runAt < runAt) runAt = j.runAt;
  return { queue, runAt };
}
