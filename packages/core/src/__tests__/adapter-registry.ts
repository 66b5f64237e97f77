/*
 * The stores the runner / queue / end-to-end suites run against: one factory per adapter, picked
 * with the ADAPTERS environment variable (comma-separated names; default: every adapter here).
 * A new adapter (D1, SQLite) joins the matrix by adding one entry: `start` once per suite file
 * (a database, a pool), `create` a fresh, empty store per test, `stop` after the file.
 */
import { memoryAdapter } from '@redrive/adapter-memory';
import { postgresAdapter } from '@redrive/adapter-postgres';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../adapter-postgres/test/helpers.js';
import type { StorageAdapter } from '../adapter/storage-adapter.js';

/** One store of the test matrix. */
export interface AdapterFactory {
  /**
   * For a store with real I/O: resolves once nothing is in flight (the fake clock waits for it
   * between timers, as it waits for promises). Absent for in-process stores.
   */
  idle?: () => Promise<void>;
  /** Set up what every test of a file shares (called in `beforeAll`). */
  start(): Promise<void>;
  /** A fresh, empty adapter: one per test. */
  create(): StorageAdapter;
  /** Tear down what `start` set up (called in `afterAll`, after every adapter was closed). */
  stop(): Promise<void>;
}

function memoryFactory(): AdapterFactory {
  return { start: async () => {}, create: () => memoryAdapter(), stop: async () => {} };
}

/** A database per suite file, a schema per test (migrated on first use). */
function postgresFactory(): AdapterFactory {
  let db: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  let n = 0;
  const pending = new Set<Promise<unknown>>();
  return {
    async start() {
      db = await createTestDatabase('redrive_matrix');
      pool = new pg.Pool({ connectionString: db.url, max: 20 });
      // An idle client's connection error (a test that stops the server or the final drop) must
      // not become an uncaught exception.
      pool.on('error', () => {});
      // Every statement sent through the pool (NOTIFYs included) and every connection taken (LISTEN)
      // is counted in flight.
      for (const method of ['query', 'connect'] as const) {
        const original = (pool[method] as (...args: unknown[]) => unknown).bind(pool);
        (pool as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
          const result = original(...args);
          if (result instanceof Promise) {
            pending.add(result);
            void result.finally(() => pending.delete(result)).catch(() => {});
          }
          return result;
        };
      }
    },
    async idle() {
      // Quiet for a few ms with nothing in flight: a NOTIFY's wake-up reaches the LISTEN
      // connection a moment after the statement that sent it returns. Bounded, so a statement a
      // test holds on purpose cannot hang the clock.
      for (let i = 0; i < 100; i++) {
        if (pending.size > 0) {
          await Promise.race([Promise.allSettled([...pending]), sleep(20)]);
          continue;
        }
        await sleep(3);
        if (pending.size === 0) return;
      }
    },
    create() {
      if (!pool) throw new Error('postgres factory used before start()');
      return postgresAdapter({ pool, schema: `t${++n}` });
    },
    async stop() {
      await pool?.end();
      await db?.drop();
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every adapter of the matrix, by the name ADAPTERS uses. */
export const ADAPTER_FACTORIES: Readonly<Record<string, () => AdapterFactory>> = {
  memory: memoryFactory,
  postgres: postgresFactory,
};

/** The adapters this run covers: ADAPTERS=memory,postgres (default all); an unknown name throws. */
export function selectedAdapters(env = process.env.ADAPTERS): string[] {
  const all = Object.keys(ADAPTER_FACTORIES);
  if (env === undefined || env.trim() === '') return all;
  const names = env
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !all.includes(name));
  if (unknown.length > 0)
    throw new Error(`ADAPTERS names unknown adapters: ${unknown.join(', ')} (known: ${all.join(', ')})`);
  return names;
}
