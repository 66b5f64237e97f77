import { ValidationError } from '../errors/redrive-error.js';
import { causeChain, isArraySafe, readProp } from './inspect.js';

/**
 * How long the error asks the caller to wait before retrying, in whole milliseconds, or
 * `undefined` when it does not say. Never throws for any `error` value.
 *
 * Looked up on the error and then on each error of its `cause` chain (first hit wins), in this order:
 * 1. `retryAfterMs`: milliseconds (as on `RetryableError`);
 * 2. `retryAfter`: like the HTTP header, a number of **seconds**, a string of seconds or an
 *    HTTP date, or a `Date`;
 * 3. headers, on `error.headers` or `error.response.headers` (a `Headers` object, or a plain
 *    object with any key case): `retry-after-ms` (milliseconds), then `Retry-After` (seconds or HTTP date).
 *
 * A date in the past gives `0`. Negative, non-numeric or unparseable values are ignored.
 *
 * @param now - the current time in epoch ms, for HTTP dates. Default `Date.now()`.
 * @example
 * getRetryAfterMs({ status: 429, headers: { 'retry-after': '120' } }); // 120000
 * getRetryAfterMs(new RetryableError('busy', { retryAfterMs: 1500 })); // 1500
 */
export function getRetryAfterMs(error: unknown, now?: number): number | undefined {
  if (now !== undefined && (typeof now !== 'number' || !Number.isFinite(now))) {
    throw new ValidationError(
      `[redrive] [getRetryAfterMs] now: must be a finite number of epoch milliseconds`,
      {
        issues: [{ path: 'now', message: 'must be a finite number of epoch milliseconds' }],
      },
    );
  }
  const at = now ?? Date.now();
  try {
    for (const node of causeChain(error, new Set(), 8)) {
      const ms = fromNode(node, at);
      if (ms !== undefined) return ms;
    }
  } catch {
    // Unreachable in practice (reads are guarded); keep the never-throws promise.
  }
  return undefined;
}

function fromNode(node: unknown, now: number): number | undefined {
  const direct = readProp(node, 'retryAfterMs');
  if (typeof direct === 'number' && Number.isFinite(direct) && direct >= 0) return Math.ceil(direct);
  const retryAfter = parseRetryAfter(readProp(node, 'retryAfter'), now);
  if (retryAfter !== undefined) return retryAfter;
  return (
    fromHeaders(readProp(node, 'headers'), now) ??
    fromHeaders(readProp(readProp(node, 'response'), 'headers'), now)
  );
}

function fromHeaders(headers: unknown, now: number): number | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  const ms = Number(headerValue(headers, 'retry-after-ms'));
  if (headerValue(headers, 'retry-after-ms') !== undefined && Number.isFinite(ms) && ms >= 0)
    return Math.ceil(ms);
  return parseRetryAfter(headerValue(headers, 'retry-after'), now);
}

/** Reads one header from a `Headers`-like object (`get`) or a plain object with any key case. */
function headerValue(headers: object, name: string): string | undefined {
  const get = readProp(headers, 'get');
  if (typeof get === 'function') {
    try {
      const value: unknown = get.call(headers, name);
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }
  let keys: string[];
  try {
    keys = Object.keys(headers);
  } catch {
    return undefined;
  }
  for (const key of keys) {
    if (key.toLowerCase() !== name) continue;
    const value = readProp(headers, key);
    const first = isArraySafe(value) ? value[0] : value;
    if (typeof first === 'string') return first;
    if (typeof first === 'number') return String(first);
  }
  return undefined;
}

/** Header semantics: seconds (number or digits) or an HTTP date; a `Date` is accepted too. */
function parseRetryAfter(value: unknown, now: number): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 ? Math.ceil(value * 1000) : undefined;
  if (value instanceof Date) {
    const time = value.getTime();
    return Number.isFinite(time) ? Math.max(0, Math.ceil(time - now)) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const time = Date.parse(text);
  return Number.isFinite(time) ? Math.max(0, Math.ceil(time - now)) : undefined;
}
