import { ValidationError } from '../errors/redrive-error.js';

/**
 * Reads a URL's query string into plain values for the queue's own validation, refusing unknown
 * parameters (a typo such as `?stauts=failed` must not silently list everything).
 * Lists are comma-separated or repeated (`status=queued,failed` or `status=queued&status=failed`).
 */
export function readQuery(url: URL, allowed: Record<string, QueryKind>): Record<string, unknown> {
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
    throw new ValidationError(`[http] query: unknown parameter ${unknown.map((k) => `'${k}'`).join(', ')}`, {
      issues: unknown.map((k) => ({ path: `query.${k}`, message: 'is not a known parameter' })),
    });
  }
  return out;
}

/** How a query parameter is read: a string, a list, an integer, or a time (epoch ms or ISO date). */
export type QueryKind = 'string' | 'list' | 'int' | 'time';

function convert(key: string, values: string[], kind: QueryKind): unknown {
  const last = values[values.length - 1] ?? '';
  switch (kind) {
    case 'string':
      return last;
    case 'list': {
      const items = values
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean);
      return items.length === 1 ? items[0] : items;
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
  return new ValidationError(`[http] query.${key}: ${message}`, {
    issues: [{ path: `query.${key}`, message }],
  });
}

const LIST_PARAMS = {
  type: 'list',
  queue: 'string',
  q: 'string',
  category: 'list',
  errorCategory: 'list',
  tenantId: 'string',
  from: 'time',
  to: 'time',
  limit: 'int',
  cursor: 'string',
} as const satisfies Record<string, QueryKind>;

/**
 * The query of a listing route as a queue filter: `category` → `errorCategory`, and `from`/`to`
 * → the time range of `range` (`created` for jobs, `failed` for dead letters). `status` is read
 * only where the route allows it (a dead letter's status is always `failed`).
 */
export function readListFilter(
  url: URL,
  range: 'created' | 'failed',
  withStatus: boolean,
): Record<string, unknown> {
  const allowed: Record<string, QueryKind> = withStatus ? { ...LIST_PARAMS, status: 'list' } : LIST_PARAMS;
  const { category, from, to, ...filter } = readQuery(url, allowed);
  if (category !== undefined) filter.errorCategory = category;
  if (from !== undefined) filter[`${range}From`] = from;
  if (to !== undefined) filter[`${range}To`] = to;
  return filter;
}
