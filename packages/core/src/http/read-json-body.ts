import { ValidationError } from '../errors/redrive-error.js';
import { HttpError } from './http-errors.js';

/**
 * Refuse (415 UNSUPPORTED_MEDIA_TYPE) a request that does not declare a JSON body. An HTML form
 * (and any other request a browser sends cross-site without a CORS preflight) can only say
 * `text/plain`, `application/x-www-form-urlencoded` or `multipart/form-data`; requiring
 * `application/json` (or a `+json` type) on every `POST`, body or not, means a page on another
 * site cannot act with the user's cookie session.
 */
export function requireJsonContentType(request: Request): void {
  const type = request.headers.get('content-type') ?? '';
  const essence = type.split(';', 1)[0]!.trim().toLowerCase();
  if (essence === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(essence)) return;
  throw new HttpError(
    'UNSUPPORTED_MEDIA_TYPE',
    `${request.method} needs content-type: application/json (got ${essence ? `'${essence.slice(0, 100)}'` : 'none'})`,
  );
}

/** Default request body limit: 1 MB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Reads a request body as JSON, refusing it with PAYLOAD_TOO_LARGE as soon as it passes
 * `maxBytes` — by `content-length` when the client sent one, and while streaming otherwise, so a
 * huge chunked body is never buffered whole. An empty body reads as `undefined`.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) {
    throw new HttpError('PAYLOAD_TOO_LARGE', `request body is larger than ${maxBytes} bytes`);
  }
  if (!request.body) return undefined;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new HttpError('PAYLOAD_TOO_LARGE', `request body is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  if (size === 0) return undefined;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ValidationError('[redrive] [http] body: must be valid JSON', {
      issues: [{ path: 'body', message: 'must be valid JSON' }],
      cause,
    });
  }
}
