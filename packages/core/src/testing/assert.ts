/**
 * Minimal assertions for the conformance checks. They throw {@link ConformanceFailure} so the
 * checks stay plain async functions: usable from vitest, node:test or a script alike.
 */

/** A broken contract rule, found by a conformance check. */
export class ConformanceFailure extends Error {
  constructor(message: string) {
    super(`[redrive] [conformance] ${message}`);
    this.name = 'ConformanceFailure';
  }
}

/** Throw unless `condition` holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ConformanceFailure(message);
}

/** Throw unless `actual` deep-equals `expected` (plain data: objects, arrays, primitives). */
export function checkEqual<T>(actual: unknown, expected: T, message: string): asserts actual is T {
  if (!deepEqual(actual, expected)) {
    throw new ConformanceFailure(`${message}\n  expected: ${show(expected)}\n  received: ${show(actual)}`);
  }
}

/** Throw unless the same ids are present, ignoring order. */
export function checkSameIds(actual: readonly string[], expected: readonly string[], message: string): void {
  checkEqual([...actual].sort(), [...expected].sort(), message);
}

/** Throw unless `promise` rejects. */
export async function checkRejects(promise: Promise<unknown>, message: string): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new ConformanceFailure(message);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  // Undefined fields count as absent: a SQL row and a JS object rarely agree on them.
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const key of keys) if (!deepEqual(ra[key], rb[key])) return false;
  return true;
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
