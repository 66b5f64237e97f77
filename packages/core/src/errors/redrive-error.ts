/**
 * Machine-readable codes carried by every {@link RedriveError}. The HTTP handler maps
 * them to status codes (NOT_FOUND 404, INVALID_STATE 409, VALIDATION_ERROR 400, ...).
 */
export type RedriveErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_STATE'
  | 'VALIDATION_ERROR'
  | 'LEASE_LOST'
  | 'ADAPTER_ERROR'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE';

/**
 * Base class of the errors Redrive itself throws. Recognise them by `code` or `name`
 * as well as by `instanceof` (two copies of the package in one app break `instanceof`).
 * Messages read `[redrive] [where] what went wrong`; the original error is kept as `cause`.
 */
export class RedriveError extends Error {
  readonly code: RedriveErrorCode;
  constructor(code: RedriveErrorCode, message: string, options?: { cause?: unknown }) {
    super(message.startsWith('[redrive]') ? message : `[redrive] ${message}`, options);
    this.name = 'RedriveError';
    this.code = code;
  }
}

/** A job (or dead letter, or worker) with this id does not exist, or is not visible to the caller's tenant. */
export class NotFoundError extends RedriveError {
  readonly id: string | undefined;
  constructor(message: string, options?: { id?: string; cause?: unknown }) {
    super('NOT_FOUND', message, options);
    this.name = 'NotFoundError';
    this.id = options?.id;
  }
}

/** An action that does not fit the job's current status (e.g. resuming a completed job). Nothing was changed. */
export class InvalidStateError extends RedriveError {
  readonly id: string | undefined;
  readonly status: string | undefined;
  constructor(message: string, options?: { id?: string; status?: string; cause?: unknown }) {
    super('INVALID_STATE', message, options);
    this.name = 'InvalidStateError';
    this.id = options?.id;
    this.status = options?.status;
  }
}

/** One problem found by validation: the path of the bad field and what is wrong with it. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * Bad input: a config field, an option, a payload that fails its job type's schema.
 * `issues` names every bad field; the message names the first ones.
 */
export class ValidationError extends RedriveError {
  readonly issues: ValidationIssue[];
  constructor(message: string, options?: { issues?: ValidationIssue[]; cause?: unknown }) {
    super('VALIDATION_ERROR', message, options);
    this.name = 'ValidationError';
    this.issues = options?.issues ?? [];
  }
}

/** The worker no longer holds the job's lease (it expired, or the job was cancelled or re-claimed): its write was refused. */
export class LeaseLostError extends RedriveError {
  readonly id: string | undefined;
  constructor(message: string, options?: { id?: string; cause?: unknown }) {
    super('LEASE_LOST', message, options);
    this.name = 'LeaseLostError';
    this.id = options?.id;
  }
}

/** The storage adapter failed (connection refused, SQL error, ...). The store's own error is `cause`. */
export class AdapterError extends RedriveError {
  readonly adapter: string | undefined;
  constructor(message: string, options?: { adapter?: string; cause?: unknown }) {
    super('ADAPTER_ERROR', message, options);
    this.name = 'AdapterError';
    this.adapter = options?.adapter;
  }
}

/** True for any error Redrive throws, recognised by shape so it works across package copies. */
export function isRedriveError(error: unknown): error is RedriveError {
  return (
    error instanceof RedriveError ||
    (typeof error === 'object' &&
      error !== null &&
      typeof (error as { code?: unknown }).code === 'string' &&
      typeof (error as { message?: unknown }).message === 'string' &&
      (error as { message: string }).message.startsWith('[redrive]'))
  );
}
