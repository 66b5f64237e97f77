import { issuesError } from '../config/issues-error.js';
import { ValidationError } from '../errors/redrive-error.js';
import { type JOB_FILTER_KEYS, type JobFilterKey, unknownFilterKeyMessage } from '../queue/filter-keys.js';

/**
 * Reads a URL's query string into plain values for the queue's own validation, refusing unknown
 * parameters (a typo such as `?stauts=failed` must not silently list everything).
 * Lists are comma-separated or repeated (`status=queued,failed` or `status=queued&status=failed`).
 */
export function readQuery(
  url: URL,
  allowed: Record<string, QueryKind>,
  isFilter = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  const unknown: string[] = [];
  for (const key of new Set(url.searchParams.keys())) {
    // Own keys only: `?__proto__=1` or `?toString=1` is an unknown parameter, not Object.prototype's.
    const kind = Object.hasOwn(allowed, key) ? allowed[key] : undefined;
    if (!kind) {
      unknown.push(key);
      continue;
    }
    const values = url.searchParams.getAll(key);
    out[key] = convert(key, values, kind);
  }
  if (unknown.length > 0) {
    throw issuesError(
      'http',
      unknown.map((k) => ({
        path: `query.${k}`,
        message: isFilter ? unknownFilterKeyMessage(k) : 'is not a known parameter',
      })),
    );
  }
  return out;
}

/**
 * How a query parameter is read: a string, a list (one item alone stays a string), an array
 * (always), an integer, or a time (epoch ms or ISO date).
 */
export type QueryKind = 'string' | 'list' | 'array' | 'int' | 'time';

function convert(key: string, values: string[], kind: QueryKind): unknown {
  const last = values[values.length - 1] ?? '';
  switch (kind) {
    case 'string':
      return last;
    case 'list':
    case 'array': {
      const items = values
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean);
      return items.length === 1 && kind === 'list' ? items[0] : items;
    }
    case 'int': {
      if (!/^-?\d+$/.test(last)) throw bad(key, 'must be an integer');
      return Number(last);
    }
    case 'time': {
      if (/^\d+$/.test(last)) return Number(last);
      const ms = Date.parse(last);
      if (Number.isNaN(ms)) throw bad(key, 'must be epoch milliseconds or an ISO 8601 date');
      return ms;
    }
  }
}

function bad(key: string, message: string): ValidationError {
  return new ValidationError(`[redrive] [http] query.${key}: ${message}`, {
    issues: [{ path: `query.${key}`, message }],
  });
}

/** How each filter key is read from a query string. */
const FILTER_PARAMS = {
  status: 'list',
  type: 'list',
  queue: 'string',
  tenantId: 'string',
  errorCategory: 'list',
  q: 'string',
  createdFrom: 'time',
  createdTo: 'time',
  failedFrom: 'time',
  failedTo: 'time',
  ids: 'array',
} as const satisfies Record<JobFilterKey, QueryKind>;

/**
 * The query of a listing route (`GET /jobs`, `GET /dead-letters`) or of `GET /stats` as a queue
 * filter: the filter keys of {@link JOB_FILTER_KEYS}, plus `limit` and `cursor` when `paged`.
 */
export function readFilterQuery(url: URL, paged: boolean): Record<string, unknown> {
  return readQuery(url, paged ? { ...FILTER_PARAMS, limit: 'int', cursor: 'string' } : FILTER_PARAMS, true);
}
