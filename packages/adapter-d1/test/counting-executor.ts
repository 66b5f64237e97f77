import type { SqlExecutor, SqlStatement } from '../src/dialect/executor.js';

/** Wraps an executor and counts round trips: each all/first/run, and each batch, is one. */
export function countingExecutor(inner: SqlExecutor): SqlExecutor & { roundTrips: number } {
  const counter = {
    roundTrips: 0,
    prepare(sql: string): SqlStatement {
      return wrap(inner.prepare(sql));
    },
    batch(statements: SqlStatement[]) {
      counter.roundTrips++;
      return inner.batch(statements.map((s) => (s as unknown as { inner: SqlStatement }).inner));
    },
  };
  const wrap = (statement: SqlStatement): SqlStatement =>
    ({
      inner: statement,
      bind: (...values) => wrap(statement.bind(...values)),
      all: () => (counter.roundTrips++, statement.all()),
      first: () => (counter.roundTrips++, statement.first()),
      run: () => (counter.roundTrips++, statement.run()),
    }) as SqlStatement & { inner: SqlStatement };
  return counter as SqlExecutor & { roundTrips: number };
}
