import * as z from 'zod/mini';
import { ValidationError } from '../errors/redrive-error.js';

/*
 * What every store can hold. Postgres refuses a NUL character in `text` and `jsonb`, and a lone
 * surrogate in `jsonb` (SQLite and D1 keep text as UTF-8, where a lone surrogate has no encoding
 * and comes back as U+FFFD); its integer columns are int32 and its timestamps bigint. Core checks
 * these limits once, for every adapter, so a bad value is a ValidationError naming the field
 * instead of a store error (a 503 over HTTP) on one adapter and silent acceptance on another.
 */

/** Largest value of a signed 32-bit integer: the range of attempt counts, priorities and timeouts. */
export const MAX_INT32 = 2_147_483_647;

/** Smallest value of a signed 32-bit integer. */
export const MIN_INT32 = -2_147_483_648;

/**
 * Longest delay a timer honours: `setTimeout` keeps its delay in a signed 32-bit integer, so a
 * longer one (about 24.8 days) fires after 1 ms instead. Every duration option that reaches a
 * timer is refused above it.
 */
export const MAX_TIMER_MS = MAX_INT32;

/** Latest epoch-ms timestamp accepted: the end of JavaScript's `Date` range (year 275760). */
export const MAX_EPOCH_MS = 8_640_000_000_000_000;

// A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// Built from a string: the NUL is the point here, not a stray control character.
const UNSTORABLE_SOURCE =
  '\\u0000|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const UNSTORABLE = new RegExp(UNSTORABLE_SOURCE);
const UNSTORABLE_ALL = new RegExp(UNSTORABLE_SOURCE, 'g');

// `isWellFormed` (ES2024; Node 20+, current browsers and Workers) answers "no lone surrogate"
// natively and at once for Latin-1 text; older runtimes fall back to the regular expression.
const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/** True when every store can hold `text`: the cheap test {@link unstorableReason} starts with. */
export function isStorableText(text: string): boolean {
  if (text.indexOf('\u0000') !== -1) return false;
  return isWellFormed === undefined ? !UNSTORABLE.test(text) : isWellFormed.call(text);
}

/** Why a string cannot be stored, or `undefined` when it can. */
export function unstorableReason(text: string): string | undefined {
  if (isStorableText(text)) return undefined;
  const found = UNSTORABLE.exec(text);
  if (!found) return undefined;
  return found[0] === '\u0000'
    ? 'must not contain a NUL character (U+0000)'
    : 'must not contain a lone surrogate (text that is not valid UTF-16)';
}

/**
 * A zod/mini string that only accepts text every store can hold, with `checks` (length bounds)
 * applied first.
 */
export function storableString(...checks: z.core.$ZodCheck<string>[]): z.ZodMiniString<string> {
  return z.string().check(
    ...checks,
    z.refine((s: string) => unstorableReason(s) === undefined, {
      error: (issue) => unstorableReason(issue.input as string) ?? 'is not storable',
    }),
  );
}

/**
 * The first string (or object key) inside a JSON value that no store can hold, with its path;
 * `undefined` when there is none. Follows `toJSON` as `JSON.stringify` does. Call it after the
 * value is known to be JSON (no cycles).
 */
export function findUnstorable(value: unknown, path: string): { path: string; reason: string } | undefined {
  if (typeof value === 'string') {
    const reason = unstorableReason(value);
    return reason === undefined ? undefined : { path, reason };
  }
  if (value === null || typeof value !== 'object') return undefined;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return findUnstorable((json as () => unknown).call(value), path);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findUnstorable(value[i], `${path}.${i}`);
      if (bad) return bad;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const keyReason = unstorableReason(key);
    if (keyReason !== undefined)
      return { path: `${path}.${JSON.stringify(key)}`, reason: `key ${keyReason}` };
    const bad = findUnstorable((value as Record<string, unknown>)[key], `${path}.${key}`);
    if (bad) return bad;
  }
  return undefined;
}

/** Throw ValidationError naming the field when a JSON value holds text no store can hold. */
export function assertStorableJson(value: unknown, path: string, where: string): void {
  const bad = findUnstorable(value, path);
  if (bad === undefined) return;
  throw new ValidationError(`[redrive] [${where}] ${bad.path}: ${bad.reason}`, {
    issues: [{ path: bad.path, message: bad.reason }],
  });
}

/** The text with every character no store can hold replaced by U+FFFD (the replacement character). */
export function toStorableText(text: string): string {
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE_ALL, '\uFFFD') : text;
}

/**
 * A JSON value with every string and key made storable ({@link toStorableText}). For what core
 * must store whatever it holds — a handler's result, an error's message — since refusing it would
 * throw away the outcome of work that already ran. Returns `value` itself when nothing changes, so
 * the common case allocates nothing. Objects come back prototype-free copies only when changed.
 */
export function toStorableJson(value: unknown): unknown {
  if (findUnstorable(value, '') === undefined) return value;
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? toStorableText(v) : v)),
    (_key, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v) ? renameKeys(v as Record<string, unknown>) : v,
  );
}

function renameKeys(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(obj)) out[toStorableText(key)] = obj[key];
  return out;
}
