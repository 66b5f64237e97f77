import type { BulkResult, DeadLetter, HealthReport, Job, JobMap, QueueStats } from '@redrive/core';
import type { JobHistory, JobsClient, JobsQuery, Page, PageQuery, ThroughputBucket } from './jobs-client.js';
import { JobsClientError, type JobsClientIssue } from './jobs-client-error.js';
import { toJobFilter } from './to-job-filter.js';

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /**
   * Where `createHttpHandler` is mounted, absolute (`https://api.example.com/queue`) or relative to
   * the page (`/api/queue`). Read at run time, so one build serves any sub-path.
   */
  baseUrl: string;
  /** Sent with every request (e.g. `authorization`); a function is called per request, so a token can refresh. */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>) | undefined;
  /** The fetch to use. Default: the global `fetch`. */
  fetch?: typeof fetch | undefined;
  /** `credentials` of every request. Default `'same-origin'`. */
  credentials?: RequestCredentials | undefined;
}

type Params = Record<string, string | number | string[] | null | undefined>;

/**
 * A {@link JobsClient} for the routes of `@redrive/core/http`. Errors become {@link JobsClientError}s
 * carrying the API's `{ code, message, issues }` and the HTTP status; a failed connection is
 * `NETWORK_ERROR`.
 *
 * @example
 * const client = createHttpClient({ baseUrl: '/api/queue', headers: () => ({ authorization: `Bearer ${token()}` }) });
 *
 * @example
 * // Typed by the server's job map (or `JobMapOf<typeof queue>`): rows are typed by `job.type`.
 * const typed = createHttpClient<Jobs>({ baseUrl: '/api/queue' });
 */
export function createHttpClient<Jobs extends JobMap<Jobs> = any>(
  options: HttpClientOptions,
): JobsClient<Jobs> {
  if (typeof options?.baseUrl !== 'string') {
    throw new JobsClientError(
      'VALIDATION_ERROR',
      '[redrive] [client] createHttpClient: baseUrl must be a string',
      {
        issues: [{ path: 'baseUrl', message: 'must be a string' }],
      },
    );
  }
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function request<T>(method: string, path: string, params?: Params, body?: unknown): Promise<T> {
    const headers = new Headers(
      typeof options.headers === 'function' ? await options.headers() : (options.headers ?? {}),
    );
    headers.set('accept', 'application/json');
    // The API accepts only JSON bodies (a form post from another site cannot forge one).
    if (method !== 'GET' && method !== 'DELETE') headers.set('content-type', 'application/json');
    let response: Response;
    try {
      response = await doFetch(base + path + queryString(params), {
        method,
        headers,
        credentials: options.credentials ?? 'same-origin',
        ...(method !== 'GET' && method !== 'DELETE' ? { body: JSON.stringify(body ?? {}) } : {}),
      });
    } catch (error) {
      throw new JobsClientError(
        'NETWORK_ERROR',
        `[redrive] [client] ${method} ${path}: no answer (${messageOf(error)})`,
        {
          cause: error,
        },
      );
    }
    const text = await response.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (!response.ok) throw errorFrom(response.status, data, `${method} ${path}`);
    return data as T;
  }

  // The filter keys are the API's query parameters as they are (lists comma-separated).
  const jobsParams = (query: PageQuery = {}): Params => {
    const { limit, cursor, ...filter } = query;
    const params: Params = { limit, cursor };
    for (const [key, value] of Object.entries(toJobFilter(filter))) {
      params[key] = Array.isArray(value) ? list(value as string[]) : (value as string | number | null);
    }
    return params;
  };
  const id = (value: string) => `/${encodeURIComponent(value)}`;

  const client: JobsClient = {
    async listJobs(query) {
      const r = await request<{ jobs: Job[]; nextCursor: string | null }>('GET', '/jobs', jobsParams(query));
      return { items: r.jobs, nextCursor: r.nextCursor };
    },
    getJob: (jobId) => request<Job>('GET', `/jobs${id(jobId)}`),
    getHistory: (jobId) => request<JobHistory>('GET', `/jobs${id(jobId)}/retries`),
    getStats: (query) => request<QueueStats>('GET', '/stats', { type: query?.type }),
    async listDeadLetters(query): Promise<Page<DeadLetter>> {
      const r = await request<{ deadLetters: DeadLetter[]; nextCursor: string | null }>(
        'GET',
        '/dead-letters',
        jobsParams(query),
      );
      return { items: r.deadLetters, nextCursor: r.nextCursor };
    },
    act: (jobId, action, opts) =>
      request<Job>(
        'POST',
        `/jobs${id(jobId)}/${action}`,
        undefined,
        action === 'pause' && opts?.reason ? { reason: opts.reason } : {},
      ),
    async deleteJob(jobId) {
      await request('DELETE', `/jobs${id(jobId)}`);
    },
    bulk: (action, query: JobsQuery, limit) =>
      request<BulkResult>('POST', '/jobs/bulk', undefined, { action, filter: toJobFilter(query), limit }),
    redrive: (target) =>
      request<BulkResult>(
        'POST',
        '/dead-letters/redrive',
        undefined,
        'ids' in target
          ? { ids: target.ids }
          : { filter: toJobFilter(target.query), limit: target.limit ?? 100 },
      ),
    purgeDeadLetters: (opts) => request('POST', '/dead-letters/purge', undefined, opts),
    health: () => request<HealthReport>('GET', '/health'),
    async throughput(query) {
      const r = await request<{ buckets: ThroughputBucket[] }>('GET', '/stats/throughput', {
        since: query.since,
        type: query.type,
      });
      return r.buckets;
    },
  };
  return client;
}

function list(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const joined = Array.isArray(value) ? value.join(',') : value;
  return joined === '' ? undefined : joined;
}

function queryString(params: Params | undefined): string {
  if (!params) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

function errorFrom(status: number, data: unknown, what: string): JobsClientError {
  const error = (data as { error?: { code?: unknown; message?: unknown; issues?: unknown } } | undefined)
    ?.error;
  if (error && typeof error.code === 'string') {
    return new JobsClientError(error.code, typeof error.message === 'string' ? error.message : error.code, {
      status,
      issues: Array.isArray(error.issues) ? (error.issues as JobsClientIssue[]) : [],
    });
  }
  const code = status === 404 ? 'NOT_FOUND' : status >= 500 ? 'INTERNAL_ERROR' : `HTTP_${status}`;
  return new JobsClientError(code, `[redrive] [client] ${what}: HTTP ${status}`, { status });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
