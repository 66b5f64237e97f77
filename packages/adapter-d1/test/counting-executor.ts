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
  const trip = <T>(result: T): T => {
    counter.roundTrips++;
    return result;
  };
  const wrap = (statement: SqlStatement): SqlStatement =>
    ({
      inner: statement,
      bind: (...values) => wrap(statement.bind(...values)),
      all: () => trip(statement.all()),
      first: () => trip(statement.first()),
      run: () => trip(statement.run()),
    }) as SqlStatement & { inner: SqlStatement };
  return counter as SqlExecutor & { roundTrips: number };
}
