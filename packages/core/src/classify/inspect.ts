// Defensive readers for values of unknown shape. classifyError promises never to throw, and
// thrown values can be anything: null, primitives, frozen or revoked proxies, objects whose
// getters throw, cyclic cause chains. Every property read therefore goes through here.

/** Reads `value[key]` without ever throwing; `undefined` for primitives or when a getter throws. */
export function readProp(value: unknown, key: PropertyKey): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  try {
    return (value as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** A string property, or `undefined` when absent, not a string, or unreadable. */
export function readString(value: unknown, key: PropertyKey): string | undefined {
  const v = readProp(value, key);
  return typeof v === 'string' ? v : undefined;
}

/**
 * An HTTP-like status code: a number, or a numeric string ("503"), in 100…599.
 * Other values (job statuses such as 'failed', 0, NaN) are not status codes.
 */
export function toStatusCode(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{3}$/.test(value.trim()) ? Number(value.trim()) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/** `Array.isArray` that survives revoked proxies. */
export function isArraySafe(value: unknown): value is unknown[] {
  try {
    return Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * The error itself followed by its `cause` chain, outermost first. Stops at cycles and
 * after `limit` links so a hostile or accidental loop cannot hang the caller.
 */
export function causeChain(error: unknown, seen: Set<unknown>, limit = 16): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (chain.length < limit && !seen.has(current)) {
    chain.push(current);
    if (current !== null && typeof current === 'object') seen.add(current);
    const next = readProp(current, 'cause');
    if (next === undefined || next === null) break;
    current = next;
  }
  return chain;
}
