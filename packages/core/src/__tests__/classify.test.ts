import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ClassificationRule,
  classifyError,
  ERROR_CATEGORIES,
  NonRetryableError,
  PermanentError,
  RetryableError,
  ValidationError,
} from '../index.js';

const withProps = (message: string, props: Record<string, unknown>) =>
  Object.assign(new Error(message), props);
const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });

describe('classifyError: every row of the classification table', () => {
  const rows: Array<[string, unknown, string]> = [
    // transient_network
    ["new Error('ETIMEDOUT')", new Error('ETIMEDOUT'), 'transient_network'],
    ['message with timeout', new Error('Request timeout after 30s'), 'transient_network'],
    ['message with network', new Error('Network error while calling upstream'), 'transient_network'],
    ['message with econnreset', new Error('read ECONNRESET'), 'transient_network'],
    ['code ETIMEDOUT', { code: 'ETIMEDOUT' }, 'transient_network'],
    ['code ECONNRESET', withProps('socket closed', { code: 'ECONNRESET' }), 'transient_network'],
    ['code ECONNREFUSED', withProps('connect failed', { code: 'ECONNREFUSED' }), 'transient_network'],
    ['code ENOTFOUND', withProps('getaddrinfo failed', { code: 'ENOTFOUND' }), 'transient_network'],
    // transient_rate_limit
    ['status 429', { status: 429 }, 'transient_rate_limit'],
    ['message rate limit', new Error('Rate limit exceeded'), 'transient_rate_limit'],
    ['message too many requests', new Error('Too Many Requests'), 'transient_rate_limit'],
    // transient_server
    ['status 500', { status: 500 }, 'transient_server'],
    ['status 502', { status: 502 }, 'transient_server'],
    ['status 503', { status: 503 }, 'transient_server'],
    ['status 599', { status: 599 }, 'transient_server'],
    // transient_db_lock
    ['database is locked', new Error('database is locked'), 'transient_db_lock'],
    ['SQLITE_BUSY message', new Error('SQLITE_BUSY: cannot commit'), 'transient_db_lock'],
    ['SQLITE_BUSY code', withProps('x', { code: 'SQLITE_BUSY' }), 'transient_db_lock'],
    ['busy', new Error('Resource busy, try again'), 'transient_db_lock'],
    ['D1 lock error', new Error('D1_ERROR: database is locked: SQLITE_BUSY'), 'transient_db_lock'],
    ['D1 overloaded', new Error('D1 DB is overloaded. Requests queued for too long.'), 'transient_db_lock'],
    ['D1 overloaded (D1_ERROR prefix)', new Error('D1_ERROR: Database is overloaded'), 'transient_db_lock'],
    // permanent_validation
    ["name 'ValidationError'", named('ValidationError'), 'permanent_validation'],
    ['status 400', { status: 400 }, 'permanent_validation'],
    ['status 422', { status: 422 }, 'permanent_validation'],
    ['message invalid', new Error('Invalid email address'), 'permanent_validation'],
    ['message insufficient', new Error('insufficient data to build the report'), 'permanent_validation'],
    ['message required', new Error('field "title" is required'), 'permanent_validation'],
    ['message validation', new Error('Validation failed for payload'), 'permanent_validation'],
    ['message malformed', new Error('Malformed JSON in body'), 'permanent_validation'],
    // permanent_auth
    ['status 401', { status: 401 }, 'permanent_auth'],
    ['status 403', { status: 403 }, 'permanent_auth'],
    ['message unauthorized', new Error('Unauthorized'), 'permanent_auth'],
    ['message forbidden', new Error('Forbidden: you cannot do that'), 'permanent_auth'],
    ['message api key', new Error('Incorrect API key provided'), 'permanent_auth'],
    ['message authentication', new Error('Authentication failed'), 'permanent_auth'],
    // permanent_not_found
    ['status 404', { status: 404 }, 'permanent_not_found'],
    ['message not found', new Error('Document not found'), 'permanent_not_found'],
    ['message does not exist', new Error('Bucket does not exist'), 'permanent_not_found'],
    // permanent_security
    ["name 'SecurityError'", named('SecurityError'), 'permanent_security'],
    ['message dangerous import', new Error('Dangerous import detected: child_process'), 'permanent_security'],
    ['message sandbox', new Error('Sandbox violation'), 'permanent_security'],
    ['message security', new Error('Blocked by security policy'), 'permanent_security'],
    ['message not allowed', new Error('eval is not allowed here'), 'permanent_security'],
    // unknown
    ['null', null, 'unknown'],
    ['undefined', undefined, 'unknown'],
    ['a string', 'something odd happened', 'unknown'],
    ['a number', 42, 'unknown'],
    ['a plain Error', new Error('boom'), 'unknown'],
    ['an empty object', {}, 'unknown'],
  ];
  it.each(rows)('%s → %s', (_label, input, expected) => {
    expect(classifyError(input)).toBe(expected);
  });
});

describe('classifyError: precedence', () => {
  it('lets a status code win over the message', () => {
    expect(classifyError(withProps('Invalid response from upstream', { status: 503 }))).toBe(
      'transient_server',
    );
    expect(classifyError(withProps('timeout talking to api', { status: 401 }))).toBe('permanent_auth');
    expect(classifyError(withProps('rate limit', { statusCode: 400 }))).toBe('permanent_validation');
  });

  it('reads HTTP client shapes: status, statusCode, response.status, numeric strings', () => {
    expect(classifyError({ statusCode: 429 })).toBe('transient_rate_limit');
    expect(classifyError(withProps('Request failed', { response: { status: 404 } }))).toBe(
      'permanent_not_found',
    );
    expect(classifyError({ response: { statusCode: 502 } })).toBe('transient_server');
    expect(classifyError({ status: '503' })).toBe('transient_server');
    expect(classifyError(new Error('Request failed with status code 429'))).toBe('transient_rate_limit');
  });

  it('ignores status fields that are not HTTP codes (a job status, 0, 200)', () => {
    expect(classifyError({ status: 'failed', message: 'network down' })).toBe('transient_network');
    expect(classifyError({ status: 0 })).toBe('unknown');
    expect(classifyError({ status: 200, message: 'ok' })).toBe('unknown');
  });

  it('honours explicit categories over status codes and messages', () => {
    expect(classifyError(new RetryableError('invalid but retry anyway'))).toBe('transient_server');
    expect(classifyError(new RetryableError('x', { category: 'transient_rate_limit' }))).toBe(
      'transient_rate_limit',
    );
    expect(classifyError(new NonRetryableError('network timeout, but give up'))).toBe('permanent_validation');
    expect(classifyError(new PermanentError('x', { category: 'permanent_quota' }))).toBe('permanent_quota');
    expect(classifyError({ category: 'permanent_auth', status: 503 })).toBe('permanent_auth');
    // An invalid category field is not evidence.
    expect(classifyError({ category: 'flaky', status: 503 })).toBe('transient_server');
  });

  it("classifies Redrive's own ValidationError as permanent_validation", () => {
    expect(classifyError(new ValidationError('[config] x: bad'))).toBe('permanent_validation');
  });

  it('reads timeouts from AbortSignal.timeout() as transient_timeout', async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(classifyError(signal.reason)).toBe('transient_timeout');
    expect(classifyError({ status: 408 })).toBe('transient_timeout');
  });

  it('understands PostgreSQL SQLSTATE codes', () => {
    expect(classifyError(withProps('deadlock detected', { code: '40P01' }))).toBe('transient_db_lock');
    expect(classifyError(withProps('could not serialize access', { code: '40001' }))).toBe(
      'transient_db_lock',
    );
    expect(classifyError(withProps('duplicate key value', { code: '23505' }))).toBe('permanent_validation');
    expect(classifyError(withProps('terminating connection', { code: '57P01' }))).toBe('transient_server');
  });

  it('tells quota errors apart (permanent_quota) and keeps them permanent', () => {
    expect(classifyError({ status: 402 })).toBe('permanent_quota');
    expect(classifyError(new Error('You exceeded your current quota'))).toBe('permanent_quota');
    expect(classifyError(new Error('Insufficient credits'))).toBe('permanent_quota');
  });

  it('reads thrown strings as messages', () => {
    expect(classifyError('rate limit exceeded')).toBe('transient_rate_limit');
    expect(classifyError('ETIMEDOUT')).toBe('transient_network');
  });
});

describe('classifyError: cause chains and AggregateError', () => {
  it('finds the category in a cause chain', () => {
    const root = withProps('connect failed', { code: 'ECONNREFUSED' });
    const wrapped = new Error('could not sync invoices', {
      cause: new Error('fetch layer', { cause: root }),
    });
    expect(classifyError(wrapped)).toBe('transient_network');
  });

  it('prefers stronger evidence deeper in the chain over a message outside', () => {
    const wrapped = new Error('invalid state while syncing', { cause: { status: 503 } });
    expect(classifyError(wrapped)).toBe('transient_server');
  });

  it('lets the outer error win at equal strength', () => {
    const wrapped = new Error('rate limit hit', { cause: new Error('Forbidden') });
    expect(classifyError(wrapped)).toBe('transient_rate_limit');
  });

  it('lets an explicit category on a cause beat a status on the wrapper', () => {
    const wrapped = withProps('upstream', {
      status: 500,
      cause: new NonRetryableError('bad', { category: 'permanent_auth' }),
    });
    expect(classifyError(wrapped)).toBe('permanent_auth');
  });

  it('survives cyclic cause chains', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    const b = new Error('network down', { cause: a });
    a.cause = b;
    expect(classifyError(a)).toBe('transient_network');
  });

  it('classifies an AggregateError from its inner errors: permanent beats transient', () => {
    expect(classifyError(new AggregateError([new Error('ETIMEDOUT'), { status: 404 }]))).toBe(
      'permanent_not_found',
    );
    expect(classifyError(new AggregateError([new Error('boom'), { status: 429 }]))).toBe(
      'transient_rate_limit',
    );
    expect(classifyError(new AggregateError([new Error('boom'), 'nothing']))).toBe('unknown');
    expect(classifyError(new AggregateError([]))).toBe('unknown');
  });

  it('weighs inner errors of an AggregateError against the rest of the chain by strength', () => {
    // An inner HTTP status (strength: status) beats an error code on the outer error...
    const inner = new AggregateError([{ status: 404 }]);
    expect(classifyError(withProps('x', { code: 'ECONNRESET', cause: inner }))).toBe('permanent_not_found');
    // ...while an explicit category on the outer error beats it.
    expect(classifyError(new RetryableError('x', { cause: inner }))).toBe('transient_server');
    // Structural evidence deep in a plain chain beats every message above it.
    const deep = new Error('invalid thing', {
      cause: new Error('rate limit', { cause: { code: 'SQLITE_BUSY' } }),
    });
    expect(classifyError(deep)).toBe('transient_db_lock');
  });

  it('reads AggregateError inside a cause chain, and nested aggregates', () => {
    const inner = new AggregateError([new AggregateError([{ code: 'ECONNRESET' }])]);
    expect(classifyError(new Error('batch failed', { cause: inner }))).toBe('transient_network');
  });
});

describe('classifyError: custom rules', () => {
  class VendorError extends Error {
    constructor(readonly retryable: boolean) {
      super('vendor said no');
    }
  }

  it('runs rules before built-ins, in order, in every shape', () => {
    const rules: ClassificationRule[] = [
      (e) =>
        e instanceof VendorError ? (e.retryable ? 'transient_server' : 'permanent_validation') : undefined,
      { category: 'permanent_quota', message: /insufficient_quota/ },
      { category: 'transient_server', status: [409] },
      { category: 'transient_db_lock', code: 'P2034' },
      { category: 'permanent_auth', name: 'TokenExpired' },
      { category: 'transient_network', match: (e) => (e as { flaky?: boolean }).flaky === true },
    ];
    expect(classifyError(new VendorError(true), { rules })).toBe('transient_server');
    expect(classifyError(new VendorError(false), { rules })).toBe('permanent_validation');
    expect(classifyError(withProps('insufficient_quota', { status: 429 }), { rules })).toBe(
      'permanent_quota',
    );
    expect(classifyError({ status: 409 }, { rules })).toBe('transient_server');
    expect(classifyError({ code: 'P2034' }, { rules })).toBe('transient_db_lock');
    expect(classifyError(named('TokenExpired'), { rules })).toBe('permanent_auth');
    expect(classifyError({ flaky: true, status: 404 }, { rules })).toBe('transient_network');
    expect(classifyError({ status: 404 }, { rules })).toBe('permanent_not_found');
  });

  it('applies rules to causes, and a rule on a cause beats a status on the wrapper', () => {
    const rules: ClassificationRule[] = [{ category: 'permanent_quota', code: 'BILLING' }];
    const wrapped = withProps('upstream', { status: 503, cause: { code: 'BILLING' } });
    expect(classifyError(wrapped, { rules })).toBe('permanent_quota');
  });

  it('requires every condition of an object rule, and at least one', () => {
    const rules: ClassificationRule[] = [
      { category: 'permanent_quota', message: 'limit', status: 402 },
      { category: 'permanent_auth' },
    ];
    expect(classifyError(withProps('Limit reached', { status: 402 }), { rules })).toBe('permanent_quota');
    expect(classifyError(withProps('Limit reached', { status: 400 }), { rules })).toBe(
      'permanent_validation',
    );
    expect(classifyError(new Error('boom'), { rules })).toBe('unknown');
  });

  it('treats a rule that throws or returns a non-category as no match', () => {
    const rules = [
      () => {
        throw new Error('rule bug');
      },
      () => 'not-a-category',
      { category: 'nope', message: /.*/ },
    ] as unknown as ClassificationRule[];
    expect(classifyError({ status: 503 }, { rules })).toBe('transient_server');
  });

  it('ignores malformed options', () => {
    expect(classifyError({ status: 503 }, { rules: 'x' } as never)).toBe('transient_server');
    expect(classifyError({ status: 503 }, null as never)).toBe('transient_server');
  });
});

describe('classifyError never throws', () => {
  it('on hostile values', () => {
    const throwingGetters = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        has() {
          throw new Error('trap');
        },
      },
    );
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    const getterError = Object.defineProperty(new Error('x'), 'message', {
      get() {
        throw new Error('boom');
      },
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.cause = cyclic;
    cyclic.errors = [cyclic];
    const nullProto = Object.create(null);
    const values = [
      null,
      undefined,
      Symbol('s'),
      10n,
      () => {},
      throwingGetters,
      revocable.proxy,
      getterError,
      cyclic,
      nullProto,
      { errors: new Array(1e6) },
      { message: 'x'.repeat(1e6) },
    ];
    for (const value of values) expect(ERROR_CATEGORIES).toContain(classifyError(value));
  });

  it('on anything fast-check can build', () => {
    fc.assert(
      fc.property(
        fc.anything({ withObjectString: true, withNullPrototype: true, withBigInt: true }),
        (value) => {
          expect(ERROR_CATEGORIES).toContain(classifyError(value));
        },
      ),
      { numRuns: 500 },
    );
  });
});
