import type { SqlExecutor } from '../executor.js';

/** What every statement module gets: the executor and the adapter's name (for error messages). */
export interface SqlContext {
  db: SqlExecutor;
  /** `'d1'` or `'sqlite'`. */
  adapter: string;
}

/** A fresh lease token per row, made by SQLite itself (128 random bits, hex). */
export const NEW_LEASE_TOKEN = 'lower(hex(randomblob(16)))';

/** `col IN (SELECT value FROM json_each(?))`: a list as ONE bound value (D1 binds at most 100). */
export function inJson(column: string): string {
  return `${column} IN (SELECT value FROM json_each(?))`;
}
