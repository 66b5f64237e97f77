/*
 * One error-message style everywhere: `[redrive] [<area>] what went wrong`. The sources of every
 * package are scanned for errors built with a literal message, and the HTTP API's error bodies
 * (every status it answers with, 405 and the fixed 500/503 texts included) are checked as sent.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryAdapter } from '@redrive/adapter-memory';
import { describe, expect, it } from 'vitest';
import { AdapterError } from '../errors/redrive-error.js';
import { createHttpHandler } from '../http/create-http-handler.js';
import { HttpError } from '../http/http-errors.js';
import { createQueue } from '../queue/create-queue.js';

const STYLE = /^\[redrive\] \[[\w.:/-]+\] \S/;
const packages = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === '__tests__' || name === 'node_modules' || name === 'dist') continue;
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.tsx?$/.test(name) && !/\.test(-d)?\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

// Errors that reach users as they are. HttpError is left out: its constructor adds `[redrive] [http]`
// (and is checked through the responses below); a plain Error built inside an adapter is the
// `cause` of the AdapterError that reports it.
const ERROR =
  /new (RedriveError|ValidationError|NotFoundError|InvalidStateError|LeaseLostError|AdapterError|JobsClientError|TypeError|RangeError)\(\s*(?:'[A-Z_]+',\s*)?(['"`])/g;

describe('error messages in the sources', () => {
  const files = readdirSync(packages).flatMap((pkg) => {
    const src = join(packages, pkg, 'src');
    return statSync(src, { throwIfNoEntry: false })?.isDirectory() ? sources(src) : [];
  });

  it('scans every package', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('every literal message starts [redrive] [<area>]', () => {
    const offending: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(ERROR)) {
        const lineStart = text.lastIndexOf('\n', match.index) + 1;
        if (/^\s*(\*|\/\/)/.test(text.slice(lineStart, match.index))) continue; // a doc comment's example
        const message = text.slice(match.index + match[0].length, match.index + match[0].length + 60);
        if (!/^\[redrive\] \[/.test(message)) {
          const line = text.slice(0, match.index).split('\n').length;
          offending.push(`${file.slice(packages.length)}:${line} ${message.split('\n')[0]}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });
});

describe('HTTP error bodies', () => {
  const queue = createQueue({ adapter: memoryAdapter() });
  const json = { 'content-type': 'application/json' };

  it.each<[number, (h: (r: Request) => Promise<Response>) => Promise<Response>, object?]>([
    [400, (h) => h(new Request('http://x/jobs?stauts=failed'))],
    [401, (h) => h(new Request('http://x/jobs')), { authorize: () => null }],
    [
      403,
      (h) => h(new Request('http://x/jobs/a/cancel', { method: 'POST', headers: json })),
      { readOnly: true },
    ],
    [404, (h) => h(new Request('http://x/nowhere'))],
    [405, (h) => h(new Request('http://x/jobs', { method: 'PUT' }))],
    [
      413,
      (h) => h(new Request('http://x/jobs', { method: 'POST', headers: json, body: 'x'.repeat(200) })),
      { maxBodyBytes: 100 },
    ],
    [415, (h) => h(new Request('http://x/jobs', { method: 'POST', body: '{}' }))],
    [
      500,
      (h) => h(new Request('http://x/jobs')),
      {
        authorize: () => {
          throw new Error('boom');
        },
        onError: () => {},
      },
    ],
    [
      503,
      (h) => h(new Request('http://x/jobs')),
      {
        authorize: () => {
          throw new AdapterError('[redrive] [test] down');
        },
        onError: () => {},
      },
    ],
    [
      403,
      (h) => h(new Request('http://x/jobs')),
      {
        authorize: () => {
          throw new HttpError('FORBIDDEN', 'blocked');
        },
      },
    ],
  ])('%i: the message starts [redrive] [<area>]', async (status, send, options = {}) => {
    const res = await send(createHttpHandler(queue, options));
    expect(res.status).toBe(status);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toMatch(STYLE);
  });

  it('409: an action that does not fit the status', async () => {
    const job = await queue.enqueue('t', null);
    await queue.cancelJob(job.id);
    const res = await createHttpHandler(queue)(
      new Request(`http://x/jobs/${job.id}/resume`, { method: 'POST', headers: json }),
    );
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(STYLE);
  });
});
