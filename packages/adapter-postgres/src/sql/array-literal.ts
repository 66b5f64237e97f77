/*
 * Array literals for bound parameters (`$1::text[]`), built here rather than by the `pg` driver:
 * one pass, and no escaping regex run on an element that has nothing to escape (ids and lease
 * tokens never do). Batch statements (enqueue, complete) send thousands of elements per call, so
 * the driver's per-element escaping was a visible part of their client-side cost.
 */

/** Characters an element of an array literal must escape inside its double quotes. */
const ARRAY_ESCAPE = /["\\]/;
const ARRAY_ESCAPE_ALL = /["\\]/g;

/** A string an array literal can hold in double quotes as it is (no quote or backslash in it). */
function isPlainText(value: unknown): boolean {
  return typeof value === 'string' && value.indexOf('"') === -1 && value.indexOf('\\') === -1;
}

/**
 * A text/int/bigint array literal (`{"a","b",NULL}`): strings double-quoted (quotes and
 * backslashes escaped), numbers as they print, `null`/`undefined` as NULL.
 */
export function arrayLiteral(values: readonly unknown[]): string {
  if (values.length === 0) return '{}';
  // The common case, ids and tokens: text only, nothing to escape: a native search per value and one join.
  if (values.every(isPlainText)) return `{"${values.join('","')}"}`;
  const parts: string[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (typeof v === 'number') parts[i] = String(v);
    else {
      const text = String(v);
      parts[i] = `"${ARRAY_ESCAPE.test(text) ? text.replace(ARRAY_ESCAPE_ALL, '\\$&') : text}"`;
    }
  }
  return `{${parts.join(',')}}`;
}
