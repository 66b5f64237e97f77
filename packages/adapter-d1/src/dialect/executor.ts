/*
 * The executor the SQLite dialect runs on: the subset of Cloudflare D1's client API it uses,
 * declared structurally, so a D1 binding (`env.DB`) IS an executor, with no import of Cloudflare
 * packages, and a local SQLite driver needs a few lines to become one (@redrive/adapter-sqlite).
 *
 * `batch()` is the only atomic unit of several statements: D1 has no BEGIN/COMMIT. Its statements
 * run in order on one connection, inside one implicit transaction, and a failing statement rolls
 * the whole batch back. The dialect relies on exactly that and on nothing else.
 */

/** A value a statement binds: D1 and every SQLite driver take these. Booleans are bound as 0/1. */
export type SqlValue = string | number | null;

/** The rows of a statement and what it changed (D1's `D1Result`, the fields the dialect reads). */
export interface SqlResult<Row = Record<string, unknown>> {
  results: Row[];
  meta?: { changes?: number | undefined } | undefined;
}

/** A prepared statement with its values bound (D1's `D1PreparedStatement`, structurally). */
export interface SqlStatement {
  bind(...values: SqlValue[]): SqlStatement;
  /** Every row the statement returns (`RETURNING` included). */
  all<Row = Record<string, unknown>>(): Promise<SqlResult<Row>>;
  /** The first row, or null. */
  first<Row = Record<string, unknown>>(): Promise<Row | null>;
  /** Runs it for its effect; `meta.changes` says how many rows it changed. */
  run(): Promise<SqlResult<unknown>>;
}

/**
 * What the dialect runs on: `prepare` and an atomic `batch` (D1's `D1Database`, structurally).
 *
 * @example
 * // A Worker: the D1 binding is an executor as it is.
 * const executor: SqlExecutor = env.DB;
 */
export interface SqlExecutor {
  prepare(sql: string): SqlStatement;
  /** Runs the statements in order, atomically: all of them or none. One round trip on D1. */
  batch<Row = Record<string, unknown>>(statements: SqlStatement[]): Promise<SqlResult<Row>[]>;
}
