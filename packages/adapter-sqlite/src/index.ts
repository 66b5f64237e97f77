// Public API of @redrive/adapter-sqlite. Explicit named exports only.
export { type SqliteAdapter, type SqliteAdapterOptions, sqliteAdapter } from './sqlite-adapter.js';
export type { SyncDatabase, SyncStatement } from './sync-driver.js';
export { SyncExecutor } from './sync-executor.js';
