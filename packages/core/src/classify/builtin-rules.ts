// The built-in evidence classifyError reads from one error (not its causes: classify-error.ts
// walks the chain). Evidence comes in strengths, because the sources disagreed on what to trust
// and the rule is: an explicit category beats an HTTP status, which beats an error code or
// name, which beats words in the message (messages are written for people, and reworded).

import type { ErrorCategory } from './categories.js';
import { isErrorCategory } from './categories.js';
import { readProp, readString, toStatusCode } from './inspect.js';

/** How much to trust a piece of evidence; the strongest wins, ties go to the outer error. */
export const Strength = {
  message: 1,
  codeOrName: 2,
  status: 3,
  explicit: 4,
  rule: 5,
} as const;

/** One classification with the strength of the evidence behind it. */
export interface Evidence {
  category: ErrorCategory;
  strength: number;
}

/** Maps an HTTP status to a category; `undefined` for statuses that say nothing (1xx–3xx, 409). */
export function categoryForStatus(status: number): ErrorCategory | undefined {
  if (status >= 500) return 'transient_server';
  switch (status) {
    case 408:
      return 'transient_timeout';
    case 425: // Too Early: the server asks for a replay later.
      return 'transient_server';
    case 429:
      return 'transient_rate_limit';
    case 401:
    case 403:
    case 407:
      return 'permanent_auth';
    case 404:
    case 410:
      return 'permanent_not_found';
    case 402:
      return 'permanent_quota';
    case 409: // Conflict is often an optimistic-lock race that succeeds on retry: let other evidence decide.
      return undefined;
  }
  return status >= 400 ? 'permanent_validation' : undefined;
}

const NETWORK_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENETRESET',
  'ERR_NETWORK',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

const DB_LOCK_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_TIMEOUT',
]);

/** Error codes: Node/undici socket codes, SQLite result codes, PostgreSQL SQLSTATEs. */
export function categoryForCode(code: string): ErrorCategory | undefined {
  const upper = code.toUpperCase();
  if (NETWORK_CODES.has(upper)) return 'transient_network';
  if (DB_LOCK_CODES.has(upper)) return 'transient_db_lock';
  if (upper === 'ERR_CANCELED' || upper === 'ABORT_ERR') return 'transient_timeout';
  // PostgreSQL SQLSTATE: two-digit class + three characters.
  if (/^\d{2}[0-9A-Z]{3}$/.test(upper)) {
    const cls = upper.slice(0, 2);
    if (cls === '40' || upper === '55P03' || upper === '55006') return 'transient_db_lock'; // deadlock, serialization, lock_not_available
    if (cls === '08') return 'transient_network'; // connection exceptions
    if (cls === '53' || cls === '57') return 'transient_server'; // resources, operator intervention (shutdown)
    if (cls === '28' || upper === '42501') return 'permanent_auth';
    if (cls === '22' || cls === '23') return 'permanent_validation'; // data exception, integrity constraint
  }
  return undefined;
}

const NAME_CATEGORIES: Record<string, ErrorCategory> = {
  ValidationError: 'permanent_validation',
  ZodError: 'permanent_validation',
  SecurityError: 'permanent_security',
  TimeoutError: 'transient_timeout',
  AbortError: 'transient_timeout',
  NetworkError: 'transient_network',
  RateLimitError: 'transient_rate_limit',
  AuthenticationError: 'permanent_auth',
  UnauthorizedError: 'permanent_auth',
  NotFoundError: 'permanent_not_found',
};

/** Error names (`ValidationError`, `SecurityError`, DOMException `TimeoutError`...). */
export function categoryForName(name: string): ErrorCategory | undefined {
  return Object.hasOwn(NAME_CATEGORIES, name) ? NAME_CATEGORIES[name] : undefined;
}

// Order matters: the first matching row wins. More specific phrases come before generic
// words, so "SQLITE_BUSY: database is locked (timeout)" is a lock, "Invalid API key" is auth,
// and "insufficient credits" is quota rather than validation.
const MESSAGE_PATTERNS: ReadonlyArray<readonly [RegExp, ErrorCategory]> = [
  [/rate[ -_]?limit|too many requests|throttl/i, 'transient_rate_limit'],
  [
    /database (?:table )?is locked|sqlite_busy|sqlite_locked|deadlock|lock (?:wait )?timeout|could not obtain lock|\bbusy\b|\bd1(?:_error)?\b.*\boverloaded/i,
    'transient_db_lock',
  ],
  [
    /timeout|timed out|network|econnreset|econnrefused|etimedout|enotfound|eai_again|socket hang up|fetch failed|connection (?:reset|refused|closed|lost)/i,
    'transient_network',
  ],
  [/quota|billing|\bcredits?\b|payment required/i, 'permanent_quota'],
  [/unauthori[sz]ed|forbidden|api[ _-]?key|authenticat|permission denied|access denied/i, 'permanent_auth'],
  [/dangerous import|sandbox|security|not allowed/i, 'permanent_security'],
  [/not found|does not exist|no such/i, 'permanent_not_found'],
  [/invalid|insufficient|required|validation|malformed/i, 'permanent_validation'],
  [/service unavailable|bad gateway|internal server error|gateway timeout|overloaded/i, 'transient_server'],
];

// "Request failed with status code 503", "HTTP 429", "status: 404": a status in prose is
// still a status, but weaker than a structured one.
const STATUS_IN_MESSAGE = /\b(?:status(?:\s*code)?|http(?:\/\d(?:\.\d)?)?)\s*[:=]?\s*([1-5]\d\d)\b/i;

/** Classifies a message by the words in it (the weakest evidence). */
export function categoryForMessage(message: string): ErrorCategory | undefined {
  const text = message.length > 2000 ? message.slice(0, 2000) : message;
  const status = STATUS_IN_MESSAGE.exec(text);
  if (status) {
    const category = categoryForStatus(Number(status[1]));
    if (category) return category;
  }
  for (const [pattern, category] of MESSAGE_PATTERNS) if (pattern.test(text)) return category;
  return undefined;
}

/**
 * Built-in evidence from an error's fields (explicit category, HTTP status, code, name), not its
 * message. Cheap property reads: classify-error.ts runs this over the whole chain first.
 */
export function structuralEvidence(error: unknown): Evidence | undefined {
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return undefined;

  const explicit = readProp(error, 'category');
  if (isErrorCategory(explicit)) return { category: explicit, strength: Strength.explicit };

  const response = readProp(error, 'response');
  const status =
    toStatusCode(readProp(error, 'status')) ??
    toStatusCode(readProp(error, 'statusCode')) ??
    toStatusCode(readProp(response, 'status')) ??
    toStatusCode(readProp(response, 'statusCode'));
  const byStatus = status === undefined ? undefined : categoryForStatus(status);
  if (byStatus) return { category: byStatus, strength: Strength.status };

  const code = readString(error, 'code');
  const byCode = code === undefined ? undefined : categoryForCode(code);
  if (byCode) return { category: byCode, strength: Strength.codeOrName };
  const name = readString(error, 'name');
  const byName = name === undefined ? undefined : categoryForName(name);
  return byName ? { category: byName, strength: Strength.codeOrName } : undefined;
}

/** Built-in evidence from the words of an error's message, or of a thrown string (the weakest kind). */
export function messageEvidence(error: unknown): Evidence | undefined {
  const message = typeof error === 'string' ? error : readString(error, 'message');
  const category = message === undefined ? undefined : categoryForMessage(message);
  return category ? { category, strength: Strength.message } : undefined;
}
