import { ValidationError } from '../errors/redrive-error.js';
import { isStorableText } from './storable.js';

/**
 * Throw ValidationError naming `path` unless `value` can be stored as JSON: every store keeps
 * payloads and metadata as JSON (a `jsonb` column, the memory adapter's text), so a BigInt, a
 * cycle, or a top-level function or symbol must be refused at enqueue, with nothing written,
 * instead of failing inside the store as an AdapterError. Primitives skip the encoding: the
 * common `null` / number payload costs nothing.
 */
export function assertJsonValue(value: unknown, path: string, where: string): void {
  if (value === null || value === undefined) return;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return;
  if (type === 'object' && quickCheck(value as object)) return;
  let reason: string | undefined;
  if (type !== 'object') reason = `a ${type} is not JSON`;
  else {
    try {
      if (JSON.stringify(value) === undefined) reason = 'it has no JSON form';
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
  }
  if (reason !== undefined) {
    throw new ValidationError(`[redrive] [${where}] ${path}: must be JSON-serialisable (${reason})`, {
      issues: [{ path, message: `must be JSON-serialisable (${reason})` }],
    });
  }
}

const MAX_DEPTH = 2;
const MAX_KEYS = 32;

/**
 * True when `value` is certainly JSON: plain objects and arrays, at most {@link MAX_DEPTH} levels
 * and {@link MAX_KEYS} keys each, of primitives (a nested function or symbol is dropped by JSON,
 * not an error). Such a value cannot hold a cycle. Anything else (a BigInt, a Date or other
 * class instance, deeper or bigger values) answers false and gets the full `JSON.stringify`
 * check: this only spares the common small payload a second encoding (the store encodes it too).
 */
function quickCheck(value: object): boolean {
  try {
    return plainAndShallow(value, 0);
  } catch {
    return false; // a throwing getter: the full check reports it
  }
}

function plainAndShallow(value: object, depth: number): boolean {
  const isArray = Array.isArray(value);
  if (!isArray && Object.getPrototypeOf(value) !== Object.prototype) return false;
  let keys = 0;
  for (const key in value) {
    if (++keys > MAX_KEYS) return false;
    if (key === 'toJSON') return false; // JSON.stringify would call it
    const item = (value as Record<string, unknown>)[key];
    if (item === null || typeof item !== 'object') {
      if (typeof item === 'bigint') return false;
      continue;
    }
    if (depth + 1 >= MAX_DEPTH || !plainAndShallow(item, depth + 1)) return false;
  }
  return true;
}

/**
 * True when `value` certainly passes both `assertJsonValue` and `assertStorableJson`: a primitive,
 * storable text, or a small plain object or array as {@link quickCheck} takes it whose keys and
 * strings every store can hold. One walk instead of two, and no field path built: the caller
 * runs the asserts (which word the error) only when this answers false.
 */
export function isQuickStorableJson(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  const type = typeof value;
  if (type === 'string') return isStorableText(value as string);
  if (type === 'number' || type === 'boolean') return true;
  if (type !== 'object') return false;
  try {
    return plainShallowStorable(value as object, 0);
  } catch {
    return false; // a throwing getter: the asserts report it
  }
}

function plainShallowStorable(value: object, depth: number): boolean {
  const isArray = Array.isArray(value);
  if (!isArray && Object.getPrototypeOf(value) !== Object.prototype) return false;
  let keys = 0;
  for (const key in value) {
    if (++keys > MAX_KEYS) return false;
    if (key === 'toJSON') return false;
    if (!isArray && !isStorableText(key)) return false;
    const item = (value as Record<string, unknown>)[key];
    if (typeof item === 'string') {
      if (!isStorableText(item)) return false;
      continue;
    }
    if (item === null || typeof item !== 'object') {
      if (typeof item === 'bigint') return false;
      continue;
    }
    if (depth + 1 >= MAX_DEPTH || !plainShallowStorable(item, depth + 1)) return false;
  }
  return true;
}
