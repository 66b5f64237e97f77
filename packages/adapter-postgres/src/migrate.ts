import { type ConnectionOptions, resolvePool, validateConnection, withClient } from './connection.js';
import { adapterError } from './errors.js';
import { quoteSchema } from './identifiers.js';
import { MIGRATIONS } from './migrations/index.js';
import type { PgPool } from './pg-types.js';

/** Options of {@link migrate}. */
export type MigrateOptions = ConnectionOptions & {
  /** Schema holding Redrive's tables; created when missing. Default `'redrive'`. */
  schema?: string | undefined;
};

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Ids of the migrations this call applied (empty when the schema was up to date). */
  applied: number[];
  /** The newest migration id now in place. */
  version: number;
}

/**
 * Creates or upgrades Redrive's tables in `schema`. Safe to call from many processes at once:
 * the whole run holds a transaction-scoped advisory lock keyed by the schema name, and each applied
 * migration is recorded in `<schema>.migrations`, in the same transaction as its DDL.
 *
 * `postgresAdapter` calls this itself on first use unless `migrate: false`; call it from a deploy
 * step when the application's database role may not run DDL.
 *
 * @example
 * ```ts
 * import { migrate } from '@redrive/adapter-postgres';
 * await migrate({ connectionString: process.env.DATABASE_URL!, schema: 'redrive' });
 * ```
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  validateConnection(options, 'migrate');
  const schema = options.schema ?? 'redrive';
  const quoted = quoteSchema(schema);
  const { pool, owned } = await resolvePool(options);
  try {
    return await applyMigrations(pool, schema, quoted);
  } finally {
    if (owned) await pool.end();
  }
}

/** Applies the missing migrations on one pooled connection, inside one transaction. */
export async function applyMigrations(pool: PgPool, schema: string, quoted: string): Promise<MigrateResult> {
  let connected = false;
  try {
    // One checked-out client (see withClient: a connection lost meanwhile must not crash the process).
    return await withClient(pool, async (client, checkout) => {
      connected = true;
      try {
        await client.query('BEGIN');
        // Serialises concurrent migrators of the same schema; released at COMMIT/ROLLBACK.
        await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
          `redrive:migrate:${schema}`,
        ]);
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${quoted}.migrations (
             id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
        );
        const done = new Set<number>(
          (await client.query(`SELECT id FROM ${quoted}.migrations`)).rows.map((r: { id: number }) => r.id),
        );
        const applied: number[] = [];
        for (const migration of MIGRATIONS) {
          if (done.has(migration.id)) continue;
          await client.query(migration.sql.replaceAll(':SCHEMA:', quoted));
          await client.query(`INSERT INTO ${quoted}.migrations (id, name) VALUES ($1, $2)`, [
            migration.id,
            migration.name,
          ]);
          applied.push(migration.id);
        }
        await client.query('COMMIT');
        const version = Math.max(0, ...MIGRATIONS.map((m) => m.id));
        return { applied, version };
      } catch (error) {
        // Handed back as broken either way: a half-applied migration's session is not reused.
        checkout.broken(error);
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    });
  } catch (error) {
    throw adapterError(connected ? `migrate (schema ${schema})` : 'migrate (connect)', error);
  }
}
