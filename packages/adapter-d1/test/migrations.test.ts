/*
 * Migrations on Miniflare's real D1: the compiled statements match migrations/*.sql; migrate()
 * applies cleanly twice (the second run applies nothing); each .sql file itself applies twice
 * (every statement is IF NOT EXISTS), as `wrangler d1 migrations apply` would run it; and a
 * database wrangler migrated (its d1_migrations row) is up to date for migrate().
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/dialect/index.js';
import { d1Adapter } from '../src/index.js';
import { startD1, type TestD1 } from './miniflare.js';

const pkg = fileURLToPath(new URL('../', import.meta.url));
const files = readdirSync(`${pkg}migrations`)
  .filter((f) => f.endsWith('.sql'))
  .sort();

let d1: TestD1;
beforeEach(async () => {
  d1 = await startD1();
});
afterEach(() => d1?.dispose());

const tables = async () =>
  (
    await d1.db
      .prepare(`SELECT name FROM sqlite_master WHERE name LIKE 'redrive_%' ORDER BY name`)
      .all<{ name: string }>()
  ).results.map((r) => r.name);

it('the compiled migrations are up to date with migrations/*.sql', () => {
  expect(() =>
    execFileSync(process.execPath, ['scripts/gen-migrations.mjs', '--check'], { cwd: pkg, stdio: 'pipe' }),
  ).not.toThrow();
  expect(MIGRATIONS.map((m) => m.name)).toEqual(files);
});

it('migrate() applies every migration once; a second run applies nothing and changes nothing', async () => {
  const adapter = d1Adapter(d1.db);
  expect(await adapter.migrate()).toEqual({ applied: files, version: MIGRATIONS.length });
  const schema = await tables();
  expect(schema).toEqual(
    expect.arrayContaining([
      'redrive_jobs',
      'redrive_job_history',
      'redrive_workers',
      'redrive_jobs_claim_idx',
    ]),
  );
  expect(await adapter.migrate()).toEqual({ applied: [], version: MIGRATIONS.length });
  expect(await tables()).toEqual(schema);
});

it('each .sql file applies twice as wrangler runs it, and migrate() then sees it as applied', async () => {
  for (const file of files) {
    // What `wrangler d1 migrations apply` does per file: run it, then record its name.
    const sql = readFileSync(`${pkg}migrations/${file}`, 'utf8');
    for (let run = 0; run < 2; run++) {
      for (const statement of sql.split(/;\s*\n/).map((s) => s.replace(/--.*$/gm, '').trim())) {
        if (statement) await d1.db.prepare(statement).run();
      }
    }
  }
  await d1.db
    .prepare(
      `CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE,
         applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`,
    )
    .run();
  for (const file of files)
    await d1.db.prepare('INSERT INTO d1_migrations (name) VALUES (?1)').bind(file).run();
  expect(await d1Adapter(d1.db).migrate()).toEqual({ applied: [], version: MIGRATIONS.length });
  // The adapter works on the schema wrangler applied.
  const adapter = d1Adapter(d1.db, { migrate: false });
  await expect(adapter.listJobs({ limit: 1 })).resolves.toEqual({ jobs: [], nextCursor: null });
});
