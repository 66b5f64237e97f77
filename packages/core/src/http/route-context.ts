import type { Job } from '../job/job.js';
import type { Queue, TenantScope } from '../queue/types.js';
import type { HttpCaller } from './http-options.js';
import type { ErrorRedactor } from './redact-errors.js';

/** What a route handler gets: the request, its path parameters, the caller and helpers. */
export interface RouteContext {
  request: Request;
  url: URL;
  params: Record<string, string>;
  queue: Queue;
  caller: HttpCaller;
  /** The tenant scope to pass to every queue call (undefined: an operator who sees all tenants). */
  scope: TenantScope | undefined;
  /** The request body as JSON (size-limited); `undefined` when empty. */
  body(): Promise<unknown>;
  /** Records a change for the audit hook. */
  audit(action: string, jobIds: string[]): Promise<void>;
  /** The job as the response shows it: its error text redacted, then the app's `serializeJob`. */
  serializeJob(job: Job): unknown;
  /** The `redactError` hook, for error text outside a job (retry history, dead letters). */
  redact: ErrorRedactor;
}

/** A route: method, path pattern (`/jobs/:id/retry`), whether it changes anything, and its handler. */
export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: string;
  mutates: boolean;
  handle(ctx: RouteContext): Promise<Response>;
}

/** Matches `/jobs/:id` against `/jobs/abc`; returns the params or null. */
export function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) return null;
  }
  return params;
}
