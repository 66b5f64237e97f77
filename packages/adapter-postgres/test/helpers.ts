/*
 * Per-test-file isolation: each file gets a fresh database on the server the globalSetup found,
 * and drops it afterwards. A database (not only a schema) keeps LISTEN channels, advisory locks
 * and pg_stat counters of parallel files apart.
 */
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { type PostgresAdapter, postgresAdapter } from '../src/index.js';

/** A fresh database and its URL; `drop()` removes it. */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix = 'redrive_test'): Promise<TestDatabase> {
  const serverUrl = inject('databaseUrl');
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        // `pool.end()` resolves once its clients are told to end, not once they have: a FORCE drop
        // right away terminates them mid-goodbye, and their pool re-emits the server's 57P01 as an
        // 'error' event (an uncaught exception where the pool has no listener). Wait for them to go.
        for (let i = 0; i < 100; i++) {
          const { rows } = await c.query(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
            [name],
          );
          if (rows[0].n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * A test file's database, pool and migrated adapter, created before its tests and dropped after
 * them. Read the fields inside tests (they are set by `beforeAll`).
 */
export function useMigratedDatabase(prefix: string, poolMax = 12) {
  const env = {} as { db: TestDatabase; pool: pg.Pool; adapter: PostgresAdapter };
  beforeAll(async () => {
    env.db = await createTestDatabase(prefix);
    env.pool = new pg.Pool({ connectionString: env.db.url, max: poolMax });
    env.pool.on('error', () => {});
    env.adapter = postgresAdapter({ pool: env.pool });
    await env.adapter.migrate();
  });
  afterAll(async () => {
    await env.adapter?.close();
    await env.pool?.end();
    await env.db?.drop();
  });
  return env;
}
