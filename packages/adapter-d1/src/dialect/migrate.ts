/*
 * Applies the compiled migrations (migrations/*.sql, see scripts/gen-migrations.mjs) and records
 * each in `d1_migrations`, the table and naming `wrangler d1 migrations apply` uses: a database
 * migrated by wrangler is up to date for `migrate()`, and the other way round.
 *
 * Each migration and its bookkeeping row go in ONE batch, so a failure leaves neither. Two
 * migrators racing are harmless: the bookkeeping insert ignores a name already recorded, and a
 * migration whose batch fails because the other migrator applied it first (an ALTER TABLE that
 * finds its column) counts as applied once its name is recorded.
 */
import type { SqlExecutor } from './executor.js';
import { MIGRATIONS } from './migrations.generated.js';

/** What a migration run did. */
export interface MigrateResult {
  /** File names of the migrations this call applied (empty when up to date). */
  applied: string[];
  /** The newest migration id now in place. */
  version: number;
}

/** The bookkeeping table wrangler creates and reads. */
export const MIGRATIONS_TABLE = 'd1_migrations';

/** Creates or upgrades Redrive's tables on `db`. */
export async function applyMigrations(db: SqlExecutor): Promise<MigrateResult> {
  await db
    .prepare(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE,
         applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`,
    )
    .run();
  const { results } = await db.prepare(`SELECT name FROM ${MIGRATIONS_TABLE}`).all<{ name: string }>();
  const done = new Set(results.map((r) => r.name));
  const applied: string[] = [];
  for (const migration of MIGRATIONS) {
    if (done.has(migration.name)) continue;
    try {
      await db.batch([
        ...migration.statements.map((sql) => db.prepare(sql)),
        db
          .prepare(`INSERT INTO ${MIGRATIONS_TABLE} (name) VALUES (?1) ON CONFLICT (name) DO NOTHING`)
          .bind(migration.name),
      ]);
    } catch (error) {
      if (!(await recorded(db, migration.name))) throw error;
      continue; // another migrator applied it meanwhile
    }
    applied.push(migration.name);
  }
  return { applied, version: Math.max(0, ...MIGRATIONS.map((m) => m.id)) };
}

async function recorded(db: SqlExecutor, name: string): Promise<boolean> {
  const row = await db
    .prepare(`SELECT 1 AS found FROM ${MIGRATIONS_TABLE} WHERE name = ?1`)
    .bind(name)
    .first();
  return row !== null;
}
