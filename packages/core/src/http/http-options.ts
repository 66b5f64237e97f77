import type { Job } from '../job/job.js';
import type { RedactError } from './redact-errors.js';

/** Who is calling, as `authorize` decides. */
export interface HttpCaller {
  /**
   * The caller's tenant: every read and action is scoped to it, and jobs it creates belong to it
   * whatever the body says. Leave it out (`undefined`) for an operator who sees every tenant.
   */
  tenantId?: string | null | undefined;
  /** Refuse every action that changes something (403 FORBIDDEN). */
  readOnly?: boolean | undefined;
}

/** One action taken through the API, for the audit hook. */
export interface HttpAuditEvent {
  /** e.g. `'job.create'`, `'job.retry'`, `'jobs.bulk.cancel'`, `'deadLetters.redrive'`. */
  action: string;
  caller: HttpCaller;
  /** Jobs the action touched (created, changed or deleted). */
  jobIds: string[];
  request: Request;
}

/** Options of {@link createHttpHandler}. */
export interface HttpHandlerOptions {
  /** Prefix the routes live under, e.g. `'/api/jobs-admin'`. Default `''`. */
  basePath?: string | undefined;
  /**
   * Decides who is calling. Return the caller, or `null`/`undefined` to answer 401 UNAUTHORIZED;
   * throw an `HttpError('FORBIDDEN', ...)` to answer 403. Without it every request is an operator
   * who sees every tenant: only do that behind your own auth.
   *
   * @example authorize: async (req) => { const user = await session(req); return user ? { tenantId: user.orgId } : null; }
   */
  authorize?:
    | ((request: Request) => HttpCaller | null | undefined | Promise<HttpCaller | null | undefined>)
    | undefined;
  /** Refuse every change for every caller (a read-only dashboard). Default false. */
  readOnly?: boolean | undefined;
  /** Largest request body accepted, in bytes (413 PAYLOAD_TOO_LARGE above). Default 1 MB. */
  maxBodyBytes?: number | undefined;
  /** Called after every successful change. A throwing hook is reported to `onError`, the response stands. */
  onAction?: ((event: HttpAuditEvent) => void | Promise<void>) | undefined;
  /** Called with unexpected errors (answered as 500 INTERNAL_ERROR). Default `console.error`. */
  onError?: ((error: unknown, request: Request) => void) | undefined;
  /** Map a job before it is sent (e.g. drop payload fields people must not see). Runs after `redactError`. */
  serializeJob?: ((job: Job) => unknown) | undefined;
  /**
   * Rewrite every error message and stack trace before it leaves the process: a job's `error` and
   * `errorStack`, each retry-history entry (`GET /jobs/:id/retries`), and dead letters with their
   * history. Return the text to send, or `null` to send none. Default: sent as stored.
   *
   * @example redactError: (text, { field }) => (field === 'stack' ? null : text.replace(/sk_live_\w+/g, '[secret]'))
   */
  redactError?: RedactError | undefined;
}
