// The end-to-end run of the TypeScript consumer apps, type-checked against the packed .d.ts
// files: the same job retried after a network error and the same 401 dead-lettered as the
// JavaScript apps' scenario.mjs.
import { memoryAdapter } from '@redrive/adapter-memory';
import { createQueue, type DeadLetter, type Job, JobRunner, ValidationError } from '@redrive/core';
import { createHttpHandler } from '@redrive/core/http';
import { z } from 'zod';

export async function scenario(): Promise<{ completed: string; deadLettered: string }> {
  const queue = createQueue({
    adapter: memoryAdapter(),
    policies: {
      flaky: { maxAttempts: 3, initialDelayMs: 5, jitter: 'none', schema: z.object({ n: z.number() }) },
    },
  });
  let calls = 0;
  const runner = new JobRunner({
    queue,
    pollIntervalMs: 5,
    handlers: {
      flaky: async (job: Job) => {
        calls++;
        if (calls === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        return { doubled: (job.payload as { n: number }).n * 2 };
      },
      charge: async () => {
        throw Object.assign(new Error('Unauthorized'), { status: 401 });
      },
    },
  });
  const settled = new Promise<void>((resolve) => {
    let n = 0;
    const one = () => {
      if (++n === 2) resolve();
    };
    runner.on('completed', one);
    runner.on('deadLettered', (_dl: DeadLetter) => one());
  });
  runner.start();
  const flaky = await queue.enqueue('flaky', { n: 21 });
  await queue.enqueue('charge', { amount: 5 });
  await settled;
  await runner.stop();

  const done = await queue.getJob(flaky.id);
  check(
    done.status === 'completed' && (done.result as { doubled: number }).doubled === 42 && done.attempt === 2,
    'flaky job retried once',
  );
  const { deadLetters } = await queue.deadLetters.list({ errorCategory: 'permanent_auth' });
  const [letter] = deadLetters;
  check(deadLetters.length === 1 && letter?.requiresUserAction === true, 'charge dead-lettered');
  const http = createHttpHandler(queue);
  const stats = (await (await http(new Request('http://app/stats'))).json()) as {
    counts: { completed: number };
    deadLetters: number;
  };
  check(stats.counts.completed === 1 && stats.deadLetters === 1, 'GET /stats');
  const removed = await queue.deadLetters.delete(deadLetters.map((d) => d.id));
  check(removed.succeeded.length === 1, 'dead letter deleted');
  // The policy's schema types `flaky` (the packed .d.ts infer it), so this is refused at compile
  // time too; the run-time refusal is what is checked here.
  // @ts-expect-error n must be a number
  const refused = await queue.enqueue('flaky', { n: 'x' }).then(
    () => false,
    (error: unknown) => error instanceof ValidationError && /payload\.n/.test(error.message),
  );
  check(refused, 'payload schema refused');
  return { completed: done.id, deadLettered: letter!.id };
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`consumer smoke: ${what} failed`);
}
