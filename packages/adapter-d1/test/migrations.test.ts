/*
 * Migrations on Miniflare's real D1: the compiled statements match migrations/*.sql; migrate()
 * applies cleanly twice (the second run applies nothing), also from two migrators at once; each
 * .sql file applies as `wrangler d1 migrations apply` runs it (0001 even twice: every statement is
 * IF NOT EXISTS; an ALTER TABLE cannot be); and a database wrangler migrated (its d1_migrations
 * row) is up to date for migrate().
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

it('two migrators at once both succeed, and the schema is applied once', async () => {
  const [a, b] = await Promise.all([d1Adapter(d1.db).migrate(), d1Adapter(d1.db).migrate()]);
  expect([...a.applied, ...b.applied].sort()).toEqual(expect.arrayContaining(files));
  expect(await d1Adapter(d1.db).migrate()).toEqual({ applied: [], version: MIGRATIONS.length });
});

it('each .sql file applies as wrangler runs it, and migrate() then sees it as applied', async () => {
  for (const file of files) {
    // What `wrangler d1 migrations apply` does per file: run it, then record its name. A file of
    // IF NOT EXISTS statements applies twice as well.
    const sql = readFileSync(`${pkg}migrations/${file}`, 'utf8');
    const runs = /ALTER TABLE/i.test(sql.replace(/--.*$/gm, '')) ? 1 : 2;
    for (let run = 0; run < runs; run++) {
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
