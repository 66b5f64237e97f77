/*
 * A property over the HTTP handler, shared by the memory run (core) and the Postgres run
 * (adapter-postgres/test): arbitrary methods, paths, ids, query strings and JSON bodies sent by
 * tenant `a` never answer a 5xx (the store is up), never change tenant `b`'s jobs, and never add
 * anything to Object.prototype.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { StorageAdapter } from '../adapter/storage-adapter.js';
import { createHttpHandler } from '../http/create-http-handler.js';
import { createQueue } from '../queue/create-queue.js';
import { JOB_FILTER_KEYS } from '../queue/filter-keys.js';
import { JobRunner } from '../runner/job-runner.js';

const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'prototype', 'hasOwnProperty', 'valueOf'];

/** Strings an attacker would try: prototype names, NUL, lone surrogates, encodings, long text. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ...PROTO_NAMES,
      '\u0000',
      'a\u0000b',
      '\uD800',
      'x\uDFFFy',
      '',
      ' ',
      '%',
      '..',
      'a'.repeat(300),
    ),
  },
);

const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e300, -1, 0, 0.5, 8.64e15 + 1),
);

const leaf = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
/** JSON values whose keys include prototype names. */
const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc
    .array(fc.tuple(fc.oneof(hostileString, fc.constantFrom(...PROTO_NAMES)), tie('value')), { maxLength: 4 })
    .map((entries) => {
      // Built through JSON text so `__proto__` is an own key, as a parsed request body has it.
      const text = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;
      return JSON.parse(text) as unknown;
    }),
})).value;

const OPTION_KEYS = [
  'priority',
  'runAt',
  'delayMs',
  'idempotencyKey',
  'maxAttempts',
  'maxRetries',
  'tenantId',
  'title',
  'metadata',
  'timeoutMs',
  'queue',
  'db',
  ...PROTO_NAMES,
];
const FILTER_KEYS = [...JOB_FILTER_KEYS, 'category', '__proto__'];

function objectOf(keys: string[], value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 4 })
    .map((entries) =>
      JSON.parse(
        `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`,
      ),
    );
}

const body: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: hostileJson },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        type: fc.oneof(hostileString, fc.constantFrom(...PROTO_NAMES), fc.constantFrom('ok', 'fails')),
        payload: hostileJson,
        options: objectOf(OPTION_KEYS, fc.oneof(leaf, hostileJson)),
      },
      { requiredKeys: ['type'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      action: fc.constantFrom('retry', 'cancel', 'delete', 'nope', '__proto__'),
      filter: objectOf(FILTER_KEYS, fc.oneof(leaf, fc.constantFrom('b', 'queued', 'failed'))),
      limit: fc.oneof(hostileNumber, fc.constant(1000)),
    }),
  },
  { weight: 1, arbitrary: fc.record({ ids: fc.array(hostileString, { maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ olderThanMs: hostileNumber }) },
);

// The filter keys, paging, and a name the API no longer takes (refused, naming its replacement).
const QUERY_KEYS = [...JOB_FILTER_KEYS, 'limit', 'cursor', 'category'];

const ROUTES: Array<[string, string]> = [
  ['GET', '/jobs'],
  ['POST', '/jobs'],
  ['POST', '/jobs/bulk'],
  ['GET', '/jobs/{id}'],
  ['GET', '/jobs/{id}/retries'],
  ['POST', '/jobs/{id}/retry'],
  ['POST', '/jobs/{id}/restart'],
  ['POST', '/jobs/{id}/pause'],
  ['POST', '/jobs/{id}/resume'],
  ['POST', '/jobs/{id}/cancel'],
  ['DELETE', '/jobs/{id}'],
  ['GET', '/stats'],
  ['GET', '/health'],
  ['GET', '/dead-letters'],
  ['GET', '/dead-letters/{id}'],
  ['DELETE', '/dead-letters/{id}'],
  ['POST', '/dead-letters/redrive'],
  ['POST', '/dead-letters/purge'],
];

/** One arbitrary request, with `{b}` standing for one of tenant b's job ids. */
export const hostileRequest = fc.record({
  route: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...ROUTES) },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD'),
        fc.constantFrom(...ROUTES.map(([, p]) => p), '/{id}', '/jobs/{id}/{id}'),
      ),
    },
  ),
  id: fc.oneof(hostileString, fc.constant('{b}'), fc.constant('{a}')),
  query: fc.array(
    fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS, ...PROTO_NAMES), hostileString), hostileString),
    { maxLength: 3 },
  ),
  body: fc.option(
    fc.oneof(
      { weight: 6, arbitrary: body.map((b) => JSON.stringify(b) ?? 'null') },
      { weight: 1, arbitrary: hostileString },
    ),
    { nil: undefined, freq: 6 },
  ),
  json: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
});

/** Tenant b's jobs as they must stay: id → status and last change. */
async function snapshot(adapter: StorageAdapter): Promise<Map<string, string>> {
  const page = await adapter.listJobs({ tenantId: 'b', limit: 1000 });
  return new Map(page.jobs.map((j) => [j.id, `${j.status}@${j.updatedAt}`]));
}

/**
 * Seeds both tenants (queued, completed and dead-lettered jobs each), then checks the property
 * over `numRuns` arbitrary requests from tenant `a`.
 */
export async function checkHttpProperty(adapter: StorageAdapter, numRuns: number): Promise<void> {
  const queue = createQueue({ adapter, policies: { fails: { maxAttempts: 1 } } });
  const ids: Record<'a' | 'b', string[]> = { a: [], b: [] };
  for (const tenant of ['a', 'b'] as const) {
    const scope = { tenantId: tenant };
    for (const type of ['ok', 'fails', 'ok'])
      ids[tenant].push((await queue.enqueue(type, null, undefined, scope)).id);
  }
  const runner = new JobRunner({
    queue,
    handlers: {
      ok: async () => 'done',
      fails: async () => {
        throw new Error('boom');
      },
    },
  });
  await runner.drain();
  for (const tenant of ['a', 'b'] as const)
    ids[tenant].push((await queue.enqueue('ok', null, undefined, { tenantId: tenant })).id);

  const api = createHttpHandler(queue, { authorize: () => ({ tenantId: 'a' }), onError: () => {} });
  const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  const before = await snapshot(adapter);
  expect(before.size).toBe(4);

  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(hostileRequest, fc.nat(3)), { minLength: 1, maxLength: 4 }),
      async (requests) => {
        for (const [req, pick] of requests) await send(req, pick);
      },
    ),
    { numRuns },
  );

  async function send(req: typeof hostileRequest extends fc.Arbitrary<infer R> ? R : never, pick: number) {
    const [method, template] = req.route;
    const id =
      req.id === '{b}'
        ? ids.b[pick % ids.b.length]!
        : req.id === '{a}'
          ? ids.a[pick % ids.a.length]!
          : req.id;
    let path = template.replace('{id}', encodeURIComponent(id.replace(/[\uD800-\uDFFF]/g, '\uFFFD')));
    if (/[\uD800-\uDFFF]/.test(id)) path = template.replace('{id}', '%ED%A0%80'); // a lone surrogate, UTF-8 encoded
    const url = new URL(`http://x${path}`);
    for (const [k, v] of req.query)
      url.searchParams.append(k.replace(/[\uD800-\uDFFF]/g, ''), v.replace(/[\uD800-\uDFFF]/g, ''));
    const withBody = req.body !== undefined && method !== 'GET' && method !== 'HEAD';
    const res = await api(
      new Request(url, {
        method,
        headers: req.json ? { 'content-type': 'application/json' } : {},
        body: withBody ? req.body : null,
      }),
    );
    const text = await res.text();
    expect(res.status, `${method} ${url.pathname}${url.search} ${req.body ?? ''} → ${text}`).toBeLessThan(
      500,
    );
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
    expect(({} as Record<string, unknown>).queued).toBeUndefined();
    expect(await snapshot(adapter)).toEqual(before);
  }
}
