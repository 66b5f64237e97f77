// The published .d.ts is the public API: what the sources mark @internal must not be in it.
// scripts/check-dts-surface.mjs is the package check (it also compiles the .d.ts); this test pins
// down what it detects, and runs it over the build that `npm test` makes first.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { internalNames, leaks } from '../../../../scripts/check-dts-surface.mjs';

const core = fileURLToPath(new URL('../../', import.meta.url));
const dist = join(core, 'dist');
// Building the sources' type information takes seconds on a busy machine.
const internal = internalNames([join(core, 'src')]);

describe('the .d.ts surface check', () => {
  it("knows the runner's internals: its @internal members and the types only they use", () => {
    expect([...internal.members]).toEqual(
      expect.arrayContaining([
        'JobRunner.settings',
        'JobRunner.active',
        'JobRunner.adapter',
        'JobRunner.clock',
      ]),
    );
    expect([...internal.topLevel]).toEqual(
      expect.arrayContaining(['RunState', 'RunnerSettings', 'ClaimAhead']),
    );
    // Public types an internal member also uses stay allowed.
    expect(internal.topLevel.has('StorageAdapter')).toBe(false);
    expect(internal.topLevel.has('RunnerEvents')).toBe(false);
  }, 120_000);

  it('flags a leaked type, a leaked member and the tag itself, and passes a clean file', () => {
    const leaky = [
      'declare class RunState { job: unknown }',
      'declare class JobRunner {',
      '  /** @internal Validated options. */',
      '  readonly settings: unknown;',
      '  start(): void;',
      '}',
      'export { JobRunner };',
    ].join('\n');
    expect(leaks(leaky, 'index.d.ts', internal)).toEqual([
      'the tag @internal',
      'RunState',
      'JobRunner.settings',
    ]);
    const clean = 'declare class JobRunner {\n  start(): void;\n}\nexport { JobRunner };';
    expect(leaks(clean, 'index.d.ts', internal)).toEqual([]);
  });

  // `npm test` builds before it runs the tests; a bare `vitest run` before any build has no dist.
  it.skipIf(!existsSync(dist))('finds nothing internal in the built @redrive/core .d.ts files', () => {
    const files = readdirSync(dist, { recursive: true }).filter((f): f is string =>
      /\.d\.c?ts$/.test(String(f)),
    );
    expect(files.length).toBeGreaterThan(0);
    const found = files.flatMap((f) => leaks(readFileSync(join(dist, f), 'utf8'), f, internal));
    expect(found).toEqual([]);
  });
});
