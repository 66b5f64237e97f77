/*
 * The slice of `pg` the adapter uses, declared structurally (the Kysely habit): no runtime
 * import of `pg` and no dependency on `@types/pg`, so any compatible driver (pg, a pg-compatible
 * pool wrapper, a test double of the *interface*) plugs in, and the types never clash between
 * two installed copies of `pg`.
 */

/** The result of one query, as `pg` returns it. */
export interface PgQueryResult<Row = any> {
  rows: Row[];
  rowCount: number | null;
}

/** A named (server-side prepared) query, as `pg` accepts it. */
export interface PgQueryConfig {
  name?: string;
  text: string;
  values?: unknown[];
  /**
   * `'array'`: each row as an array of its values in column order (see RowLayout in row.ts). The
   * claim asks for it and also reads object rows, for a driver or wrapper that ignores it.
   */
  rowMode?: 'array';
}

/** Anything that runs a query: a `pg.Pool`, a `pg.Client`, or a `PoolClient` inside a transaction. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<PgQueryResult>;
  query(config: PgQueryConfig): Promise<PgQueryResult>;
}

/** A notification delivered to a `LISTEN`ing client. */
export interface PgNotification {
  channel: string;
  payload?: string | undefined;
}

/** A client checked out of a pool (`pool.connect()`). */
export interface PgPoolClient extends PgQueryable {
  release(error?: Error | boolean): void;
  on(event: 'notification', listener: (message: PgNotification) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(event?: string): unknown;
}

/** A connection pool: `pg.Pool` fits. */
export interface PgPool extends PgQueryable {
  connect(): Promise<PgPoolClient>;
  end(): Promise<void>;
}
