import type { ZodType } from 'zod';
import type { ValidationIssue } from '../errors/redrive-error.js';
import { describeValue } from './describe-value.js';
import { issuesError } from './issues-error.js';

/**
 * Parses `value` with a zod schema and returns the parsed data, or throws a
 * {@link ValidationError} whose message names the bad fields, e.g.
 * `[redrive] [config] maxDelayMs: must be >= 0`. `issues` lists every problem as
 * `{ path, message }` (`path` dot-separated, `(root)` for the value itself). The zod error is `cause`.
 *
 * Shared by every Redrive API that takes configuration or input, so all of them fail the same way.
 *
 * @param where - the area named in the message, e.g. `'config'`, `'queue.enqueue'`.
 * @example
 * const config = validateWith(retryConfigSchema, input, 'config');
 */
export function validateWith<T>(schema: ZodType<T>, value: unknown, where: string): T {
  // No `reportInput`: zod would copy raw input values (possibly secrets in a payload) into the
  // issues we keep as `cause`. The received type is read from `value` by path instead.
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw issuesError(where, toIssues(result.error.issues, value), result.error);
}

interface ZodIssueLike {
  path: PropertyKey[];
  message: string;
  code?: string;
  keys?: string[];
  expected?: unknown;
}

function toIssues(zodIssues: readonly ZodIssueLike[], value: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const issue of zodIssues) {
    const base = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys)
        issues.push({ path: joinPath(base, key), message: 'is not a known option' });
      continue;
    }
    issues.push({ path: base || '(root)', message: friendlyMessage(issue, value) });
  }
  return issues;
}

function friendlyMessage(issue: ZodIssueLike, value: unknown): string {
  if (issue.code === 'invalid_type' && typeof issue.expected === 'string') {
    // zod 4 rejects NaN and ±Infinity as "not a number": say so plainly.
    const expected = issue.expected === 'number' ? 'finite number' : issue.expected;
    return `must be ${article(expected)} ${expected} (got ${describeValue(valueAt(value, issue.path))})`;
  }
  return issue.message;
}

/** The value at `path` inside `root`, or `undefined` when any step is missing or unreadable. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    try {
      current = (current as Record<PropertyKey, unknown>)[key];
    } catch {
      return undefined;
    }
  }
  return current;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => joinPath(acc, typeof key === 'symbol' ? key.toString() : String(key)),
    '',
  );
}

function joinPath(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}
