/*
 * A D1-shaped executor over a synchronous SQLite connection, so the SQLite dialect runs unchanged
 * on a file: `batch()` becomes `BEGIN IMMEDIATE … COMMIT` (the write lock taken up front, so a
 * batch never fails half-way on a lock another process holds: it waits for the busy timeout).
 * Prepared statements are cached per SQL text (the dialect's statements are a fixed set).
 */
import type { SqlExecutor, SqlResult, SqlStatement, SqlValue } from '@redrive/adapter-d1/dialect';
import { type Positional, toPositional } from './positional.js';
import type { SyncDatabase, SyncStatement } from './sync-driver.js';

/** How many distinct SQL texts keep a prepared statement (filters make a few variants each). */
const CACHE_SIZE = 200;

class BoundStatement implements SqlStatement {
  constructor(
    private readonly executor: SyncExecutor,
    readonly sql: string,
    readonly values: SqlValue[] = [],
  ) {}

  bind(...values: SqlValue[]): SqlStatement {
    return new BoundStatement(this.executor, this.sql, values);
  }

  async all<Row>(): Promise<SqlResult<Row>> {
    return this.executor.execute(this) as SqlResult<Row>;
  }

  async first<Row>(): Promise<Row | null> {
    return ((this.executor.execute(this).results[0] as Row | undefined) ?? null) as Row | null;
  }

  async run(): Promise<SqlResult<unknown>> {
    return this.executor.execute(this);
  }
}

/** The executor; `execute` and `inTransaction` are synchronous, so a batch holds the lock briefly. */
export class SyncExecutor implements SqlExecutor {
  private readonly cache = new Map<string, { stmt: SyncStatement; order: Positional['order'] }>();

  constructor(private readonly db: SyncDatabase) {}

  prepare(sql: string): SqlStatement {
    return new BoundStatement(this, sql);
  }

  async batch<Row>(statements: SqlStatement[]): Promise<SqlResult<Row>[]> {
    const bound = statements.map((s) => {
      if (!(s instanceof BoundStatement))
        throw new TypeError('[redrive] [sqlite] batch() takes statements of this executor');
      return s;
    });
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = bound.map((s) => this.execute(s));
      this.db.exec('COMMIT');
      return out as SqlResult<Row>[];
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Runs one statement: rows when it returns any, and the number of rows it changed. */
  execute(s: BoundStatement): SqlResult {
    const { stmt, order } = this.statement(s.sql);
    const values = order === null ? s.values : order.map((i) => s.values[i] ?? null);
    if (stmt.reader === false) {
      const info = stmt.run(...values);
      return { results: [], meta: { changes: Number(info.changes) } };
    }
    const rows = stmt.all(...values) as Record<string, unknown>[];
    // Rows and changes both: `changes()` reads the connection's last write (0 after a SELECT
    // that follows no write is fine: only writes' counts are read by the dialect).
    const changes = /^\s*(insert|update|delete)/i.test(s.sql) ? this.lastChanges() : 0;
    return { results: rows, meta: { changes } };
  }

  private lastChanges(): number {
    const row = this.statement('SELECT changes() AS n').stmt.get() as { n: number | bigint };
    return Number(row.n);
  }

  private statement(sql: string): { stmt: SyncStatement; order: Positional['order'] } {
    let entry = this.cache.get(sql);
    if (entry) return entry;
    const positional = toPositional(sql);
    entry = { stmt: this.db.prepare(positional.sql), order: positional.order };
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(sql, entry);
    return entry;
  }
}
