import { type Evidence, messageEvidence, Strength, structuralEvidence } from './builtin-rules.js';
import { type ErrorCategory, isErrorCategory } from './categories.js';
import { causeChain, isArraySafe, readProp, readString, toStatusCode } from './inspect.js';

/**
 * A custom classification rule. Rules run before every built-in pattern.
 *
 * - A function returns a category, or `undefined` to pass.
 * - An object matches when **every** condition it sets holds (at least one must be set):
 *   `match(error)`, `message` (RegExp or case-insensitive substring), `name`, `code`, `status`
 *   (`status`, `statusCode` or `response.status`).
 *
 * A rule that throws, or returns something that is not a category, is treated as "no match".
 *
 * @example
 * const rules: ClassificationRule[] = [
 *   { category: 'permanent_quota', message: /insufficient_quota/ },
 *   { category: 'transient_server', status: [409] },
 *   (error) => (error instanceof MyVendorError && error.retryable ? 'transient_server' : undefined),
 * ];
 */
export type ClassificationRule = ClassificationRuleFn | ClassificationRuleObject;

/** Function form of {@link ClassificationRule}. */
export type ClassificationRuleFn = (error: unknown) => ErrorCategory | undefined;

/** Object form of {@link ClassificationRule}: every condition that is set must hold. */
export interface ClassificationRuleObject {
  /** The category to return when the rule matches. */
  category: ErrorCategory;
  /** Arbitrary predicate on the error. */
  match?: (error: unknown) => boolean;
  /** Matches the error's `message` (or the thrown string): a RegExp, or a case-insensitive substring. */
  message?: RegExp | string;
  /** Matches `error.name` exactly. */
  name?: string | readonly string[];
  /** Matches `error.code` exactly (string or number codes). */
  code?: string | number | ReadonlyArray<string | number>;
  /** Matches `error.status`, `error.statusCode` or `error.response.status`. */
  status?: number | readonly number[];
}

/** Options of {@link classifyError}. */
export interface ClassifyOptions {
  /**
   * Custom rules, tried in order before the built-in ones, on the error and on each error of
   * its `cause` chain (outermost first) and inside `AggregateError`s. Default: none.
   */
  rules?: readonly ClassificationRule[];
}

/**
 * Sorts any thrown value into an {@link ErrorCategory}. Never throws, whatever it is given
 * (null, strings, symbols, cyclic objects, proxies, getters that throw).
 *
 * Evidence is weighed, strongest first: a custom rule, an explicit `category` on the error
 * (`RetryableError`, `NonRetryableError`, or any object with a valid `category`), an HTTP status
 * (`status`, `statusCode`, `response.status`), an error `code` or `name`, then words in the
 * message. The whole `cause` chain is read; the strongest evidence wins, and on a tie the outer
 * error wins (it knows more about the operation). An `AggregateError` (anything with an `errors`
 * array) is classified from its inner errors when it says nothing itself: a permanent inner
 * error beats a transient one (retrying the whole operation would fail on that part again),
 * otherwise the first classifiable inner error decides. Thrown strings are read as messages.
 *
 * @example
 * classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })); // 'transient_network'
 * classifyError({ response: { status: 429 } }); // 'transient_rate_limit'
 * classifyError(new Error('wrapped', { cause: { status: 401 } })); // 'permanent_auth'
 * classifyError(null); // 'unknown'
 */
export function classifyError(error: unknown, options?: ClassifyOptions): ErrorCategory {
  try {
    const rules = readRules(options);
    return evaluate(error, rules, new Set(), 0)?.category ?? 'unknown';
  } catch {
    // Belt and braces: every read above is already guarded, but "never throws" is a promise.
    return 'unknown';
  }
}

const MAX_DEPTH = 4;
const MAX_INNER_ERRORS = 32;

function readRules(options: ClassifyOptions | undefined): readonly ClassificationRule[] {
  const rules = readProp(options, 'rules');
  return isArraySafe(rules) ? (rules as ClassificationRule[]) : [];
}

function evaluate(
  error: unknown,
  rules: readonly ClassificationRule[],
  seen: Set<unknown>,
  depth: number,
): Evidence | undefined {
  const chain = causeChain(error, seen);
  const aggregates = depth < MAX_DEPTH && chain.some((node) => isArraySafe(readProp(node, 'errors')));
  if (!aggregates) {
    // Fast path: rules and structural evidence (category, status, code, name) outrank any
    // message, so when the chain has some, the message patterns (the costly part) never run.
    const structural = strongest(chain, (node) => ruleEvidence(node, rules) ?? structuralEvidence(node));
    if (structural) return structural;
    return strongest(chain, messageEvidence);
  }
  return strongest(chain, (node) => nodeEvidence(node, rules, seen, depth));
}

/** Everything one error says: rules, then its own fields and message, and its inner errors. */
function nodeEvidence(
  node: unknown,
  rules: readonly ClassificationRule[],
  seen: Set<unknown>,
  depth: number,
): Evidence | undefined {
  const ruled = ruleEvidence(node, rules);
  if (ruled) return ruled;
  const own = structuralEvidence(node) ?? messageEvidence(node);
  const inner = depth < MAX_DEPTH ? aggregateEvidence(node, rules, seen, depth) : undefined;
  return inner && (!own || inner.strength > own.strength) ? inner : own;
}

/** The strongest evidence over `chain`; on a tie the earlier (outer) error wins. */
function strongest(
  chain: readonly unknown[],
  read: (node: unknown) => Evidence | undefined,
): Evidence | undefined {
  let best: Evidence | undefined;
  for (const node of chain) {
    const evidence = read(node);
    if (evidence && (!best || evidence.strength > best.strength)) best = evidence;
    if (best?.strength === Strength.rule) break;
  }
  return best;
}

function ruleEvidence(node: unknown, rules: readonly ClassificationRule[]): Evidence | undefined {
  for (const rule of rules) {
    const category = applyRule(rule, node);
    if (category) return { category, strength: Strength.rule };
  }
  return undefined;
}

/** Combines the inner errors of an AggregateError: permanent beats transient beats unknown. */
function aggregateEvidence(
  node: unknown,
  rules: readonly ClassificationRule[],
  seen: Set<unknown>,
  depth: number,
): Evidence | undefined {
  const errors = readProp(node, 'errors');
  if (!isArraySafe(errors)) return undefined;
  let firstTransient: Evidence | undefined;
  let firstOther: Evidence | undefined;
  const count = Math.min(readLength(errors), MAX_INNER_ERRORS);
  for (let i = 0; i < count; i++) {
    const evidence = evaluate(readProp(errors, i), rules, seen, depth + 1);
    if (!evidence) continue;
    if (evidence.category.startsWith('permanent_')) return evidence;
    if (evidence.category.startsWith('transient_')) firstTransient ??= evidence;
    else firstOther ??= evidence;
  }
  return firstTransient ?? firstOther;
}

function readLength(array: unknown): number {
  const length = readProp(array, 'length');
  return typeof length === 'number' && Number.isFinite(length) ? length : 0;
}

function applyRule(rule: ClassificationRule, error: unknown): ErrorCategory | undefined {
  try {
    if (typeof rule === 'function') {
      const category = rule(error);
      return isErrorCategory(category) ? category : undefined;
    }
    if (rule === null || typeof rule !== 'object' || !isErrorCategory(rule.category)) return undefined;
    return ruleObjectMatches(rule, error) ? rule.category : undefined;
  } catch {
    return undefined;
  }
}

function ruleObjectMatches(rule: ClassificationRuleObject, error: unknown): boolean {
  let conditions = 0;
  if (rule.match !== undefined) {
    conditions++;
    if (rule.match(error) !== true) return false;
  }
  if (rule.message !== undefined) {
    conditions++;
    const message = typeof error === 'string' ? error : readString(error, 'message');
    if (message === undefined) return false;
    const hit =
      typeof rule.message === 'string'
        ? message.toLowerCase().includes(rule.message.toLowerCase())
        : message.search(rule.message) !== -1;
    if (!hit) return false;
  }
  if (rule.name !== undefined) {
    conditions++;
    if (!oneOf(rule.name, readString(error, 'name'))) return false;
  }
  if (rule.code !== undefined) {
    conditions++;
    if (!oneOf(rule.code, readProp(error, 'code'))) return false;
  }
  if (rule.status !== undefined) {
    conditions++;
    const status =
      toStatusCode(readProp(error, 'status')) ??
      toStatusCode(readProp(error, 'statusCode')) ??
      toStatusCode(readProp(readProp(error, 'response'), 'status'));
    if (!oneOf(rule.status, status)) return false;
  }
  return conditions > 0;
}

function oneOf<T>(expected: T | readonly T[], actual: unknown): boolean {
  if (actual === undefined) return false;
  return isArraySafe(expected) ? (expected as readonly T[]).includes(actual as T) : expected === actual;
}
