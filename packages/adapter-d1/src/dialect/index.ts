// @redrive/adapter-d1/dialect — the SQLite dialect shared by @redrive/adapter-d1 and
// @redrive/adapter-sqlite: the adapter over any D1-shaped executor, the migrations, the limits.
export type { SqlExecutor, SqlResult, SqlStatement, SqlValue } from './executor.js';
export {
  D1_QUERIES_PER_INVOCATION,
  D1_QUERY_TIMEOUT_MS,
  MAX_BATCH_JSON_BYTES,
  MAX_BOUND_PARAMETERS,
  MAX_JOB_INPUT_BYTES,
  MAX_JOB_OUTPUT_BYTES,
  MAX_ROW_BYTES,
  MAX_STATEMENT_BYTES,
} from './limits.js';
export { applyMigrations, MIGRATIONS_TABLE, type MigrateResult } from './migrate.js';
export { MIGRATIONS, type Migration } from './migrations.generated.js';
export { rowToHistoryEntry, rowToJob } from './row.js';
export {
  createSqliteDialectAdapter,
  type SqliteDialectAdapter,
  type SqliteDialectOptions,
} from './sqlite-store.js';
