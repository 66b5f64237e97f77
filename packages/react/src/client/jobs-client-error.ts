/** One bad field named by a `VALIDATION_ERROR`. */
export interface JobsClientIssue {
  path: string;
  message: string;
}

/**
 * The error every {@link JobsClient} method rejects with: the API's `{ code, message, issues }`,
 * plus the HTTP status when there was one. Codes are the API's (`NOT_FOUND`, `INVALID_STATE`,
 * `VALIDATION_ERROR`, `UNAUTHORIZED`, `FORBIDDEN`, ...) and `NETWORK_ERROR` when no answer came.
 * Recognise it by `name` as well as `instanceof` (two copies of the package break `instanceof`).
 *
 * @example
 * try { await client.act(id, 'resume'); } catch (e) { if (isJobsClientError(e) && e.code === 'INVALID_STATE') … }
 */
export class JobsClientError extends Error {
  readonly code: string;
  readonly issues: JobsClientIssue[];
  /** HTTP status, or `undefined` for an in-process client or a network failure. */
  readonly status: number | undefined;
  constructor(
    code: string,
    message: string,
    options: { issues?: JobsClientIssue[]; status?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'JobsClientError';
    this.code = code;
    this.issues = options.issues ?? [];
    this.status = options.status;
  }
}

/** True for a {@link JobsClientError}, also one from another copy of this package. */
export function isJobsClientError(error: unknown): error is JobsClientError {
  return error instanceof JobsClientError || (error instanceof Error && error.name === 'JobsClientError');
}

/**
 * Any thrown value as a {@link JobsClientError}: Redrive's own errors keep their `code` and
 * `issues`; anything else becomes `INTERNAL_ERROR` with its message.
 */
export function toJobsClientError(error: unknown): JobsClientError {
  if (isJobsClientError(error)) return error;
  const e = error as { code?: unknown; message?: unknown; issues?: unknown } | null;
  const code = typeof e?.code === 'string' && /^[A-Z_]+$/.test(e.code) ? e.code : 'INTERNAL_ERROR';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const issues = Array.isArray(e?.issues) ? (e.issues as JobsClientIssue[]) : [];
  return new JobsClientError(code, message, { issues, cause: error });
}
