import * as z from 'zod/mini';
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
 * Takes a full zod or a `zod/mini` schema. Core's own schemas use `zod/mini`, which carries no message texts: {@link issueMessage} words every
 * problem a schema does not word itself, the same whether or not the app loaded a zod locale.
 *
 * @param where - the area named in the message, e.g. `'config'`, `'queue.enqueue'`.
 * @example
 * const config = validateWith(retryConfigSchema, input, 'config');
 */
export function validateWith<T>(schema: z.core.$ZodType<T>, value: unknown, where: string): T {
  // No `reportInput`: zod would copy raw input values (possibly secrets in a payload) into the
  // issues we keep as `cause`. The error map reads the received type from the input instead.
  // The schema's own safeParse when it has one (full zod), so `cause` is that API's ZodError.
  const withMethod = schema as Partial<Pick<z.ZodMiniType<T>, 'safeParse'>>;
  const result = withMethod.safeParse
    ? withMethod.safeParse(value, { error: issueMessage })
    : z.safeParse(schema, value, { error: issueMessage });
  if (result.success) return result.data;
  throw issuesError(where, toIssues(result.error.issues as ZodIssueLike[], value, []), result.error);
}

interface ZodIssueLike {
  path: PropertyKey[];
  message: string;
  code?: string;
  keys?: string[];
  expected?: unknown;
  values?: readonly unknown[];
  errors?: ZodIssueLike[][];
}

/** What zod hands an error map: the issue's code and details, and the value that failed. */
interface RawIssue {
  code: string;
  input?: unknown;
  expected?: unknown;
  origin?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  values?: readonly unknown[];
  format?: string;
  pattern?: string;
}

/** The message of a zod issue a schema did not word itself (the path is added by {@link toIssues}). */
export function issueMessage(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      // zod 4 rejects NaN and ±Infinity as "not a number": say so plainly.
      const expected =
        issue.expected === 'number'
          ? 'finite number'
          : issue.expected === 'int'
            ? 'integer'
            : String(issue.expected);
      return `must be ${article(expected)} ${expected} (got ${describeValue(issue.input)})`;
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? issue.minimum : issue.maximum;
      const op = small ? (issue.inclusive === false ? '>' : '>=') : issue.inclusive === false ? '<' : '<=';
      if (issue.origin === 'string') {
        return small && bound === 1
          ? 'must be a non-empty string'
          : `must be ${small ? 'at least' : 'at most'} ${bound} characters long`;
      }
      if (issue.origin === 'array' || issue.origin === 'set')
        return `must have ${small ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}`;
      return `must be ${op} ${bound}`;
    }
    case 'invalid_value':
      return `must be one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.pattern ? `must match ${issue.pattern}` : `must be a valid ${issue.format ?? 'value'}`;
    case 'invalid_union':
      return 'matches none of the accepted forms'; // reworded by toIssues from the union's branches
    case 'unrecognized_keys':
      return 'is not a known option';
    default:
      return 'is invalid';
  }
}

function toIssues(zodIssues: readonly ZodIssueLike[], root: unknown, at: PropertyKey[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const issue of zodIssues) {
    const path = [...at, ...issue.path];
    const base = formatPath(path);
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys)
        issues.push({ path: joinPath(base, key), message: 'is not a known option' });
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors?.length) {
      // A branch that got inside the value (an array whose item is wrong) says what is wrong there;
      // otherwise the value fits none of the branches' types: name them all.
      const inside = issue.errors.find((branch) => branch.some((i) => i.path.length > 0));
      if (inside) {
        issues.push(...toIssues(inside, root, path));
        continue;
      }
      const forms = [...new Set(issue.errors.flatMap((branch) => branch.map(expectedForm)))];
      const got = describeValue(valueAt(root, path));
      issues.push({ path: base || '(root)', message: `must be ${forms.join(' or ')} (got ${got})` });
      continue;
    }
    issues.push({ path: base || '(root)', message: issue.message });
  }
  return issues;
}

/** What one branch of a union wanted, e.g. `an integer`, `a date`, `one of "a", "b"`. */
function expectedForm(issue: ZodIssueLike): string {
  if (issue.code === 'invalid_value' && issue.values)
    return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_type' && typeof issue.expected === 'string') {
    const expected = issue.expected === 'int' ? 'integer' : issue.expected;
    return `${article(expected)} ${expected}`;
  }
  return 'valid';
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
