import type { AdapterCapabilities, StorageAdapter } from '../adapter/storage-adapter.js';
import { ValidationError } from '../errors/redrive-error.js';
import { conformanceChecks, conformanceGroups } from './checks.js';
import type {
  ConformanceCheck,
  ConformanceContext,
  ConformanceOptions,
  ConformanceTestApi,
} from './types.js';

/** Why a check did not run: the capability it needs is not claimed, or it was skipped by id. */
function exclusion(
  check: ConformanceCheck,
  capabilities: AdapterCapabilities | undefined,
  skip: Set<string>,
) {
  if (skip.has(check.id)) return 'skipped by id';
  if (check.requires && capabilities && !capabilities[check.requires])
    return `needs capabilities.${check.requires}`;
  return null;
}

function validate(options: ConformanceOptions): void {
  if (typeof options !== 'object' || options === null || typeof options.createAdapter !== 'function') {
    throw new ValidationError(
      '[redrive] [conformance] runAdapterConformance: createAdapter must be a function',
      {
        issues: [{ path: 'createAdapter', message: 'must be a function returning a fresh adapter' }],
      },
    );
  }
  const known = new Set(conformanceChecks.map((c) => c.id));
  const unknown = (options.skip ?? []).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new ValidationError(
      `[redrive] [conformance] runAdapterConformance: skip names unknown checks: ${unknown.join(', ')}`,
      {
        issues: unknown.map((id) => ({ path: 'skip', message: `unknown check id ${id}` })),
      },
    );
  }
}

/**
 * The runner's `describe` and `it`: the ones passed in, else the globals a runner may install
 * (vitest with `globals: true`, jest, mocha). Core imports no test runner, so an app on any
 * vitest version (or none) installs `@redrive/core` without a peer conflict.
 */
function testApi(options: ConformanceOptions): ConformanceTestApi {
  const globals = globalThis as Partial<ConformanceTestApi>;
  const describe = options.describe ?? globals.describe;
  const it = options.it ?? globals.it;
  if (typeof describe !== 'function' || typeof it !== 'function') {
    const message =
      "pass your test runner's describe and it, e.g. import { describe, it } from 'vitest' and runAdapterConformance({ describe, it, createAdapter })";
    throw new ValidationError(`[redrive] [conformance] runAdapterConformance: ${message}`, {
      issues: [{ path: typeof describe !== 'function' ? 'describe' : 'it', message }],
    });
  }
  return { describe, it };
}

/**
 * Run one check against a fresh adapter from `options.createAdapter`, then tear it down.
 * Resolves when the adapter keeps the rule, rejects with the broken rule otherwise; resolves to
 * `false` without running when the adapter does not claim the capability the check needs.
 *
 * @example
 * await runConformanceCheck(conformanceChecks[0], { createAdapter: () => memoryAdapter() });
 */
export async function runConformanceCheck(
  check: ConformanceCheck,
  options: ConformanceOptions,
): Promise<boolean> {
  validate(options);
  // Declared capabilities decide without an adapter: no store is set up for a check that cannot run.
  if (check.requires && options.capabilities && !options.capabilities[check.requires]) return false;
  const adapter: StorageAdapter = await options.createAdapter();
  try {
    const capabilities = options.capabilities ?? adapter.capabilities ?? {};
    if (check.requires && !capabilities[check.requires]) return false;
    const context: ConformanceContext = {
      adapter,
      inspect: options.inspect ? await options.inspect(adapter) : undefined,
      capabilities,
    };
    await check.run(context);
    return true;
  } finally {
    if (options.destroy) await options.destroy(adapter);
    else await adapter.close?.();
  }
}

/**
 * The adapter conformance suite: registers one `describe` with an `it` per contract
 * rule — claim order, run-at, idempotency, parallel claimers, fencing, heartbeats, lease recovery,
 * atomic fail, dead-letter and redrive, guarded transitions, pagination, filters, stats, delete,
 * purge, and the optional capabilities the adapter claims. Call it at the top level of a test file,
 * with your test runner's `describe` and `it` (any vitest version, jest, mocha or `node:test`).
 *
 * Each test gets a fresh adapter from `createAdapter` and tears it down with `destroy` (default:
 * `adapter.close()`). Time is passed to the adapter as plain numbers; nothing sleeps, except
 * waiting for an asynchronous `subscribe` wake-up. Checks that need a capability run only when
 * `capabilities` (or, without it, the adapter's own flags) claim it.
 *
 * @example
 * // packages/my-adapter/test/conformance.test.ts
 * import { runAdapterConformance } from '@redrive/core/testing';
 * import { describe, it } from 'vitest';
 * import { myAdapter } from '../src/index.js';
 *
 * runAdapterConformance({
 *   describe,
 *   it,
 *   createAdapter: async () => myAdapter(await freshDatabase()),
 *   destroy: (adapter) => adapter.close?.(),
 * });
 */
export function runAdapterConformance(options: ConformanceOptions): void {
  validate(options);
  const { describe, it } = testApi(options);
  const skip = new Set(options.skip ?? []);
  describe(`adapter conformance${options.name ? `: ${options.name}` : ''}`, () => {
    for (const [group, checks] of Object.entries(conformanceGroups)) {
      const included = checks.filter((c) => exclusion(c, options.capabilities, skip) === null);
      if (included.length === 0) continue;
      describe(group, () => {
        for (const check of included) {
          it(`${check.title} [${check.id}]`, async (test?: { skip?: (note?: string) => void }) => {
            const ran = await runConformanceCheck(check, options);
            // Without declared capabilities the adapter's own flags decide, known only at run time.
            if (!ran) test?.skip?.(`the adapter does not claim capabilities.${check.requires}`);
          });
        }
      });
    }
  });
}
