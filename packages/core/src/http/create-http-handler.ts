import * as z from 'zod/mini';
import { validateWith } from '../config/validate.js';
import type { Job } from '../job/job.js';
import type { JOB_FILTER_KEYS } from '../queue/filter-keys.js';
import type { Queue } from '../queue/types.js';
import { deadLetterRoutes } from './dead-letter-routes.js';
import { errorResponse, HttpError, isInternal, json } from './http-errors.js';
import type { HttpCaller, HttpHandlerOptions } from './http-options.js';
import { jobRoutes } from './job-routes.js';
import { DEFAULT_MAX_BODY_BYTES, readJsonBody, requireJsonContentType } from './read-json-body.js';
import { ErrorRedactor } from './redact-errors.js';
import { matchPattern, type Route, type RouteContext } from './route-context.js';
import { systemRoutes } from './system-routes.js';

// Literal routes before parameterised ones: `/jobs/bulk` must not be read as `/jobs/:id`.
const ROUTES: Route[] = [...systemRoutes, ...jobRoutes, ...deadLetterRoutes].sort(
  (a, b) => Number(a.pattern.includes(':')) - Number(b.pattern.includes(':')),
);

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', `must be a function ${what}`);

const optionsSchema = z.strictObject({
  basePath: z.optional(z.string().check(z.regex(/^(\/[^/?#]+)*\/?$/, 'must look like /api/jobs'))),
  authorize: z.optional(fn('(request) => caller | null')),
  readOnly: z.optional(z.boolean()),
  maxBodyBytes: z.optional(z.int().check(z.minimum(1))),
  onAction: z.optional(fn('(event) => void')),
  onError: z.optional(fn('(error, request) => void')),
  serializeJob: z.optional(fn('(job) => unknown')),
  redactError: z.optional(fn('(text, { jobId, field, source }) => string | null')),
});

const callerSchema = z.looseObject({
  tenantId: z.optional(z.nullable(z.string().check(z.minLength(1)))),
  readOnly: z.optional(z.boolean()),
});

/**
 * The Redrive HTTP API as one Fetch-API function, `(request: Request) => Promise<Response>`, for
 * Cloudflare Workers, Node (`http` + a Request adapter, or any Fetch server), Next.js route handlers,
 * Hono, Deno and Bun. Every filter (query or body `filter`) takes the keys of {@link JOB_FILTER_KEYS}
 * (docs/guides/http-api.md lists them). Routes (under `basePath`):
 *
 * | route | what |
 * |---|---|
 * | `GET /jobs?<filter keys>&limit&cursor` | `{ jobs, nextCursor }` |
 * | `POST /jobs` `{ type, payload, options? }` | 201 with the job |
 * | `GET /jobs/:id` · `GET /jobs/:id/retries` | one job · `{ jobId, totalAttempts, retries }` |
 * | `POST /jobs/:id/retry · /restart · /pause · /resume · /cancel` | guarded actions (409 INVALID_STATE) |
 * | `DELETE /jobs/:id` | delete |
 * | `POST /jobs/bulk` `{ action, filter, limit }` | retry / cancel / delete all matching |
 * | `POST /jobs/purge` `{ status?, olderThanMs? }` | retention: completed / cancelled jobs older than 7 days (default) → `{ deleted }` |
 * | `GET /stats?<filter keys>` · `GET /health` | `queue.stats()` · `queue.health()` |
 * | `GET /stats/throughput?since&type` | `{ buckets: [{ minute, completed, failed }] }` per minute (404 when the store has none) |
 * | `GET /dead-letters?<filter keys>&limit&cursor` · `GET /dead-letters/:id` | DLQ list · one |
 * | `POST /dead-letters/redrive` `{ ids }` or `{ filter, limit }` | redrive |
 * | `DELETE /dead-letters/:id` · `POST /dead-letters/purge` `{ olderThanMs?, filter? }` | delete · purge (default 7 days) |
 *
 * Errors are JSON `{ error: { code, message, issues? } }`: VALIDATION_ERROR 400, UNAUTHORIZED 401,
 * FORBIDDEN 403, NOT_FOUND 404, METHOD_NOT_ALLOWED 405, INVALID_STATE 409, PAYLOAD_TOO_LARGE 413
 * (default limit 1 MB), UNSUPPORTED_MEDIA_TYPE 415. Every `POST` must say
 * `content-type: application/json` (a cross-site HTML form cannot, so a cookie session is safe
 * from it); `authorize` runs before routing, so 404 and 405 are only answered to callers it lets in.
 * `redactError` rewrites every error message and stack a response would carry (jobs, retry
 * history, dead letters).
 * With `authorize` returning `{ tenantId }`, every call is scoped to that tenant: another tenant's
 * job answers 404 and created jobs belong to the caller's tenant whatever the body says.
 *
 * @example
 * const handler = createHttpHandler(queue, {
 *   basePath: '/api/queue',
 *   authorize: (req) => (req.headers.get('x-api-key') === env.KEY ? { tenantId: 'acme' } : null),
 * });
 * export default { fetch: handler }; // a Cloudflare Worker
 */
export function createHttpHandler(
  queue: Queue,
  options: HttpHandlerOptions = {},
): (request: Request) => Promise<Response> {
  validateWith(optionsSchema, options, 'http.options');
  const basePath = (options.basePath ?? '').replace(/\/$/, '');
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const onError = options.onError ?? ((error: unknown) => console.error('[redrive] [http]', error));
  const redactor = new ErrorRedactor(options.redactError);
  const userSerialize = options.serializeJob ?? ((job: Job) => job);
  const serializeJob = (job: Job) => userSerialize(redactor.job(job));

  return async function handle(request: Request): Promise<Response> {
    try {
      const url = new URL(request.url);
      if (basePath && url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
        throw new HttpError('NOT_FOUND', `no route ${request.method} ${url.pathname}`);
      }
      const path = url.pathname.slice(basePath.length) || '/';
      // Authorise before mapping the route: which paths and methods exist is not for strangers.
      const caller = await authorizeCaller(request, options);
      const found = findRoute(request.method, path);
      if (found === 'method_not_allowed') {
        return json(
          {
            error: {
              code: 'METHOD_NOT_ALLOWED',
              message: `[redrive] [http] method ${request.method} is not allowed on ${path}`,
            },
          },
          405,
        );
      }
      const { route, params } = found;

      if (route.mutates && (options.readOnly || caller.readOnly)) {
        throw new HttpError('FORBIDDEN', 'this API is read-only for this caller');
      }
      if (route.method === 'POST') requireJsonContentType(request);
      let bodyRead: Promise<unknown> | undefined;
      const ctx: RouteContext = {
        request,
        url,
        params,
        queue,
        caller,
        scope: caller.tenantId === undefined ? undefined : { tenantId: caller.tenantId },
        body: () => {
          bodyRead ??= readJsonBody(request, maxBodyBytes);
          return bodyRead;
        },
        audit: async (action, jobIds) => {
          if (!options.onAction) return;
          try {
            await options.onAction({ action, caller, jobIds, request });
          } catch (error) {
            onError(error, request);
          }
        },
        serializeJob,
        redact: redactor,
      };
      return await route.handle(ctx);
    } catch (error) {
      if (isInternal(error)) onError(error, request);
      return errorResponse(error);
    }
  };
}

function findRoute(
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | 'method_not_allowed' {
  let pathMatched = false;
  for (const route of ROUTES) {
    const params = matchPattern(route.pattern, path);
    if (!params) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  if (pathMatched) return 'method_not_allowed';
  throw new HttpError('NOT_FOUND', `no route ${method} ${path}`);
}

async function authorizeCaller(request: Request, options: HttpHandlerOptions): Promise<HttpCaller> {
  if (!options.authorize) return {};
  const caller = await options.authorize(request);
  if (caller === null || caller === undefined || (caller as unknown) === false) {
    throw new HttpError('UNAUTHORIZED', 'authentication required');
  }
  const parsed = callerSchema.safeParse(caller);
  if (!parsed.success) {
    // A bad caller is the app's bug, not the client's: answer 500 and report it, never 400.
    throw new TypeError(
      `[redrive] [http] authorize() must return { tenantId?: non-empty string | null, readOnly?: boolean } or null, got ${JSON.stringify(caller)}`,
    );
  }
  return parsed.data;
}
