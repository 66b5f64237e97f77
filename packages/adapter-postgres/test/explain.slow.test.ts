/*
 * Acceptance 3: with 1,000,000 jobs loaded, the statements the adapter really sends for claim,
 * list, dead-letter list, stats and throughput are planned on indexes, never a sequential scan of `jobs`.
 * The adapter runs on a pool that records every query; each recorded query is then EXPLAINed
 * with its own parameters.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgPool, type PostgresAdapter, postgresAdapter } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from './helpers.js';

const ROWS = 1_000_000;
const NOW = 2_000_000_000_000;

let db: TestDatabase;
let pool: pg.Pool;
let adapter: PostgresAdapter;
let recorded: { text: string; values: unknown[] }[] = [];

/** The claim statements the adapter PREPAREd, by name (an EXECUTE is EXPLAINed through them). */
const prepares = new Map<string, string>();

/**
 * A pool that remembers each query it runs (text and parameters), through `pool.query` and on the
 * clients it hands out (patched once each: the adapter keeps per-session state by client). A
 * `SET LOCAL` sent on a client is remembered as a prefix of that client's next query, so the query
 * is EXPLAINed under the same settings (see plansOf); a `PREPARE` sent in front of a claim is kept
 * in `prepares`.
 */
function recordingPool(inner: pg.Pool): PgPool {
  const record = (textOrConfig: any, values?: unknown[], prefix = '') => {
    let text: string = typeof textOrConfig === 'string' ? textOrConfig : textOrConfig.text;
    const params = typeof textOrConfig === 'string' ? values : textOrConfig.values;
    const prepared = /^\s*PREPARE (\w+) /.exec(text);
    if (prepared) {
      const cut = text.indexOf('; SET LOCAL ');
      prepares.set(prepared[1]!, text.slice(0, cut));
      text = text.slice(cut + 2);
    }
    recorded.push({ text: prefix + text, values: params ?? [] });
  };
  const patched = new WeakSet<object>();
  return {
    query(textOrConfig: any, values?: unknown[]) {
      record(textOrConfig, values);
      // As sent: a config keeps its name and row mode (claims read array rows).
      return inner.query(textOrConfig, values);
    },
    async connect() {
      const client = await inner.connect();
      if (patched.has(client)) return client;
      patched.add(client);
      let setLocals = '';
      const query = client.query.bind(client) as (...a: any[]) => any;
      // Every argument passed on: pg's own pool.query calls it with a callback.
      (client as any).query = (...args: any[]) => {
        const [textOrConfig, values] = args;
        if (typeof values === 'function') return query(...args);
        const text = typeof textOrConfig === 'string' ? textOrConfig : textOrConfig.text;
        // Only SET LOCALs (one or several): a prefix for the next statement. A claim sends its
        // SET LOCALs and its statement in one text; plansOf splits those.
        if (/^(\s*SET LOCAL [^;]+;?)+\s*$/.test(text)) {
          setLocals += `${text.trim().replace(/;?$/, ';')} `;
        } else {
          record(textOrConfig, values, setLocals);
          setLocals = '';
        }
        return query(...args);
      };
      return client;
    },
    end: () => inner.end(),
  } as unknown as PgPool;
}

beforeAll(async () => {
  db = await createTestDatabase('redrive_explain');
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  pool.on('error', () => {});
  adapter = postgresAdapter({ pool: recordingPool(pool) });
  await adapter.migrate();
  // Bulk-load fast: drop the secondary indexes, load, rebuild them from their own definitions.
  const { rows: indexes } = await pool.query(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'redrive' AND tablename = 'jobs'
       AND indexname <> 'jobs_pkey'`,
  );
  for (const i of indexes) await pool.query(`DROP INDEX redrive."${i.indexname}"`);
  // 1 M jobs in one statement: 70% completed, 10% failed, 10% queued (half of them due),
  // 5% running, 5% cancelled; 20 types, 5 queues, timestamps spread over ~11 days.
  await pool.query(
    `INSERT INTO redrive.jobs (id, type, queue, payload, status, priority, attempt, max_attempts, run_at,
       created_at, updated_at, started_at, completed_at, failed_at, error, error_category, metadata,
       lease_owner, lease_expires_at, lease_token)
     SELECT 'job-' || lpad(g::text, 8, '0'), 'type-' || (g % 20), 'q' || (g % 5), jsonb_build_object('n', g),
       s.status, (g % 3), CASE WHEN s.status = 'queued' THEN 0 ELSE 1 END, 5,
       CASE WHEN s.status = 'queued' AND g % 2 = 0 THEN $1::bigint + 3600000 ELSE $1::bigint - g END,
       $1 - g, $1 - g + 10, $1 - g + 1, CASE WHEN s.status = 'completed' THEN $1 - g + 5 END,
       CASE WHEN s.status = 'failed' THEN $1 - g + 5 END,
       CASE WHEN s.status = 'failed' THEN 'boom' END, CASE WHEN s.status = 'failed' THEN 'transient_network' END,
       '{}'::jsonb,
       CASE WHEN s.status = 'running' THEN 'w' END, CASE WHEN s.status = 'running' THEN $1 + 30000 END,
       CASE WHEN s.status = 'running' THEN md5(g::text) END
     FROM generate_series(1, $2::int) AS g
     CROSS JOIN LATERAL (SELECT CASE
       WHEN g % 20 < 14 THEN 'completed' WHEN g % 20 < 16 THEN 'failed' WHEN g % 20 < 18 THEN 'queued'
       WHEN g % 20 < 19 THEN 'running' ELSE 'cancelled' END AS status) AS s`,
    [NOW, ROWS],
  );
  await pool.query(`SET maintenance_work_mem = '256MB'`);
  await Promise.all(indexes.map((i) => pool.query(i.indexdef)));
  // What autovacuum does on a live system: statistics for the planner, the visibility map for
  // index-only scans.
  await pool.query('VACUUM ANALYZE redrive.jobs');
}, 180_000);

afterAll(async () => {
  await adapter?.close();
  await pool?.end();
  await db?.drop();
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** Runs `call` against the adapter, then EXPLAINs every `jobs` query it sent. */
async function plansOf(call: () => Promise<unknown>): Promise<PlanNode[][]> {
  recorded = [];
  await call();
  const queries = recorded.filter(
    (q) => q.text.includes('redrive".jobs') || /EXECUTE redrive_claim_/.test(q.text),
  );
  expect(queries.length).toBeGreaterThan(0);
  const plans: PlanNode[][] = [];
  for (const q of queries) {
    // The claim sends `SET LOCAL …;` before its statement (see sql/claim.ts): plan it the same way.
    const m = q.text.match(/^((?:\s*SET LOCAL [^;]+;)+)([\s\S]*)$/);
    const statement = m ? m[2]!.trim() : q.text;
    // A prepared claim: prepare it on this session, then EXPLAIN the EXECUTE (its generic plan).
    const executed = /^EXECUTE (\w+)\(/.exec(statement);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      if (m) await client.query(m[1]!);
      if (executed) {
        await client.query('DEALLOCATE ALL');
        await client.query(prepares.get(executed[1]!)!);
      }
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${statement}`, q.values);
      plans.push(nodes(rows[0]['QUERY PLAN'][0].Plan));
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }
  return plans;
}

function expectIndexed(plans: PlanNode[][], index: string) {
  const all = plans.flat();
  expect(all.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'jobs')).toEqual([]);
  expect(all.map((n) => n['Index Name']).filter(Boolean)).toContain(index);
}

describe(`EXPLAIN with ${ROWS.toLocaleString('en')} jobs`, () => {
  it('claim walks jobs_claim_idx (with and without type/queue filters) and takes ms', async () => {
    expectIndexed(
      await plansOf(() => adapter.claim({ workerId: 'w', limit: 50, leaseMs: 30_000, now: NOW })),
      'jobs_claim_idx',
    );
    expectIndexed(
      await plansOf(() =>
        adapter.claim({
          workerId: 'w',
          limit: 50,
          leaseMs: 30_000,
          now: NOW,
          types: ['type-3'],
          queues: ['q3'],
        }),
      ),
      'jobs_claim_idx',
    );
    const t0 = performance.now();
    const got = await adapter.claim({ workerId: 'w', limit: 50, leaseMs: 30_000, now: NOW });
    expect(got).toHaveLength(50);
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it('listJobs merges one page per state, each from its own index, first page and deep pages', async () => {
    // No index holds every job (migration 0006): queued from jobs_queued_idx, settled states from
    // jobs_settled_idx ranges, running from jobs_lease_idx.
    const first = await adapter.listJobs({ limit: 50 });
    for (const page of [{ limit: 50 }, { limit: 50, cursor: first.nextCursor }]) {
      const plans = await plansOf(() => adapter.listJobs(page));
      for (const index of ['jobs_queued_idx', 'jobs_settled_idx', 'jobs_lease_idx'])
        expectIndexed(plans, index);
    }
    // A page is the newest jobs of every state, in (created_at, id) order, deep pages too.
    const reference = async (offset: number) =>
      (
        await pool.query(`SELECT id FROM redrive.jobs ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 50`, [
          offset,
        ])
      ).rows.map((r) => r.id);
    expect(first.jobs.map((j) => j.id)).toEqual(await reference(0));
    let page = first;
    for (let i = 1; i < 4; i++) page = await adapter.listJobs({ limit: 50, cursor: page.nextCursor });
    expect(page.jobs.map((j) => j.id)).toEqual(await reference(150));
    // A status filter reads only its states' indexes.
    const filtered = await plansOf(() => adapter.listJobs({ limit: 50, status: ['failed', 'queued'] }));
    for (const index of ['jobs_queued_idx', 'jobs_settled_idx']) expectIndexed(filtered, index);
    expect(filtered.flat().some((n) => n['Index Name'] === 'jobs_lease_idx')).toBe(false);
  });

  it('listDeadLetters pages through jobs_dlq_idx', async () => {
    const first = await adapter.listDeadLetters({ limit: 50 });
    expect(first.jobs).toHaveLength(50);
    expectIndexed(await plansOf(() => adapter.listDeadLetters({ limit: 50 })), 'jobs_dlq_idx');
    expectIndexed(
      await plansOf(() => adapter.listDeadLetters({ limit: 50, cursor: first.nextCursor })),
      'jobs_dlq_idx',
    );
  });

  it('stats counts from indexes (index-only scan of settled jobs), never the heap of every job', async () => {
    const plans = await plansOf(() => adapter.stats({}));
    // Settled states from jobs_settled_idx alone; queued and running through their partial
    // indexes, which read only the live rows (there is no index kept for stats alone).
    for (const index of ['jobs_settled_idx', 'jobs_lease_idx']) expectIndexed(plans, index);
    const queuedIndexes = ['jobs_claim_idx', 'jobs_queued_idx'];
    expect(plans.flat().some((n) => queuedIndexes.includes(n['Index Name'] ?? ''))).toBe(true);
    expect(
      plans
        .flat()
        .some((n) => n['Node Type'] === 'Index Only Scan' && n['Index Name'] === 'jobs_settled_idx'),
    ).toBe(true);
    const stats = await adapter.stats({});
    const total = Object.values(stats.byType).reduce(
      (sum, byStatus) => sum + Object.values(byStatus).reduce((a, b) => a + (b ?? 0), 0),
      0,
    );
    expect(total).toBe(ROWS);
    const byStatus = (status: string) =>
      Object.values(stats.byType).reduce(
        (sum, counts) => sum + ((counts as Record<string, number | undefined>)[status] ?? 0),
        0,
      );
    // 70% completed, 10% failed, 10% queued, 5% running, 5% cancelled (see the load above),
    // less the 100 jobs the claim test moved from queued to running.
    expect([byStatus('completed'), byStatus('failed'), byStatus('queued'), byStatus('running')]).toEqual([
      700_000, 100_000, 99_900, 50_100,
    ]);
    // The oldest queued job across the per-type groups: g = 999,997 is the largest queued g.
    expect(stats.oldestQueuedAt).toBe(NOW - 999_997);
    expect(stats.retryScheduled).toBe(0);
  });

  it('throughput counts one window per state through jobs_completed_at_idx and jobs_dlq_idx', async () => {
    // The newest 300,000 jobs finished in the last 5 minutes: 210,000 completed, 30,000 failed.
    const window = { since: NOW - 300_000, until: NOW + 1 };
    for (const extra of [{}, { type: 'type-4' }, { tenantId: null }]) {
      const plans = await plansOf(() => adapter.throughput({ ...window, ...extra }));
      for (const index of ['jobs_completed_at_idx', 'jobs_dlq_idx']) expectIndexed(plans, index);
    }
    expect(
      (await plansOf(() => adapter.throughput(window)))
        .flat()
        .some((n) => n['Node Type'] === 'Index Only Scan' && n['Index Name'] === 'jobs_completed_at_idx'),
    ).toBe(true);
    const buckets = await adapter.throughput(window);
    const { rows } = await pool.query(
      `SELECT (coalesce(completed_at, failed_at) / 60000) * 60000 AS minute,
              count(*) FILTER (WHERE status = 'completed')::int AS completed,
              count(*) FILTER (WHERE status = 'failed')::int AS failed
       FROM redrive.jobs WHERE status IN ('completed', 'failed')
         AND coalesce(completed_at, failed_at) >= $1 AND coalesce(completed_at, failed_at) < $2
       GROUP BY 1 ORDER BY 1`,
      [window.since, window.until],
    );
    expect(buckets).toEqual(rows.map((r) => ({ ...r, minute: Number(r.minute) })));
    expect(buckets.reduce((n, b) => n + b.completed, 0)).toBeGreaterThan(200_000);
  });

  it('the lease sweeper finds expired leases through jobs_lease_idx', async () => {
    // 50,000 jobs are running with leases ending at NOW + 30 s; sweep a bounded batch just after.
    const plans = await plansOf(() =>
      adapter.recoverExpiredLeases({ workerId: 'sweeper', now: NOW + 60_000, leaseMs: 1000, limit: 100 }),
    );
    expectIndexed(plans, 'jobs_lease_idx');
  });

  // Last: it deletes rows.
  it('purge deletes its bounded batch through jobs_settled_idx, one ordered range per status', async () => {
    const olderThan = NOW - 900_000;
    for (const status of [['failed'], ['completed'], ['completed', 'cancelled']] as const) {
      expectIndexed(
        await plansOf(() => adapter.purge({ status: [...status], olderThan, limit: 100 })),
        'jobs_settled_idx',
      );
    }
    expect(await adapter.purge({ status: ['completed', 'cancelled'], olderThan, limit: 100 })).toBe(100);
  });

  it('a bulk transition over several states takes the newest of them from their own indexes', async () => {
    // cancel: queued, paused and running jobs (~150,000 here); one batch of 100.
    const { rows } = await pool.query(
      `SELECT id FROM redrive.jobs WHERE status IN ('queued', 'paused', 'running')
       ORDER BY created_at DESC, id DESC LIMIT 100`,
    );
    let changed: { id: string; status: string }[] = [];
    const plans = await plansOf(async () => {
      changed = await adapter.transitionMany!(
        {},
        { from: ['queued', 'paused', 'running'], to: 'cancelled', now: NOW, limit: 100 },
      );
    });
    expect(changed.map((j) => j.id)).toEqual(rows.map((r) => r.id));
    expect(new Set(changed.map((j) => j.status))).toEqual(new Set(['cancelled']));
    for (const index of ['jobs_queued_idx', 'jobs_lease_idx', 'jobs_pkey']) expectIndexed(plans, index);
  });
});
