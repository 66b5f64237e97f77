import { ValidationError } from '../errors/redrive-error.js';

/**
 * Throw ValidationError naming `path` unless `value` can be stored as JSON: every store keeps
 * payloads and metadata as JSON (a `jsonb` column, the memory adapter's text), so a BigInt, a
 * cycle, or a top-level function or symbol must be refused at enqueue, with nothing written,
 * instead of failing inside the store as an AdapterError. Primitives skip the encoding: the
 * common `null` / number payload costs nothing.
 */
export function assertJsonValue(value: unknown, path: string, where: string): void {
  if (value === null || value === undefined) return;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return;
  let reason: string | undefined;
  if (type !== 'object') reason = `a ${type} is not JSON`;
  else {
    try {
      if (JSON.stringify(value) === undefined) reason = 'it has no JSON form';
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
  }
  if (reason !== undefined) {
    throw new ValidationError(`[redrive] [${where}] ${path}: must be JSON-serialisable (${reason})`, {
      issues: [{ path, message: `must be JSON-serialisable (${reason})` }],
    });
  }
}
