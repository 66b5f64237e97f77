import {
  createSqliteDialectAdapter,
  type SqliteDialectAdapter,
  type SqliteDialectOptions,
} from '@redrive/adapter-d1/dialect';
import { ValidationError } from '@redrive/core';
import type { SyncDatabase } from './sync-driver.js';
import { SyncExecutor } from './sync-executor.js';

/** Options of {@link sqliteAdapter}. */
export interface SqliteAdapterOptions extends SqliteDialectOptions {
  /**
   * How long a statement waits for another process's write lock before failing with
   * `SQLITE_BUSY` (classified as transient). Default 5,000 ms.
   */
  busyTimeoutMs?: number | undefined;
  /**
   * `PRAGMA synchronous`. Default `'FULL'`: every commit is fsynced, so a completed job survives a
   * power loss. `'NORMAL'` (with WAL) survives a crash of the process but may lose the last
   * commits on power loss, and is faster.
   */
  synchronous?: 'FULL' | 'NORMAL' | undefined;
}

/** The SQLite adapter: the contract plus `migrate()`. */
export type SqliteAdapter = SqliteDialectAdapter;

/**
 * A {@link StorageAdapter} on a SQLite file, for single-machine apps that want durable jobs
 * without a server. The same SQL and migrations as `@redrive/adapter-d1`. Sets WAL mode, a busy
 * timeout and `synchronous` on the connection, so several worker processes can share one file
 * (each with its own connection) and jobs survive restarts.
 *
 * `db` is a synchronous connection you open: `better-sqlite3` (v12 on Node 20), `node:sqlite`'s
 * `DatabaseSync` or `bun:sqlite`'s `Database`, typed structurally (no driver is imported here).
 * Defaults: `busyTimeoutMs: 5000`, `synchronous: 'FULL'`, `migrate: true`.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * import { createQueue } from '@redrive/core';
 * import { sqliteAdapter } from '@redrive/adapter-sqlite';
 *
 * const queue = createQueue({ adapter: sqliteAdapter(new Database('jobs.db')) });
 * ```
 */
export function sqliteAdapter(db: SyncDatabase, options: SqliteAdapterOptions = {}): SqliteAdapter {
  if (
    typeof db !== 'object' ||
    db === null ||
    typeof db.prepare !== 'function' ||
    typeof db.exec !== 'function'
  ) {
    throw invalid('db', 'must be an open better-sqlite3, node:sqlite or bun:sqlite database');
  }
  const busy = options.busyTimeoutMs ?? 5000;
  if (!Number.isInteger(busy) || busy < 0 || busy > 2_147_483_647) {
    throw invalid('busyTimeoutMs', 'must be an integer from 0 to 2147483647');
  }
  const synchronous = options.synchronous ?? 'FULL';
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL')
    throw invalid('synchronous', "must be 'FULL' or 'NORMAL'");
  // The busy timeout first: switching to WAL takes a lock another process may hold.
  db.exec(`PRAGMA busy_timeout = ${busy}`);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(`PRAGMA synchronous = ${synchronous}`);
  return createSqliteDialectAdapter('sqlite', new SyncExecutor(db), options);
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`[redrive] [sqlite] ${path} ${message}`, { issues: [{ path, message }] });
}
