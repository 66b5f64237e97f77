/*
 * claim: lease up to `limit` due jobs in ONE statement.
 *
 * Values: now (epoch ms), limit, worker id, lease ms, and the type / queue filters when given:
 * parameters of the prepared claim, passed to its EXECUTE as checked literals (see below).
 *
 * The CTE walks jobs_claim_idx in claim order and locks rows with SKIP LOCKED, so concurrent
 * claimers never wait on, nor return, each other's rows; the UPDATE leases exactly those rows.
 * Every claim gets a fresh random lease token: a worker whose lease expired and whose job was
 * re-claimed presents the old token and is fenced out of every later write. `prefetched` marks the
 * new lease as not reported started until a heartbeat says otherwise (see heartbeat.ts).
 *
 * Why `SET LOCAL`: right after a bulk enqueue the planner's statistics still say "a handful of
 * queued rows", and it then prefers a bitmap scan that reads and sorts EVERY queued row on each
 * claim (measured: 17 ms per claim with 10,000 queued, against ~1.5 ms for the ordered index
 * scan). Discouraging sorts and bitmap scans for this one statement keeps the ordered walk
 * whatever the statistics say. `SET LOCAL` only reaches the next statement when both go in one
 * simple-protocol round trip, which cannot carry parameters: hence SQL-level `PREPARE`/`EXECUTE`
 * with literal arguments, the generic plan (made once per session under these settings) reused by
 * every claim. The same round trip turns `synchronous_commit` off for this statement when
 * `asyncCommit` is on. A pool without `connect()` gets the one-off form (settings and statement
 * with literals), as does a pool whose sessions keep losing prepared statements.
 */
import type { ClaimedJob, ClaimRequest } from '@redrive/core';
import { withClient } from '../connection.js';
import type { PgPool, PgPoolClient, PgQueryResult } from '../pg-types.js';
import { jobColumnList, NAMED_LAYOUT, positionsOf, readJob } from '../row.js';
import type { SqlContext } from './context.js';
import { intLiteral, textArrayLiteral, textLiteral } from './literal.js';

/**
 * Columns the claim itself sets to values known here: not sent back (fewer fields to transfer and
 * parse per claimed job), filled in by {@link claimJobs} instead.
 */
const SET_BY_CLAIM = ['status', 'started_at', 'updated_at', 'lease_owner', 'lease_expires_at'] as const;

/** What the claim returns per job, in order (read as array rows, see RowLayout in row.ts). */
const RETURNED = [...jobColumnList(SET_BY_CLAIM), 'claim_pos'];
const LAYOUT = positionsOf(RETURNED);
const TOKEN = RETURNED.indexOf('lease_token');
const POS = RETURNED.indexOf('claim_pos');
const RETURNING = RETURNED.map((c) => (c === 'claim_pos' ? 'next.pos::text AS claim_pos' : `j.${c}`)).join(
  ', ',
);

/** The claim's inputs as SQL: literals (a one-off statement) or `$n` (the prepared one). */
interface ClaimInputs {
  now: string;
  limit: string;
  workerId: string;
  leaseMs: string;
  types?: string | undefined;
  queues?: string | undefined;
}

/** The claim statement itself (without the `SET LOCAL`s it runs under). */
function claimStatement(s: string, v: ClaimInputs): string {
  const filters: string[] = [];
  if (v.types !== undefined) filters.push(`AND type = ANY(${v.types})`);
  if (v.queues !== undefined) filters.push(`AND queue = ANY(${v.queues})`);
  return `WITH next AS (
    SELECT id, ctid AS pos FROM ${s}.jobs
    WHERE status = 'queued' AND run_at <= ${v.now} ${filters.join(' ')}
    -- jobs_claim_idx's order; ties (one enqueueMany shares its created_at) in insertion order.
    ORDER BY priority DESC, created_at
    LIMIT ${v.limit}
    FOR UPDATE SKIP LOCKED
  )
  UPDATE ${s}.jobs j SET
    status = 'running', attempt = j.attempt + 1, started_at = ${v.now}, updated_at = ${v.now},
    lease_owner = ${v.workerId}, lease_expires_at = ${v.now} + ${v.leaseMs},
    lease_token = gen_random_uuid()::text, prefetched = true
  -- By position, not id: the CTE locked exactly this row version, and a TID lookup skips a
  -- primary-key probe per row (400-job claim: ~7.9 → ~7.4 ms). A version the statement's snapshot
  -- cannot see (updated and committed since) matches nothing: that job stays queued, unclaimed.
  FROM next WHERE j.ctid = next.pos
  RETURNING ${RETURNING}`;
}

/** The request's values as checked SQL literals. */
function literals(r: ClaimRequest): ClaimInputs {
  return {
    now: intLiteral(r.now, 'now'),
    limit: intLiteral(r.limit, 'limit'),
    workerId: textLiteral(r.workerId, 'workerId'),
    leaseMs: intLiteral(r.leaseMs, 'leaseMs'),
    types: r.types === undefined ? undefined : textArrayLiteral(r.types, 'types'),
    queues: r.queues === undefined ? undefined : textArrayLiteral(r.queues, 'queues'),
  };
}

/** The planner settings every claim runs under (see the header), as `SET LOCAL`s. */
function settings(ctx: SqlContext, prepared: boolean): string {
  return `SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off;${
    prepared ? ' SET LOCAL plan_cache_mode = force_generic_plan;' : ''
  }${ctx.asyncCommit ? ' SET LOCAL synchronous_commit = off;' : ''}`;
}

/** The one-off claim: settings and statement in one simple-protocol round trip. */
function claimSql(ctx: SqlContext, r: ClaimRequest): string {
  return `${settings(ctx, false)}\n  ${claimStatement(ctx.s, literals(r))}`;
}

/** A claim's prepared form: its name, its `PREPARE`, and the `EXECUTE` for a request. */
export interface PreparedClaim {
  name: string;
  prepare: string;
  execute: (r: ClaimRequest) => string;
}

const preparedShapes = new Map<string, PreparedClaim>();

/**
 * The prepared claim for this request's shape (schema, commit mode, filters): its `EXECUTE` runs
 * under the same settings as the one-off claim plus `plan_cache_mode = force_generic_plan`, so the
 * session plans it once (the ordered walk, as the settings force) instead of parsing and planning
 * ~1 kB of SQL on every claim (a one-job claim's round trip measured ~0.38 → ~0.18 ms).
 */
export function preparedClaim(ctx: SqlContext, r: ClaimRequest): PreparedClaim {
  const key = `${ctx.s}|${+ctx.asyncCommit}|${+(r.types !== undefined)}|${+(r.queues !== undefined)}`;
  let shape = preparedShapes.get(key);
  if (shape === undefined) {
    const params = ['bigint', 'int', 'text', 'bigint'];
    const v: ClaimInputs = { now: '$1', limit: '$2', workerId: '$3', leaseMs: '$4' };
    if (r.types !== undefined) v.types = `$${params.push('text[]')}`;
    if (r.queues !== undefined) v.queues = `$${params.push('text[]')}`;
    const body = `(${params.join(', ')}) AS ${claimStatement(ctx.s, v)}`;
    // Named after its text: a session (a pooler's server connection shared between processes
    // included) that has a statement of this name has this very statement.
    const name = `redrive_claim_${fnv1a(body)}`;
    const prepare = `PREPARE ${name} ${body}`;
    const execute = (req: ClaimRequest): string => {
      const l = literals(req);
      const args = [l.now, l.limit, l.workerId, l.leaseMs, l.types, l.queues].filter((a) => a !== undefined);
      return `${settings(ctx, true)} EXECUTE ${name}(${args.join(', ')})`;
    };
    shape = { name, prepare, execute };
    preparedShapes.set(key, shape);
  }
  return shape;
}

/** FNV-1a of `text`, 32 bits in hex: a statement name that changes with the statement. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** A `tid` as one comparable number (page × 2^16 + item; items per page stay far below 2^16). */
function tidOrder(tid: string): number {
  const comma = tid.indexOf(',');
  return Number(tid.slice(1, comma)) * 65_536 + Number(tid.slice(comma + 1, -1));
}

/** Claims due jobs; returned in claim order (priority desc, createdAt asc). */
export async function claimJobs(ctx: SqlContext, request: ClaimRequest): Promise<ClaimedJob[]> {
  const pool = ctx.db as Partial<PgPool>;
  const results = (typeof pool.connect === 'function' && !unprepared.has(pool)
    ? await claimPrepared(ctx, pool as PgPool, request)
    : await ctx.db.query({ text: claimSql(ctx, request), rowMode: 'array' })) as unknown as
    | { rows: unknown[][] }[]
    | { rows: unknown[][] };
  // Several statements in one query: pg answers with one result per statement; the UPDATE is last.
  const last = Array.isArray(results) ? results[results.length - 1] : results;
  const rows = (last?.rows ?? []) as unknown as Record<string | number, unknown>[];
  // A pool wrapper that drops `rowMode` hands back pg's object rows: read those by name.
  const arrays = rows.length === 0 || Array.isArray(rows[0]);
  const layout = arrays ? LAYOUT : NAMED_LAYOUT;
  const token = arrays ? TOKEN : 'lease_token';
  const pos = arrays ? POS : 'claim_pos';
  // UPDATE … RETURNING does not keep the CTE's order: put it back. Ties on (priority, created_at)
  // were taken in jobs_claim_idx's order, i.e. by the row's position in the table (`ctid`, text
  // `(page,item)`), which for one enqueueMany is its insertion order.
  const expiresAt = request.now + request.leaseMs;
  const keyed = rows.map((row) => {
    const job = readJob(row, layout) as ClaimedJob;
    job.leaseToken = row[token] as string;
    job.status = 'running';
    job.startedAt = request.now;
    job.updatedAt = request.now;
    job.leaseOwner = request.workerId;
    job.leaseExpiresAt = expiresAt;
    return { job, pos: tidOrder(row[pos] as string) };
  });
  keyed.sort((a, b) => b.job.priority - a.job.priority || a.job.createdAt - b.job.createdAt || a.pos - b.pos);
  return keyed.map((k) => k.job);
}

/** Per pooled connection (session), the claim statements prepared on it. */
const preparedOn = new WeakMap<PgPoolClient, Set<string>>();
/** Per pool, how often a session did not have what we thought (see claimPrepared). */
const misses = new WeakMap<object, number>();
/** Pools whose sessions keep losing or sharing prepared statements: claims go unprepared there. */
const unprepared = new WeakSet<object>();
const MAX_MISSES = 8;

/** The session did not have the prepared claim (26000), or already had one by that name (42P05). */
function surprised(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '26000' || code === '42P05';
}

function noteMiss(pool: object): void {
  const count = (misses.get(pool) ?? 0) + 1;
  misses.set(pool, count);
  if (count >= MAX_MISSES) unprepared.add(pool);
}

/**
 * The claim as an `EXECUTE` of its prepared statement, on a connection of the pool: prepared in the
 * same round trip the first time this session runs it. A session can still surprise us: reset
 * (`DISCARD ALL`) so the statement is gone (26000), or, behind a transaction-mode pooler, a server
 * connection another client already prepared it on (42P05). Either way the claim is sent once more
 * the other way round, and as the one-off statement if that try meets the other surprise (nothing
 * was claimed: a failed round trip's transaction rolls back); after {@link MAX_MISSES} such
 * surprises on one pool its claims go back to one-off statements.
 */
async function claimPrepared(ctx: SqlContext, pool: PgPool, request: ClaimRequest): Promise<PgQueryResult> {
  const shape = preparedClaim(ctx, request);
  const execute = shape.execute(request);
  return withClient(pool, async (client, checkout) => {
    let names = preparedOn.get(client);
    if (names === undefined) {
      names = new Set();
      preparedOn.set(client, names);
    }
    const known = names.has(shape.name);
    try {
      const result = await client.query({
        text: known ? execute : `${shape.prepare}; ${execute}`,
        rowMode: 'array',
      });
      names.add(shape.name);
      return result;
    } catch (error) {
      if (!surprised(error)) {
        // As pg's own pool.query does: a client whose query failed is not reused. (Its connection
        // may be on its way out, 'error' event still to come: a terminated backend.)
        checkout.broken(error);
        throw error;
      }
      noteMiss(pool);
      const missing = (error as { code?: unknown }).code === '26000';
      try {
        const result = await client.query({
          text: missing ? `${shape.prepare}; ${execute}` : execute,
          rowMode: 'array',
        });
        names.add(shape.name);
        return result;
      } catch (again) {
        if (!surprised(again)) {
          checkout.broken(again);
          throw again;
        }
        // Behind a transaction-mode pooler the second try can meet the other surprise (another
        // server connection): the one-off claim needs no prepared statement. Neither try claimed
        // anything (each round trip's transaction rolled back).
        noteMiss(pool);
        names.delete(shape.name);
        return client.query({ text: claimSql(ctx, request), rowMode: 'array' }).catch((e: unknown) => {
          checkout.broken(e);
          throw e;
        });
      }
    }
  });
}
