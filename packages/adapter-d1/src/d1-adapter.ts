import type { StorageAdapter } from '@redrive/core';
import { invalid } from './dialect/errors.js';
import type { SqlExecutor } from './dialect/executor.js';
import {
  createSqliteDialectAdapter,
  type SqliteDialectAdapter,
  type SqliteDialectOptions,
} from './dialect/sqlite-store.js';

/** Options of {@link d1Adapter}. */
export type D1AdapterOptions = SqliteDialectOptions;

/** The D1 adapter: the {@link StorageAdapter} contract plus `migrate()`. */
export type D1Adapter = SqliteDialectAdapter & StorageAdapter;

/**
 * A {@link StorageAdapter} on Cloudflare D1: jobs, retry history and workers in three
 * `redrive_*` tables of your database; claims as one `UPDATE … RETURNING`, every write after a
 * claim fenced by the claim's lease token, each call one statement or one atomic `batch()`, the
 * completions of one tick in one statement. Workers, cron triggers and queue consumers sharing
 * the database share the queue.
 *
 * `db` is the D1 binding (`env.DB`), typed structurally: nothing from Cloudflare is imported.
 * Defaults: `migrate: true` (pending migrations applied on first use; or run
 * `wrangler d1 migrations apply` on `node_modules/@redrive/adapter-d1/migrations` and pass `false`).
 *
 * @example
 * ```ts
 * import { createQueue } from '@redrive/core';
 * import { d1Adapter } from '@redrive/adapter-d1';
 *
 * export default {
 *   async fetch(request, env) {
 *     const queue = createQueue({ adapter: d1Adapter(env.DB) });
 *     await queue.enqueue('email.send', { to: 'a@example.com' });
 *     return new Response('queued');
 *   },
 * };
 * ```
 */
export function d1Adapter(db: SqlExecutor, options: D1AdapterOptions = {}): D1Adapter {
  if (
    typeof db !== 'object' ||
    db === null ||
    typeof db.prepare !== 'function' ||
    typeof db.batch !== 'function'
  ) {
    throw invalid('d1', 'db', 'must be a D1 binding (env.DB) with prepare() and batch()');
  }
  return createSqliteDialectAdapter('d1', db, options);
}
