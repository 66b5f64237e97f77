// Public API of @redrive/adapter-postgres. Explicit named exports only.
export type { ConnectionOptions } from './connection.js';
export { type MigrateOptions, type MigrateResult, migrate } from './migrate.js';
export { MIGRATIONS, type Migration } from './migrations/index.js';
export type { PostgresAdapterOptions } from './options.js';
export type {
  PgNotification,
  PgPool,
  PgPoolClient,
  PgQueryable,
  PgQueryConfig,
  PgQueryResult,
} from './pg-types.js';
export { type PostgresAdapter, postgresAdapter } from './postgres-adapter.js';
