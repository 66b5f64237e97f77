/*
 * Per-test-file isolation: each file gets a fresh database on the server the globalSetup found,
 * and drops it afterwards. A database (not only a schema) keeps LISTEN channels, advisory locks
 * and pg_stat counters of parallel files apart.
 */
import pg from 'pg';
import { inject } from 'vitest';

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
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
