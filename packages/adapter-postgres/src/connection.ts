import { ValidationError } from '@redrive/core';
import { adapterError } from './errors.js';
import type { PgPool, PgPoolClient } from './pg-types.js';

/** How to reach the database: a pool you own, or a connection string the adapter opens a pool for. */
export type ConnectionOptions =
  | { pool: PgPool; connectionString?: undefined; poolSize?: undefined }
  | {
      pool?: undefined;
      /** A `postgres://` URL; `pg` is imported lazily and a pool opened on first use. */
      connectionString: string;
      /** Size of the pool opened for `connectionString`. Default 10. */
      poolSize?: number | undefined;
    };

/** A pool and whether the adapter must close it (it opened it). */
export interface ResolvedPool {
  pool: PgPool;
  owned: boolean;
}

/** Checks that exactly one of `pool` / `connectionString` is usable, naming the bad field. */
export function validateConnection(
  options: { pool?: unknown; connectionString?: unknown; poolSize?: unknown },
  where: string,
): void {
  const { pool, connectionString, poolSize } = options;
  if (pool !== undefined && connectionString !== undefined) {
    throw new ValidationError(
      `[redrive] [postgres] ${where}: give either pool or connectionString, not both`,
      {
        issues: [{ path: 'pool', message: 'not both pool and connectionString' }],
      },
    );
  }
  if (pool !== undefined) {
    const p = pool as { query?: unknown; connect?: unknown };
    if (
      typeof p !== 'object' ||
      p === null ||
      typeof p.query !== 'function' ||
      typeof p.connect !== 'function'
    ) {
      throw new ValidationError(`[redrive] [postgres] ${where}: pool must be a pg.Pool (query and connect)`, {
        issues: [{ path: 'pool', message: 'must have query() and connect()' }],
      });
    }
    return;
  }
  if (typeof connectionString !== 'string' || !/^postgres(ql)?:\/\//.test(connectionString)) {
    throw new ValidationError(
      `[redrive] [postgres] ${where}: connectionString must be a postgres:// URL (or pass pool)`,
      { issues: [{ path: 'connectionString', message: 'must start with postgres:// or postgresql://' }] },
    );
  }
  if (poolSize !== undefined && (!Number.isInteger(poolSize) || (poolSize as number) < 1)) {
    throw new ValidationError(`[redrive] [postgres] ${where}: poolSize must be a positive integer`, {
      issues: [{ path: 'poolSize', message: 'must be an integer >= 1' }],
    });
  }
}

/** Returns the caller's pool, or opens one with a lazily imported `pg` (so `pg` stays a peer). */
export async function resolvePool(options: ConnectionOptions): Promise<ResolvedPool> {
  if (options.pool) return { pool: options.pool, owned: false };
  let mod: any;
  try {
    mod = await import('pg');
  } catch (error) {
    throw adapterError('importing the peer dependency `pg` (npm i pg)', error);
  }
  const Pool = mod.Pool ?? mod.default?.Pool;
  const pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
  // An idle client erroring (server restart) must not crash the process: the pool drops it.
  pool.on('error', () => {});
  return { pool: pool as PgPool, owned: true };
}

/** Runs `body` on one client of `pool` between BEGIN and COMMIT; rolls back when it throws. */
export async function inTransaction<T>(pool: PgPool, body: (client: PgPoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await body(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
