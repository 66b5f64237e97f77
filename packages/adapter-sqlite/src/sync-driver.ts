/*
 * The synchronous SQLite drivers, typed structurally (no runtime import of any of them):
 * better-sqlite3's `Database`, Node's `node:sqlite` `DatabaseSync` and Bun's `bun:sqlite`
 * `Database` all have `prepare(sql)` with `all / get / run(...values)` and `exec(sql)`.
 */

/** A prepared statement of a synchronous driver. */
export interface SyncStatement {
  all(...values: unknown[]): unknown[];
  get(...values: unknown[]): unknown;
  run(...values: unknown[]): { changes: number | bigint };
  /** better-sqlite3: false for a statement that returns no rows (its `all()` throws). */
  readonly reader?: boolean;
}

/** A synchronous SQLite connection: better-sqlite3, `node:sqlite` or `bun:sqlite`. */
export interface SyncDatabase {
  prepare(sql: string): SyncStatement;
  exec(sql: string): unknown;
}
