import type { JobFilter } from '../adapter/requests.js';
import { issuesError } from '../config/issues-error.js';
import { validateWith } from '../config/validate.js';
import type { ValidationIssue } from '../errors/redrive-error.js';

/**
 * The keys of a job filter, one vocabulary for every place that takes one: `listJobs`,
 * `deadLetters.list`, `bulk`, `deadLetters.redrive` / `delete` / `purge`, `stats`, and over HTTP
 * the query of `GET /jobs`, `GET /dead-letters` and `GET /stats` and the `filter` of every body.
 * Each key is the name of the job field it matches (`errorCategory` matches `job.errorCategory`).
 */
export const JOB_FILTER_KEYS = [
  'status',
  'type',
  'queue',
  'tenantId',
  'errorCategory',
  'q',
  'createdFrom',
  'createdTo',
  'failedFrom',
  'failedTo',
  'ids',
] as const satisfies ReadonlyArray<keyof JobFilter>;

/** One key of {@link JOB_FILTER_KEYS}. */
export type JobFilterKey = (typeof JOB_FILTER_KEYS)[number];

// Every key of JobFilter is listed above (a compile error otherwise).
const _everyKeyListed: Exclude<keyof JobFilter, JobFilterKey> extends never ? true : never = true;
void _everyKeyListed;

/** Names an earlier HTTP query used, and the filter key that replaced each. */
const RENAMED: Record<string, string> = {
  category: 'errorCategory',
  from: 'createdFrom (jobs) or failedFrom (dead letters)',
  to: 'createdTo (jobs) or failedTo (dead letters)',
};

/** Why `key` is refused in a filter: the key that replaced it, or the list of known keys. */
export function unknownFilterKeyMessage(key: string): string {
  const renamed = Object.hasOwn(RENAMED, key) ? RENAMED[key] : undefined;
  return renamed
    ? `is not a filter key (use ${renamed})`
    : `is not a filter key (known: ${JOB_FILTER_KEYS.join(', ')})`;
}

/**
 * Validate a filter with `schema` after refusing every key that is neither a filter key nor one
 * of `extra` (paging: `limit`, `cursor`), each named with what to use instead.
 */
export function parseFilter<T>(
  schema: Parameters<typeof validateWith<T>>[0],
  filter: unknown,
  where: string,
  extra: readonly string[] = [],
): T {
  if (typeof filter === 'object' && filter !== null && !Array.isArray(filter)) {
    const known = new Set<string>([...JOB_FILTER_KEYS, ...extra]);
    const issues: ValidationIssue[] = Object.keys(filter)
      .filter((key) => !known.has(key))
      .map((key) => ({ path: key, message: unknownFilterKeyMessage(key) }));
    if (issues.length > 0) throw issuesError(where, issues);
  }
  return validateWith(schema, filter, where);
}

/** The keys a listing takes besides the filter's: page size and cursor. */
export const PAGING_KEYS = ['limit', 'cursor'] as const;
