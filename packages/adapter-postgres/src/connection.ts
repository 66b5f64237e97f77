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

/** A checkout of one pooled client (see {@link withClient}). */
export interface Checkout {
  /** Set once the connection is known to be lost (or broken): the client goes back as broken. */
  readonly lost: Error | undefined;
  /** Hand the client back as broken (a ROLLBACK that failed, say). */
  broken(error: unknown): void;
}

/**
 * Runs `body` on one client checked out of `pool`, and hands it back.
 *
 * While a client is checked out, `pg` reports a lost connection (server restart, failover,
 * `pg_terminate_backend`, a shutdown's FATAL that arrives right after a query's answer) as an
 * `'error'` event on it, and an `'error'` event nobody listens to crashes the process: listen for
 * the whole checkout. A client whose connection was lost goes back as broken and the pool
 * discards it; one whose query merely failed is fine to reuse.
 */
export async function withClient<T>(
  pool: PgPool,
  body: (client: PgPoolClient, checkout: Checkout) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const checkout: Checkout = {
    get lost() {
      return lost;
    },
    broken(error) {
      lost ??= error instanceof Error ? error : new Error(String(error));
    },
  };
  const onError = (error: Error) => checkout.broken(error);
  client.on('error', onError);
  try {
    return await body(client, checkout);
  } finally {
    client.removeListener('error', onError);
    client.release(lost);
  }
}

/** Runs `body` on one client of `pool` between BEGIN and COMMIT; rolls back when it throws. */
export function inTransaction<T>(pool: PgPool, body: (client: PgPoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client, checkout) => {
    await client.query('BEGIN');
    try {
      const result = await body(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // On a lost connection there is nothing to roll back (the server did). A ROLLBACK that
      // fails leaves the client in doubt: it goes back as broken.
      if (!checkout.lost) await client.query('ROLLBACK').catch((e: unknown) => checkout.broken(e));
      throw error;
    }
  });
}
