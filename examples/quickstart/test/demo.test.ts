import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

it('the quickstart demo runs a real workload and exits 0', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const out = run.stdout;
  expect(out).toMatch(/retry\s+fetch-feed: transient_network/);
  expect(out).toMatch(/completed fetch-feed/);
  expect(out).toMatch(/DLQ\s+charge-card: permanent_auth, requiresUserAction=true/);
  expect(out).toMatch(/suggested action: \S+/);
  expect(out).toMatch(/paused\s+embed-document at its checkpoint/);
  expect(out).toMatch(/embed-document resumes at chunk 21/);
  expect(out).toMatch(/snoozed\s+send-digest/);
  expect(out).toMatch(/"completed":3,"failed":1/);
});
