import { type JobCheckpoint, ValidationError } from '@redrive/core';

/**
 * A JSON value as the memory adapter keeps it: the text, decoded afresh for every reader, exactly
 * as a SQL `jsonb` column gives a new object per row read. So a caller editing what it enqueued,
 * or a handler editing `job.payload`, never changes the store, and values come back as a database
 * would give them (a `Date` becomes its ISO string, `undefined` fields vanish).
 *
 * Primitives (null, numbers, strings, booleans) are immutable and stored as they are: the common
 * `payload: null` and the usual empty metadata cost nothing on the hot path.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/** The empty object most jobs carry as metadata: decoded without a parse. */
const EMPTY_OBJECT = new JsonText('{}');
/** The last frozen empty object seen (it can never gain keys). */
let frozenEmpty: object | undefined;

/** Encode a value for storage. Throws ValidationError naming `path` for what JSON cannot hold. */
export function encodeJson(value: unknown, where: string, path: string): unknown {
  if (value === null || value === undefined) return null;
  const type = typeof value;
  if (type === 'number') return Number.isFinite(value) ? value : null; // JSON has no NaN/Infinity
  if (type === 'string' || type === 'boolean') return value;
  if (type !== 'object') refuse(where, path, `a ${type} is not JSON`);
  if (value === frozenEmpty) return EMPTY_OBJECT;
  if (isEmptyPlainObject(value as object)) {
    // Core hands every job the same frozen `{}` as default metadata: remember it, skip the scan.
    if (Object.isFrozen(value)) frozenEmpty = value as object;
    return EMPTY_OBJECT;
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    refuse(where, path, `not JSON-serialisable (${error instanceof Error ? error.message : String(error)})`);
  }
  if (text === undefined) return null;
  // A toJSON() may turn an object into a primitive: keep the primitive.
  const first = text.charCodeAt(0);
  return first === 123 /* { */ || first === 91 /* [ */ ? new JsonText(text) : JSON.parse(text);
}

/** A fresh copy of a stored value for one reader. */
export function decodeJson(stored: unknown): unknown {
  if (stored instanceof JsonText) return stored === EMPTY_OBJECT ? {} : JSON.parse(stored.text);
  return stored;
}

function isEmptyPlainObject(value: object): boolean {
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const _ in value) return false;
  return true;
}

function refuse(where: string, path: string, message: string): never {
  throw new ValidationError(`[redrive] [memory] ${where}: ${path}: ${message}`, {
    issues: [{ path, message }],
  });
}

/** A checkpoint as stored: its `data` encoded like a payload (the handler may keep editing its object). */
export function encodeCheckpoint(checkpoint: JobCheckpoint, where: string): JobCheckpoint {
  return Object.freeze({ ...checkpoint, data: encodeJson(checkpoint.data, where, 'checkpoint.data') });
}

/** A reader's copy of a stored checkpoint, its data decoded afresh. */
export function decodeCheckpoint(stored: JobCheckpoint | null): JobCheckpoint | null {
  if (stored === null) return null;
  return {
    stage: stored.stage,
    data: decodeJson(stored.data),
    hash: stored.hash,
    pauseSafe: stored.pauseSafe,
    savedAt: stored.savedAt,
  };
}
