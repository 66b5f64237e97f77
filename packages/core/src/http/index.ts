// @redrive/core/http — the Fetch-API handler.
export { createHttpHandler } from './create-http-handler.js';
export { errorResponse, HTTP_STATUS_BY_CODE, HttpError, type HttpErrorBody } from './http-errors.js';
export type { HttpAuditEvent, HttpCaller, HttpHandlerOptions } from './http-options.js';
export { DEFAULT_MAX_BODY_BYTES } from './read-json-body.js';
export type { RedactError, RedactErrorContext } from './redact-errors.js';
