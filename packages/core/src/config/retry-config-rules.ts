import type { ValidationIssue } from '../errors/redrive-error.js';
import { MAX_EPOCH_MS } from '../util/storable.js';
import { describeValue } from './describe-value.js';

// The rules of a retry config, written without a validation library: `classifyError`,
// `calculateBackoffDelay`, `createRetrySchedule` and `retry()` validate their config with these,
// so an app (or a Worker) that imports only the pure functions bundles none of zod. The zod
// `retryConfigSchema` applies the same rules (it calls `retryConfigIssues`).

type Rule = (value: unknown) => string | undefined;

const finiteNumber: Rule = (v) =>
  typeof v === 'number' && Number.isFinite(v)
    ? undefined
    : `must be a finite number (got ${describeValue(v)})`;
const atLeast =
  (min: number): Rule =>
  (v) =>
    finiteNumber(v) ?? ((v as number) >= min ? undefined : `must be >= ${min}`);
// A delay becomes a job's `runAt` (now + delay): it must stay a storable epoch-ms time.
const MAX_DELAY_MS = MAX_EPOCH_MS / 2;
const delayMs: Rule = (v) =>
  atLeast(0)(v) ?? ((v as number) <= MAX_DELAY_MS ? undefined : 'must be at most 4.32e15 ms');
const executions: Rule = (v) => {
  if (v === Number.POSITIVE_INFINITY) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) return 'must be an integer >= 1, or Infinity';
  return v >= 1 ? undefined : 'must be >= 1';
};
const JITTERS = ['proportional', 'full', 'decorrelated', 'none'];

const RULES: Record<string, Rule> = {
  initialDelayMs: delayMs,
  maxDelayMs: delayMs,
  backoffMultiplier: atLeast(1),
  jitterFactor: (v) => atLeast(0)(v) ?? ((v as number) <= 1 ? undefined : 'must be <= 1'),
  rateLimitDelayMs: delayMs,
  maxRetries: executions,
  maxAttempts: executions,
  jitter: (v) =>
    JITTERS.includes(v as string) ? undefined : "must be 'proportional', 'full', 'decorrelated' or 'none'",
  schedule: () => undefined, // an array of delays: checked entry by entry below
  unknownIsRetryable: (v) =>
    typeof v === 'boolean' ? undefined : `must be a boolean (got ${describeValue(v)})`,
  random: (v) => (typeof v === 'function' ? undefined : 'must be a function'),
  maxRetryAfterMs: delayMs,
  retryAfterBeyondMax: (v) =>
    v === 'cap' || v === 'dead-letter' ? undefined : "must be 'cap' or 'dead-letter'",
};

/**
 * Every problem of a retry config input, as `{ path, message }` (`path` dot-separated, `(root)`
 * for the value itself); empty when it is valid. `undefined` fields count as absent; unknown keys
 * are refused, so a typo such as `maxRetry` fails fast.
 *
 * @example retryConfigIssues({ maxDelayMs: -1 }) // [{ path: 'maxDelayMs', message: 'must be >= 0' }]
 */
export function retryConfigIssues(input: unknown): ValidationIssue[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ path: '(root)', message: `must be an object (got ${describeValue(input)})` }];
  }
  const issues: ValidationIssue[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (!Object.hasOwn(RULES, key)) {
      issues.push({ path: key, message: 'is not a known option' });
      continue;
    }
    if (value === undefined) continue;
    const message = RULES[key]!(value);
    if (message) issues.push({ path: key, message });
    if (key === 'schedule') issues.push(...scheduleIssues(value));
  }
  return issues;
}

function scheduleIssues(value: unknown): ValidationIssue[] {
  if (!Array.isArray(value))
    return [{ path: 'schedule', message: `must be an array (got ${describeValue(value)})` }];
  if (value.length === 0) return [{ path: 'schedule', message: 'must have at least one delay' }];
  const issues: ValidationIssue[] = [];
  value.forEach((delay, index) => {
    const message = delayMs(delay);
    if (message) issues.push({ path: `schedule.${index}`, message });
  });
  return issues;
}
