import type { PgQueryable } from '../pg-types.js';

/** What every SQL module needs: something to run queries on, and the quoted schema name. */
export interface SqlContext {
  db: PgQueryable;
  /** Quoted schema, e.g. `"redrive"`. */
  s: string;
  /** Channel NOTIFY wake-ups go to, e.g. `redrive:redrive` (see listener.ts). */
  channel: string;
}
