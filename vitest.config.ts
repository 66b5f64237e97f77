import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}`, import.meta.url));

// `*.slow.test.ts` (1M-row EXPLAIN plans, wall-clock bounds) run only under `pnpm test:slow`,
// which sets REDRIVE_SLOW_TESTS=1; `npm test` leaves them out.
const slow = process.env.REDRIVE_SLOW_TESTS === '1';
const everyTest = [
  'packages/*/src/**/*.test.ts',
  'packages/*/test/**/*.test.ts',
  'examples/*/test/**/*.test.ts',
];

// Tests run against the TypeScript sources, so `pnpm test` needs no build step
// between an edit and a run. Order matters: subpaths before their package.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@redrive\/core\/http$/, replacement: src('core/src/http/index.ts') },
      { find: /^@redrive\/core\/testing$/, replacement: src('core/src/testing/index.ts') },
      { find: /^@redrive\/core$/, replacement: src('core/src/index.ts') },
      { find: /^@redrive\/adapter-memory$/, replacement: src('adapter-memory/src/index.ts') },
      { find: /^@redrive\/adapter-postgres$/, replacement: src('adapter-postgres/src/index.ts') },
      { find: /^@redrive\/adapter-d1\/dialect$/, replacement: src('adapter-d1/src/dialect/index.ts') },
      { find: /^@redrive\/adapter-d1$/, replacement: src('adapter-d1/src/index.ts') },
      { find: /^@redrive\/adapter-sqlite$/, replacement: src('adapter-sqlite/src/index.ts') },
      { find: /^@redrive\/react$/, replacement: src('react/src/index.ts') },
    ],
  },
  test: {
    include: slow ? everyTest.map((p) => p.replace(/\*\.test\.(tsx?)$/, '*.slow.test.$1')) : everyTest,
    exclude: slow ? configDefaults.exclude : [...configDefaults.exclude, '**/*.slow.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Postgres adapter tests: one connection attempt when PostgreSQL is up; starts a throwaway
    // server only when DATABASE_URL (default 127.0.0.1:5432) is unreachable.
    globalSetup: ['packages/adapter-postgres/test/global-setup.ts'],
  },
});
