/*
 * Postgres-specific behaviour the conformance suite does not cover: fencing under real
 * concurrency, transactional enqueue, migrations (custom schema, concurrent migrators),
 * batched completions, LISTEN/NOTIFY wake-ups, option validation.
 */
import { createQueue, ValidationError } from '@redrive/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, type PostgresAdapter, postgresAdapter } from '../src/index.js';
import { arrayLiteral } from '../src/sql/array-literal.js';
import { preparedClaim } from '../src/sql/claim.js';
import { completeSql } from '../src/sql/complete.js';
import { heartbeatSql } from '../src/sql/heartbeat.js';
import { failure, newJob } from './fixtures.js';
import { createTestDatabase, type TestDatabase } from './helpers.js';

let db: TestDatabase;
let pool: pg.Pool;
let adapter: PostgresAdapter;
const NOW = 1_000_000;
const claimReq = (limit = 10, now = NOW, workerId = 'w1') => ({ workerId, limit, leaseMs: 30_000, now });

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 20 });
  pool.on('error', () => {});
  adapter = postgresAdapter({ pool });
  await adapter.migrate();
});

afterAll(async () => {
  await adapter?.close();
  await pool?.end();
  await db?.drop();
});

async function clear() {
  await pool.query('TRUNCATE redrive.jobs, redrive.job_history, redrive.workers');
}

interface PlanNode {
  'Node Type': string;
  Operation?: string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

describe('claim and fencing', () => {
  it('claims by priority then age, issues a distinct token per claim, and never returns a job twice', async () => {
    await clear();
    const low = newJob({ priority: 0, createdAt: 1 });
    const high = newJob({ priority: 5, createdAt: 2 });
    const later = newJob({ runAt: NOW + 60_000 });
    await adapter.enqueue([low, high, later]);
    const claimed = await adapter.claim(claimReq(10));
    expect(claimed.map((j) => j.id)).toEqual([high.id, low.id]);
    expect(new Set(claimed.map((j) => j.leaseToken)).size).toBe(2);
    expect(claimed[0]).toMatchObject({
      status: 'running',
      attempt: 1,
      leaseOwner: 'w1',
      leaseExpiresAt: NOW + 30_000,
    });
    expect(await adapter.claim(claimReq(10))).toEqual([]);
  });

  it('20 concurrent claimers split 500 jobs with no job claimed twice', async () => {
    await clear();
    await adapter.enqueue(Array.from({ length: 500 }, () => newJob()));
    const seen: string[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, w) => {
        for (;;) {
          const got = await adapter.claim(claimReq(7, NOW, `w${w}`));
          if (got.length === 0) return;
          seen.push(...got.map((j) => j.id));
        }
      }),
    );
    expect(seen.length).toBe(500);
    expect(new Set(seen).size).toBe(500);
  });

  it('race: a stale completion after the lease expired and another worker re-claimed changes nothing', async () => {
    await clear();
    const job = newJob();
    await adapter.enqueue([job]);
    const [first] = await adapter.claim(claimReq(1, NOW, 'slow'));
    // The slow worker's lease expires; the sweeper takes it over and core retries it; a second worker claims.
    const later = NOW + 31_000;
    const recovered = await adapter.recoverExpiredLeases({
      workerId: 'sweeper',
      now: later,
      leaseMs: 1000,
      limit: 10,
    });
    expect(recovered.map((j) => j.id)).toEqual([job.id]);
    expect(
      await adapter.fail(job.id, {
        leaseToken: recovered[0]!.leaseToken,
        now: later,
        error: { message: 'lease expired', stack: null, category: 'transient_timeout' },
        outcome: { kind: 'retry', runAt: later },
        history: failure(1, later, false),
        historyLimit: 10,
      }),
    ).toEqual({ ok: true, status: 'queued' });
    const [second] = await adapter.claim(claimReq(1, later, 'fast'));
    expect(second!.id).toBe(job.id);
    expect(second!.leaseToken).not.toBe(first!.leaseToken);

    const stale = await adapter.complete(job.id, {
      leaseToken: first!.leaseToken,
      result: 'stale',
      now: later + 1,
    });
    expect(stale).toEqual({ ok: false, cancelled: false });
    const staleFail = await adapter.fail(job.id, {
      leaseToken: first!.leaseToken,
      now: later + 1,
      error: { message: 'x', stack: null, category: 'transient_network' },
      outcome: { kind: 'dead', requiresUserAction: false, suggestedAction: null },
      history: failure(1, later + 1, true),
      historyLimit: 10,
    });
    expect(staleFail).toEqual({ ok: false, cancelled: false });
    const during = await adapter.getJob(job.id);
    expect(during).toMatchObject({ status: 'running', leaseOwner: 'fast', attempt: 2, result: null });

    expect(
      await adapter.complete(job.id, { leaseToken: second!.leaseToken, result: { ok: 1 }, now: later + 2 }),
    ).toEqual({ ok: true, status: 'completed' });
    expect(await adapter.getJob(job.id)).toMatchObject({
      status: 'completed',
      result: { ok: 1 },
      completedAt: later + 2,
    });
  });

  it('batched completions: each concurrent call learns whether its own row completed', async () => {
    await clear();
    await adapter.enqueue(Array.from({ length: 200 }, () => newJob()));
    const claimed = await adapter.claim(claimReq(200));
    const calls = claimed.map((job, i) =>
      adapter.complete(job.id, {
        leaseToken: i % 4 === 0 ? 'wrong-token' : job.leaseToken,
        result: i,
        now: NOW + 5,
      }),
    );
    const results = await Promise.all(calls);
    expect(results.map((r) => r.ok)).toEqual(results.map((_, i) => i % 4 !== 0));
    const { rows } = await pool.query(
      `SELECT status, count(*)::int AS n FROM redrive.jobs GROUP BY status ORDER BY status`,
    );
    expect(rows).toEqual([
      { status: 'completed', n: 150 },
      { status: 'running', n: 50 },
    ]);
  });

  it('a prepared claim survives a session that lost it (DISCARD ALL) or already had it (a pooler)', async () => {
    await clear();
    const jobs = Array.from({ length: 12 }, (_, i) => newJob({ priority: 12 - i }));
    await adapter.enqueue(jobs);
    // Pools of one connection, so every statement below runs on the session the claims use; each
    // client records which kind of claim statement it is sent.
    const sent: string[] = [];
    const pools = [0, 1].map(() => {
      const p = new pg.Pool({ connectionString: db.url, max: 1 });
      p.on('error', () => {});
      p.on('connect', (client) => {
        const query = client.query.bind(client) as (...a: unknown[]) => unknown;
        (client as { query: unknown }).query = (...args: unknown[]) => {
          const q = args[0] as string | { text: string };
          const text = (typeof q === 'string' ? q : q.text).trimStart();
          // The claims' statements, however sent (pg's own pool.query passes a callback).
          if (text.startsWith('PREPARE')) sent.push('PREPARE');
          else if (text.includes('EXECUTE redrive_claim')) sent.push('EXECUTE');
          else if (text.includes('WITH next')) sent.push('one-off');
          return query(...args);
        };
      });
      return p;
    });
    const [one, two] = pools as [pg.Pool, pg.Pool];
    const solo = postgresAdapter({ pool: one, migrate: false });
    const other = postgresAdapter({ pool: two, migrate: false });
    try {
      const first = await solo.claim(claimReq(1));
      expect(sent.splice(0)).toEqual(['PREPARE']);
      // The session forgets every prepared statement: the claim meets 26000 and prepares again.
      await one.query('DISCARD ALL');
      const second = await solo.claim(claimReq(1));
      expect(sent.splice(0)).toEqual(['EXECUTE', 'PREPARE']);
      // Prepared on a session this adapter has not used (as on a pooler's server connection
      // another client prepared it on): its PREPARE meets 42P05, and it runs the one there.
      const shape = preparedClaim(
        { db: two, s: '"redrive"', channel: 'unused', asyncCommit: true },
        claimReq(1),
      );
      await two.query(shape.prepare);
      sent.length = 0;
      const third = await other.claim(claimReq(1));
      expect(sent.splice(0)).toEqual(['PREPARE', 'EXECUTE']);
      expect([...first, ...second, ...third].map((j) => j.id)).toEqual(jobs.slice(0, 3).map((j) => j.id));
      // And from then on one EXECUTE per claim.
      expect(await other.claim(claimReq(1))).toHaveLength(1);
      expect(sent.splice(0)).toEqual(['EXECUTE']);
      // A pool whose sessions keep losing it (eight surprises, the DISCARD above included): its
      // claims go back to the one-off statement, still one round trip each.
      for (let i = 0; i < 7; i++) {
        await one.query('DISCARD ALL');
        expect(await solo.claim(claimReq(1))).toHaveLength(1);
      }
      sent.length = 0;
      expect(await solo.claim(claimReq(1))).toHaveLength(1);
      expect(sent.splice(0)).toEqual(['one-off']);
    } finally {
      await solo.close();
      await other.close();
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('array literals the adapter builds read back as the values given, the empty one included', async () => {
    const cases: unknown[][] = [[], [''], ['a"b', 'c\\d', 'e,f', '{g}', 'NULL', ' h '], [1, null, 3]];
    for (const values of cases) {
      const { rows } = await pool.query('SELECT $1::text[] AS v', [arrayLiteral(values)]);
      expect(rows[0].v).toEqual(values.map((v) => (v === null ? null : String(v))));
    }
  });

  it('claims behind a transaction-mode pooler (each round trip on any of its sessions) never fail', async () => {
    await clear();
    const jobs = Array.from({ length: 30 }, () => newJob());
    await adapter.enqueue(jobs);
    // Four real sessions; every round trip of a checked-out "client" goes to one of them at
    // random, as PgBouncer in transaction mode does: a statement PREPAREd on one session is
    // missing on the next (26000), and a PREPARE can meet one already there (42P05).
    const server = new pg.Pool({ connectionString: db.url, max: 4 });
    server.on('error', () => {});
    const sessions = await Promise.all(Array.from({ length: 4 }, () => server.connect()));
    let seed = 7;
    const pick = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return sessions[(seed >>> 16) % sessions.length]!;
    };
    const pooler = {
      query: (q: unknown, values?: unknown[]) => (pick().query as (...a: unknown[]) => unknown)(q, values),
      connect: async () => ({
        query: (q: unknown, values?: unknown[]) => (pick().query as (...a: unknown[]) => unknown)(q, values),
        release: () => {},
        on: () => {},
        removeListener: () => {},
        removeAllListeners: () => {},
      }),
      end: async () => {},
    };
    const behind = postgresAdapter({ pool: pooler as never, migrate: false });
    try {
      const claimed: string[] = [];
      for (let i = 0; i < 30; i++) claimed.push(...(await behind.claim(claimReq(1))).map((j) => j.id));
      expect(claimed.sort()).toEqual(jobs.map((j) => j.id).sort());
    } finally {
      for (const s of sessions) s.release();
      await server.end();
    }
  });

  it('claims through a pool wrapper that drops rowMode (object rows) exactly as through pg itself', async () => {
    await clear();
    // An instrumentation wrapper that forwards only text and values: pg then answers with object
    // rows, where the adapter asks for array rows.
    const plain = (q: any, values?: unknown[]) =>
      typeof q === 'string' ? pool.query(q, values) : pool.query(q.text, q.values ?? values);
    const wrapped = postgresAdapter({
      pool: { query: plain, connect: () => pool.connect(), end: async () => {} } as any,
      migrate: false,
    });
    const jobs = [newJob({ priority: 1 }), newJob({ priority: 0 }), newJob({ priority: 0 })];
    await adapter.enqueue(jobs);
    const viaWrapper = await wrapped.claim(claimReq(2));
    const viaPg = await adapter.claim(claimReq(2));
    expect(viaWrapper.map((j) => j.id)).toEqual([jobs[0]!.id, jobs[1]!.id]);
    expect(viaPg.map((j) => j.id)).toEqual([jobs[2]!.id]);
    // Each claimed job is the stored row (the columns the claim sets filled in here) plus its token.
    for (const job of [...viaWrapper, ...viaPg]) {
      expect(job).toEqual({ ...(await adapter.getJob(job.id)), leaseToken: job.leaseToken });
      expect(job).toMatchObject({ status: 'running', leaseOwner: 'w1', startedAt: NOW, attempt: 1 });
      expect(job.leaseToken).toMatch(/^[0-9a-f-]{36}$/);
    }
    await wrapped.close();
  });

  it('completion and heartbeat batches probe the primary key per job, not every running job (generic plans)', async () => {
    await clear();
    // The completion is a named prepared statement, so after a few calls PostgreSQL may run its
    // generic plan. With a few hundred jobs running (claim-ahead buffers) walking them all
    // through jobs_lease_idx looks cheap to the planner; a batch must still be looked up by id.
    await adapter.enqueue(Array.from({ length: 5_000 }, () => newJob()));
    const claimed = await adapter.claim(claimReq(450));
    await pool.query('ANALYZE redrive.jobs');
    const batch = claimed.slice(0, 20);
    const client = await pool.connect();
    // EXECUTE takes no bound parameters: the batch goes in as literals.
    const list = (values: string[]) => values.map((v) => client.escapeLiteral(v)).join(', ');
    const ids = `ARRAY[${list(batch.map((j) => j.id))}]::text[]`;
    const tokens = `ARRAY[${list(batch.map((j) => j.leaseToken))}]::text[]`;
    const ctx = { db: client, s: '"redrive"', channel: 'unused', asyncCommit: true };
    const statements = {
      complete: [
        completeSql(ctx),
        `${ids}, ${tokens}, '${JSON.stringify(batch.map(() => null))}'::jsonb, array_fill(${NOW}::bigint, ARRAY[20])`,
      ],
      heartbeat: [
        heartbeatSql(ctx),
        `${ids}, ${tokens}, ${NOW}::bigint, 30000::bigint, 'w1', array_fill(true, ARRAY[20])`,
      ],
    };
    try {
      for (const [name, [sql, args]] of Object.entries(statements)) {
        await client.query('BEGIN');
        try {
          await client.query('SET LOCAL plan_cache_mode = force_generic_plan');
          await client.query(`PREPARE plan_probe AS ${sql}`);
          const { rows } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE plan_probe(${args})`);
          const updates: string[] = [];
          const walk = (n: PlanNode, underUpdate: boolean) => {
            const inUpdate = underUpdate || n.Operation === 'Update';
            if (inUpdate && n['Relation Name'] === 'jobs' && n['Node Type'].includes('Scan'))
              updates.push(n['Index Name'] ?? n['Node Type']);
            for (const child of n.Plans ?? []) walk(child, inUpdate);
          };
          walk(rows[0]['QUERY PLAN'][0].Plan, false);
          expect({ name, scans: updates }).toEqual({ name, scans: ['jobs_pkey'] });
        } finally {
          await client.query('ROLLBACK');
          await client.query('DEALLOCATE plan_probe');
        }
      }
    } finally {
      client.release();
    }
  });

  it('fail re-queues or dead-letters with a capped history in one step', async () => {
    await clear();
    const job = newJob({ maxAttempts: 10 });
    await adapter.enqueue([job]);
    for (let attempt = 1; attempt <= 4; attempt++) {
      const [c] = await adapter.claim(claimReq(1, NOW + attempt * 10_000));
      const dead = attempt === 4;
      const ok = await adapter.fail(job.id, {
        leaseToken: c!.leaseToken,
        now: NOW + attempt * 10_000 + 1,
        error: { message: `boom ${attempt}`, stack: 'at x', category: 'transient_network' },
        outcome: dead
          ? { kind: 'dead', requiresUserAction: true, suggestedAction: 'Look at it' }
          : { kind: 'retry', runAt: NOW + attempt * 10_000 + 5 },
        history: { ...failure(attempt, NOW + attempt * 10_000 + 1, dead), error: `boom ${attempt}` },
        historyLimit: 3,
      });
      expect(ok).toMatchObject({ ok: true, status: dead ? 'failed' : 'queued' });
    }
    const history = await adapter.getRetryHistory(job.id);
    expect(history.map((h) => h.attempt)).toEqual([2, 3, 4]);
    expect(history[2]).toMatchObject({ deadLettered: true, error: 'boom 4' });
    const stored = await adapter.getJob(job.id);
    expect(stored).toMatchObject({
      status: 'failed',
      attempt: 4,
      error: 'boom 4',
      failedAt: NOW + 40_001,
      requiresUserAction: true,
      suggestedAction: 'Look at it',
      leaseOwner: null,
    });
    const dlq = await adapter.listDeadLetters({ limit: 10 });
    expect(dlq.jobs.map((j) => j.id)).toEqual([job.id]);
  });
});

describe('transactional enqueue', () => {
  it('a job enqueued on the caller’s client exists only if the transaction commits', async () => {
    await clear();
    const rolledBack = newJob();
    const committed = newJob();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await adapter.enqueue([rolledBack], { db: client });
      // Visible inside the transaction, invisible outside it.
      expect((await client.query('SELECT 1 FROM redrive.jobs WHERE id = $1', [rolledBack.id])).rowCount).toBe(
        1,
      );
      expect(await adapter.getJob(rolledBack.id)).toBeNull();
      await client.query('ROLLBACK');

      await client.query('BEGIN');
      await adapter.enqueue([committed], { db: client });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect(await adapter.getJob(rolledBack.id)).toBeNull();
    expect(await adapter.getJob(committed.id)).toMatchObject({ status: 'queued' });
  });

  it('its wake-up reaches subscribers only when the transaction commits, never on rollback', async () => {
    await clear();
    const woke: string[] = [];
    const unsubscribe = adapter.subscribe((w) => {
      if (w.queue === 'tx-mail' || w.queue === 'tx-rolled-back') woke.push(w.queue);
    });
    for (let i = 0; i < 100 && !adapter.listening; i++) await new Promise((r) => setTimeout(r, 10));
    expect(adapter.listening).toBe(true);
    const settle = () => new Promise((r) => setTimeout(r, 150));
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await adapter.enqueue([newJob({ queue: 'tx-rolled-back' })], { db: client });
      await settle();
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      await adapter.enqueue([newJob({ queue: 'tx-mail' })], { db: client });
      await settle();
      expect(woke).toEqual([]); // not before the commit
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    for (let i = 0; i < 100 && woke.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await settle();
    expect(woke).toEqual(['tx-mail']);
    unsubscribe();
  });

  it('rejects a db that is not a client, naming the field, and writes nothing', async () => {
    await clear();
    await expect(adapter.enqueue([newJob()], { db: {} })).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [{ path: 'db' }],
    });
    expect((await pool.query('SELECT count(*)::int AS n FROM redrive.jobs')).rows[0].n).toBe(0);
  });
});

describe('enqueue batches', () => {
  it('stores every column of a batch whose records differ in some columns and agree in others', async () => {
    await clear();
    // Uniform columns go as one scalar, varying ones as arrays: both kinds must land per record.
    const jobs = [
      newJob({ priority: 3, tenantId: 't1', title: 'first', metadata: { a: 1 }, timeoutMs: 500 }),
      newJob({ priority: 0, tenantId: null, title: null, payload: null, idempotencyKey: 'k-2' }),
      newJob({
        priority: 7,
        tenantId: 't2',
        title: 'third',
        payload: ['x', { y: 'a"b\\c' }],
        runAt: NOW + 5,
      }),
    ];
    const results = await adapter.enqueue(jobs);
    expect(results.map((r) => r.created)).toEqual([true, true, true]);
    for (const job of jobs) {
      const stored = await adapter.getJob(job.id);
      expect(stored).toMatchObject({
        id: job.id,
        type: job.type,
        queue: job.queue,
        tenantId: job.tenantId,
        payload: job.payload,
        priority: job.priority,
        runAt: job.runAt,
        maxAttempts: job.maxAttempts,
        idempotencyKey: job.idempotencyKey,
        timeoutMs: job.timeoutMs,
        title: job.title,
        metadata: job.metadata,
        createdAt: job.createdAt,
        status: 'queued',
      });
      expect(results[jobs.indexOf(job)]?.job).toEqual(stored);
    }
  });

  it('stores text that an array literal must quote or escape, and payloads that are null, text or arrays', async () => {
    await clear();
    // Varying text columns go as array literals built by the adapter, varying payloads as one
    // JSON array: quotes, backslashes, braces, commas, the word NULL and blanks must survive.
    const texts = ['a"b', 'back\\slash', '{x,y}', 'NULL', ' padded ', '', 'ünï €', '"\\"\\\\'];
    const payloads: unknown[] = [null, 'NULL', [1, '{}'], { q: '"', b: '\\' }, 0, '', { n: null }, ['a,b']];
    const jobs = texts.map((text, i) =>
      newJob({
        id: `id ${text} ${i}`,
        type: `type ${text}`,
        title: text,
        tenantId: i % 2 ? text : null,
        payload: payloads[i],
        metadata: i % 3 ? { text } : {},
      }),
    );
    await adapter.enqueue(jobs);
    for (const job of jobs) {
      expect(await adapter.getJob(job.id)).toMatchObject({
        id: job.id,
        type: job.type,
        title: job.title,
        tenantId: job.tenantId,
        payload: job.payload,
        metadata: job.metadata,
      });
    }
    const nullPayload = await pool.query(
      'SELECT payload IS NULL AS is_null FROM redrive.jobs WHERE id = $1',
      [jobs[0]!.id],
    );
    expect(nullPayload.rows[0].is_null).toBe(true);
  });

  it('a batch with an id that already exists fails whole, names that id, and writes nothing', async () => {
    await clear();
    const existing = newJob();
    await adapter.enqueue([existing]);
    const batch = Array.from({ length: 10 }, () => newJob());
    batch[7] = { ...batch[7]!, id: existing.id };
    const error = await adapter.enqueue(batch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'jobs[7].id', message: `${JSON.stringify(existing.id)} is already taken` },
    ]);
    expect(await adapter.getJob(batch[0]!.id)).toBeNull();
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM redrive.jobs');
    expect(rows[0].n).toBe(1);
  });

  it('an id repeated inside one batch fails it whole, naming the repeat', async () => {
    await clear();
    const batch = Array.from({ length: 4 }, () => newJob());
    batch[3] = { ...batch[3]!, id: batch[1]!.id };
    const error = await adapter.enqueue(batch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'jobs[3].id', message: `${JSON.stringify(batch[1]!.id)} is already taken` },
    ]);
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM redrive.jobs');
    expect(rows[0].n).toBe(0);
  });

  it('a record with an idempotency key whose id is taken is named, not retried as a key race', async () => {
    await clear();
    const existing = newJob();
    await adapter.enqueue([existing]);
    const error = await adapter
      .enqueue([{ ...newJob({ idempotencyKey: 'fresh-key' }), id: existing.id }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]).toEqual({
      path: 'jobs[0].id',
      message: `${JSON.stringify(existing.id)} is already taken`,
    });
  });

  it('a batch with idempotency keys and a taken id fails whole: its other records are not written', async () => {
    await clear();
    const existing = newJob();
    await adapter.enqueue([existing]);
    const keyed = newJob({ idempotencyKey: 'kept-out' });
    const error = await adapter.enqueue([keyed, { ...newJob(), id: existing.id }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(await adapter.getJob(keyed.id)).toBeNull();
    // The key was not taken either: enqueueing it again creates the job.
    expect((await adapter.enqueue([newJob({ idempotencyKey: 'kept-out' })]))[0]?.created).toBe(true);
  });

  it('jobs of one enqueueMany (same priority and creation time) are claimed and returned in insertion order', async () => {
    await clear();
    const batch = Array.from({ length: 50 }, (_, i) => newJob({ createdAt: 42, payload: { i } }));
    // Ids that sort in the opposite order: the claim follows the insert, not the id.
    for (const [i, job] of batch.entries()) job.id = `z_${(99 - i).toString().padStart(3, '0')}`;
    await adapter.enqueue(batch);
    const claimed: string[] = [];
    for (let k = 0; k < 5; k++) claimed.push(...(await adapter.claim(claimReq(10))).map((j) => j.id));
    expect(claimed).toEqual(batch.map((j) => j.id));
  });
});

describe('listing (one page per state, merged)', () => {
  it('pages every state in (createdAt, id) order, equal createdAt across states included', async () => {
    await clear();
    // 18 jobs, three per createdAt, then moved into every state with plain SQL.
    const jobs = Array.from({ length: 18 }, (_, i) => newJob({ createdAt: 100 + Math.floor(i / 3) }));
    await adapter.enqueue(jobs);
    const states = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled'];
    for (const [i, job] of jobs.entries()) {
      await pool.query(
        `UPDATE redrive.jobs SET status = $2, lease_expires_at = CASE WHEN $2 = 'running' THEN 1 END,
           failed_at = CASE WHEN $2 = 'failed' THEN 1 END WHERE id = $1`,
        [job.id, states[i % 6]],
      );
    }
    const expected = [...jobs]
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((j) => j.id);
    const seen: string[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await adapter.listJobs({ limit: 4, cursor: cursor ?? undefined });
      seen.push(...page.jobs.map((j) => j.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    // A state filter pages only that state's jobs, in the same order.
    const failed = await adapter.listJobs({ limit: 10, status: ['failed', 'running'] });
    expect(failed.jobs.map((j) => j.id)).toEqual(
      expected.filter((id) =>
        ['failed', 'running'].includes(states[jobs.findIndex((j) => j.id === id) % 6]!),
      ),
    );
    // An unknown state matches nothing (and is not an error of the SQL).
    expect((await adapter.listJobs({ limit: 10, status: 'nope' as never })).jobs).toEqual([]);
  });
});

describe('bulk transition and purge (per-state statements)', () => {
  it('transitionMany skips jobs another transaction holds and still fills its batch', async () => {
    await clear();
    const jobs = Array.from({ length: 5 }, (_, i) => newJob({ createdAt: 100 + i }));
    await adapter.enqueue(jobs);
    const other = await pool.connect();
    try {
      await other.query('BEGIN');
      // The two newest jobs are held elsewhere (e.g. by a concurrent bulk action).
      await other.query('SELECT id FROM redrive.jobs WHERE id = ANY($1) FOR UPDATE', [
        [jobs[4]!.id, jobs[3]!.id],
      ]);
      const changed = await adapter.transitionMany!(
        {},
        { from: ['queued'], to: 'cancelled', now: NOW, limit: 2 },
      );
      expect(changed.map((j) => j.id)).toEqual([jobs[2]!.id, jobs[1]!.id]);
    } finally {
      await other.query('ROLLBACK');
      other.release();
    }
  });

  it('a bulk transition and a purge lock only the jobs they change: a concurrent call takes the next ones', async () => {
    await clear();
    // 10 paused and 10 failed jobs, interleaved in creation order, all finished long ago.
    const jobs = Array.from({ length: 20 }, (_, i) => newJob({ createdAt: 100 + i }));
    await adapter.enqueue(jobs);
    for (const [i, job] of jobs.entries()) {
      await pool.query('UPDATE redrive.jobs SET status = $2, updated_at = 200 WHERE id = $1', [
        job.id,
        i % 2 ? 'paused' : 'failed',
      ]);
    }
    const held = await pool.connect();
    try {
      // Call A runs inside a transaction that stays open while call B runs.
      await held.query('BEGIN');
      const inTransaction = postgresAdapter({
        pool: {
          query: (text: any, values?: any) => held.query(text, values),
          connect: () => pool.connect(),
        } as never,
        migrate: false,
      });
      const a = await inTransaction.transitionMany!(
        {},
        { from: ['paused', 'failed'], to: 'cancelled', now: NOW, limit: 6 },
      );
      const b = await adapter.transitionMany!(
        {},
        { from: ['paused', 'failed'], to: 'cancelled', now: NOW, limit: 6 },
      );
      expect(a.map((j) => j.id)).toEqual(
        jobs
          .slice(14)
          .reverse()
          .map((j) => j.id),
      );
      expect(b.map((j) => j.id)).toEqual(
        jobs
          .slice(8, 14)
          .reverse()
          .map((j) => j.id),
      );
      expect(await inTransaction.purge({ status: ['paused', 'failed'], olderThan: 1_000, limit: 3 })).toBe(3);
      expect(await adapter.purge({ status: ['paused', 'failed'], olderThan: 1_000, limit: 3 })).toBe(3);
    } finally {
      await held.query('ROLLBACK');
      held.release();
    }
  });

  it('queue.deadLetters.purge() deletes every old dead letter, past the adapter batch of 1,000', async () => {
    await clear();
    await adapter.enqueue(Array.from({ length: 1_500 }, (_, i) => newJob({ createdAt: 100 + i })));
    await pool.query(`UPDATE redrive.jobs SET status = 'failed', failed_at = 2000, updated_at = 2000`);
    const queue = createQueue({ adapter });
    expect(await queue.deadLetters.purge({ olderThan: 5_000 })).toEqual({ deleted: 1_500 });
    expect((await pool.query('SELECT count(*)::int AS n FROM redrive.jobs')).rows[0].n).toBe(0);
  });

  it('purge deletes by updatedAt, oldest first, across statuses, also when createdAt is later than updatedAt', async () => {
    await clear();
    const mk = async (status: string, createdAt: number, updatedAt: number) => {
      const job = newJob({ createdAt });
      await adapter.enqueue([job]);
      await pool.query('UPDATE redrive.jobs SET status = $2, updated_at = $3 WHERE id = $1', [
        job.id,
        status,
        updatedAt,
      ]);
      return job.id;
    };
    const old1 = await mk('completed', 1_000, 2_000);
    const old2 = await mk('cancelled', 1_500, 2_500);
    // Finished before the cutoff by a worker whose clock ran 5 s behind the producer's.
    const skewed = await mk('completed', 10_000, 4_000);
    const recent = await mk('completed', 1_200, 6_000); // created long ago, finished after the cutoff
    const failed = await mk('failed', 1_000, 2_000); // a status not asked for
    expect(await adapter.purge({ status: ['completed', 'cancelled'], olderThan: 5_000, limit: 2 })).toBe(2);
    const left = async () =>
      (await pool.query('SELECT id FROM redrive.jobs ORDER BY id')).rows.map((r) => r.id);
    expect(await left()).toEqual([skewed, recent, failed].sort());
    expect(await adapter.purge({ status: ['completed', 'cancelled'], olderThan: 5_000, limit: 2 })).toBe(1);
    expect(await adapter.purge({ status: ['completed', 'cancelled'], olderThan: 5_000, limit: 2 })).toBe(0);
    expect(await left()).toEqual([recent, failed].sort());
    expect([old1, old2]).not.toContain(recent);
  });
});

describe('idempotency', () => {
  it('concurrent enqueues with one key create one live job; a finished job frees the key', async () => {
    await clear();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => adapter.enqueue([newJob({ idempotencyKey: 'order-1' })])),
    );
    const created = results.flat().filter((r) => r.created);
    expect(created).toHaveLength(1);
    expect(new Set(results.flat().map((r) => r.job.id)).size).toBe(1);
    const [c] = await adapter.claim(claimReq(1));
    await adapter.complete(c!.id, { leaseToken: c!.leaseToken, result: null, now: NOW });
    const [again] = await adapter.enqueue([newJob({ idempotencyKey: 'order-1' })]);
    expect(again!.created).toBe(true);
  });
});

describe('a connection lost in the middle of a transaction', () => {
  it('rejects stats, a keyed enqueue and a claim with an AdapterError, and the process keeps running', async () => {
    await clear();
    await adapter.enqueue([newJob()]);
    for (const call of [
      () => adapter.claim(claimReq(5)),
      () => adapter.stats({}),
      () =>
        adapter.enqueue([
          newJob({ idempotencyKey: `k-${Math.random()}` }),
          newJob({ idempotencyKey: `k-${Math.random()}` }),
        ]),
    ]) {
      const blocker = await pool.connect();
      try {
        // Hold the table so the call's statement waits inside its transaction, then kill that backend
        // (what a server restart or failover does to every open connection).
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE redrive.jobs IN ACCESS EXCLUSIVE MODE');
        // Settled into a value at once: the rejection may come before the expect below runs.
        const outcome = call().then(
          () => 'resolved',
          (error: unknown) => error,
        );
        let victim: number | undefined;
        for (let i = 0; i < 200 && victim === undefined; i++) {
          const { rows } = await pool.query(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
               AND pid <> $1`,
            [(await blocker.query('SELECT pg_backend_pid() AS pid')).rows[0].pid],
          );
          victim = rows[0]?.pid;
          if (victim === undefined) await new Promise((r) => setTimeout(r, 10));
        }
        expect(victim).toBeDefined();
        await pool.query('SELECT pg_terminate_backend($1)', [victim]);
        expect(await outcome).toMatchObject({ name: 'AdapterError' });
      } finally {
        await blocker.query('ROLLBACK');
        blocker.release();
      }
    }
    // The pool dropped the broken clients: the adapter works on (the job the failed claim did not
    // lease is still there to claim).
    expect((await adapter.claim(claimReq(5))).map((j) => j.status)).toEqual(['running']);
  });
});

describe('a connection lost while a claim holds it', () => {
  it('with no query running (its answer just in) neither crashes the process nor loses the claim', async () => {
    await clear();
    await adapter.enqueue([newJob(), newJob()]);
    // What a server shutdown can do: its FATAL arrives in the same read as the claim's answer, so
    // pg reports it as an 'error' event on the client, with no query running, while the adapter
    // still holds the client. An 'error' event nobody listens to would crash the process (here:
    // an unhandled rejection, which fails the run).
    const one = new pg.Pool({ connectionString: db.url, max: 1 });
    one.on('error', () => {});
    let armed = true;
    one.on('connect', (client) => {
      const query = client.query.bind(client) as (...a: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        const answer = query(...args) as Promise<unknown>;
        if (armed && typeof args[1] !== 'function' && typeof args[2] !== 'function') {
          armed = false;
          void answer.then(() =>
            client.emit(
              'error',
              Object.assign(new Error('terminating connection due to administrator command'), {
                code: '57P01',
              }),
            ),
          );
        }
        return answer;
      };
    });
    const solo = postgresAdapter({ pool: one, migrate: false });
    try {
      expect(await solo.claim(claimReq(1))).toHaveLength(1);
      // That client was handed back as broken; the next claim runs on a new connection.
      expect(await solo.claim(claimReq(1))).toHaveLength(1);
      expect(one.totalCount).toBe(1);
    } finally {
      await solo.close();
      await one.end();
    }
  });
});

describe('LISTEN/NOTIFY', () => {
  it('wakes a subscriber within a few ms of an enqueue from another connection', async () => {
    await clear();
    const other = postgresAdapter({ connectionString: db.url, migrate: false });
    const woke: number[] = [];
    let resolveWake!: () => void;
    const waiting = new Promise<void>((r) => {
      resolveWake = r;
    });
    const unsubscribe = adapter.subscribe((w) => {
      if (w.queue === 'mail') {
        woke.push(performance.now());
        resolveWake();
      }
    });
    for (let i = 0; i < 100 && !adapter.listening; i++) await new Promise((r) => setTimeout(r, 10));
    expect(adapter.listening).toBe(true);
    await other.enqueue([newJob({ queue: 'mail' })]); // warm the other pool
    await waiting;
    const t0 = performance.now();
    woke.length = 0;
    const second = new Promise<void>((r) => {
      resolveWake = r;
    });
    await other.enqueue([newJob({ queue: 'mail' })]);
    await second;
    expect(woke[0]! - t0).toBeLessThan(50);
    unsubscribe();
    await other.close();
  });

  it('reconnects after the LISTEN connection is killed', async () => {
    const errors: unknown[] = [];
    const a = postgresAdapter({
      connectionString: db.url,
      migrate: false,
      onListenError: (e) => errors.push(e),
    });
    let wakes = 0;
    const unsubscribe = a.subscribe(() => {
      wakes++;
    });
    for (let i = 0; i < 100 && !a.listening; i++) await new Promise((r) => setTimeout(r, 10));
    await pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query = 'LISTEN "redrive:redrive"'`,
      [db.name],
    );
    for (let i = 0; i < 100 && (a.listening || errors.length === 0); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(errors.length).toBeGreaterThan(0);
    for (let i = 0; i < 300 && !a.listening; i++) await new Promise((r) => setTimeout(r, 10));
    expect(a.listening).toBe(true);
    const before = wakes;
    await a.enqueue([newJob()]);
    for (let i = 0; i < 100 && wakes === before; i++) await new Promise((r) => setTimeout(r, 10));
    expect(wakes).toBeGreaterThan(before);
    unsubscribe();
    await a.close();
  });
});

describe('migrations', () => {
  it('10 concurrent migrators of a custom schema apply each migration once', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => migrate({ connectionString: db.url, schema: 'Tenant_A' })),
    );
    expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
    const { rows } = await pool.query('SELECT id FROM "Tenant_A".migrations');
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ id: m.id })));
    const custom = postgresAdapter({ pool, schema: 'Tenant_A' });
    const job = newJob();
    await custom.enqueue([job]);
    expect(await custom.getJob(job.id)).toMatchObject({ id: job.id });
    expect(await adapter.getJob(job.id)).toBeNull();
    await custom.close();
  });

  it('rejects unsafe schema names and bad options before touching the database', () => {
    expect(() => postgresAdapter({ pool, schema: 'x"; DROP TABLE y; --' })).toThrow(/schema/);
    // The claim-ahead buffer moved to JobRunner: the old option is refused with a pointer to it.
    expect(() => postgresAdapter({ pool, prefetch: 8 } as never)).toThrowError(
      expect.objectContaining({
        message: expect.stringMatching(/prefetch: was removed.*claimAhead/),
        issues: [{ path: 'prefetch', message: expect.stringContaining('claimAhead') }],
      }),
    );
    expect(() => postgresAdapter({ connectionString: 'mysql://x' })).toThrow(/connectionString/);
    expect(() => postgresAdapter({} as never)).toThrow(/connectionString/);
    // Unknown keys are refused like core refuses them, each one named.
    expect(() => postgresAdapter({ connectionString: db.url, bogus: 1, prefech: 8 } as never)).toThrowError(
      expect.objectContaining({
        name: 'ValidationError',
        message: expect.stringMatching(/bogus: is not a known option.*prefech/),
        issues: [
          { path: 'bogus', message: 'is not a known option' },
          { path: 'prefech', message: 'is not a known option' },
        ],
      }),
    );
    expect(() => postgresAdapter({ pool, onListenError: 'log' } as never)).toThrowError(
      expect.objectContaining({ issues: [{ path: 'onListenError', message: 'must be a function' }] }),
    );
  });
});
