/*
 * The compiled migrations (src/migrations/index.ts) must match the .sql files: the build
 * regenerates them, and this check fails CI when someone edited a .sql file and forgot.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { MIGRATIONS } from '../src/index.js';

const pkg = fileURLToPath(new URL('../', import.meta.url));

it('src/migrations/index.ts is up to date with the numbered .sql files', () => {
  expect(() =>
    execFileSync(process.execPath, ['scripts/gen-migrations.mjs', '--check'], { cwd: pkg, stdio: 'pipe' }),
  ).not.toThrow();
  const files = readdirSync(`${pkg}src/migrations`).filter((f) => f.endsWith('.sql'));
  expect(MIGRATIONS.map((m) => m.id)).toEqual(files.map((f) => Number(f.slice(0, 4))));
  expect(MIGRATIONS.every((m) => m.sql.includes(':SCHEMA:.jobs') || m.id > 1)).toBe(true);
});
