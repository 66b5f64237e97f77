import { isRedriveError, RedriveError, type RedriveErrorCode } from '../errors/redrive-error.js';

/** HTTP status for each error code the API answers with. */
export const HTTP_STATUS_BY_CODE: Record<RedriveErrorCode | 'INTERNAL_ERROR' | 'METHOD_NOT_ALLOWED', number> =
  {
    VALIDATION_ERROR: 400,
    UNAUTHORIZED: 401,
    FORBIDDEN: 403,
    NOT_FOUND: 404,
    METHOD_NOT_ALLOWED: 405,
    INVALID_STATE: 409,
    LEASE_LOST: 409,
    PAYLOAD_TOO_LARGE: 413,
    UNSUPPORTED_MEDIA_TYPE: 415,
    INTERNAL_ERROR: 500,
    ADAPTER_ERROR: 503,
  };

/** An error the HTTP layer itself raises (auth, body size, unknown route), with its code. */
export class HttpError extends RedriveError {
  constructor(code: RedriveErrorCode, message: string) {
    super(code, `[redrive] [http] ${message}`);
    this.name = 'HttpError';
  }
}

/** The JSON body of every error response: `{ error: { code, message, issues? } }`. */
export interface HttpErrorBody {
  error: { code: string; message: string; issues?: Array<{ path: string; message: string }> };
}

/**
 * Turns anything thrown while serving a request into a JSON error response. Redrive errors keep
 * their code and message (`[redrive] [<area>] ...`, as thrown); adapter failures are a 503 and
 * anything else a 500, both with a message that says nothing about internals (the error goes to
 * `onError`).
 */
export function errorResponse(error: unknown, headers: HeadersInit = {}): Response {
  if (isRedriveError(error) && !isInternal(error)) {
    const code = (error as RedriveError).code;
    const body: HttpErrorBody = { error: { code, message: error.message } };
    const issues = (error as { issues?: unknown }).issues;
    if (Array.isArray(issues) && issues.length > 0) body.error.issues = issues as never;
    return json(body, HTTP_STATUS_BY_CODE[code] ?? 500, headers);
  }
  if (isRedriveError(error)) {
    return json(
      { error: { code: error.code, message: '[redrive] [http] the job store is unavailable' } },
      503,
      headers,
    );
  }
  return json(
    { error: { code: 'INTERNAL_ERROR', message: '[redrive] [http] internal error' } },
    500,
    headers,
  );
}

/**
 * Errors whose message may carry store internals (SQL, connection strings): answered with a fixed
 * message and reported to `onError` instead.
 */
export function isInternal(error: unknown): boolean {
  return !isRedriveError(error) || error.code === 'ADAPTER_ERROR';
}

/** A JSON response with the given status. */
export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set('content-type', 'application/json; charset=utf-8');
  h.set('cache-control', 'no-store');
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: h });
}
