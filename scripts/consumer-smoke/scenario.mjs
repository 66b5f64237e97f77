// The end-to-end run every JavaScript consumer app performs with the modules it loaded its own
// way (ESM import, CommonJS require, a Workers bundle): a job retried after a network error, a
// job dead-lettered on a 401, the dead-letter queue read and emptied, the HTTP handler answering.
export async function scenario({ createQueue, JobRunner, memoryAdapter, createHttpHandler, z }) {
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
      flaky: async (job) => {
        calls++;
        if (calls === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        return { doubled: job.payload.n * 2 };
      },
      charge: async () => {
        throw Object.assign(new Error('Unauthorized'), { status: 401 });
      },
    },
  });
  const settled = new Promise((resolve) => {
    let n = 0;
    const one = () => ++n === 2 && resolve();
    runner.on('completed', one);
    runner.on('deadLettered', one);
  });
  runner.start();
  const flaky = await queue.enqueue('flaky', { n: 21 });
  await queue.enqueue('charge', { amount: 5 });
  await settled;
  await runner.stop();

  const done = await queue.getJob(flaky.id);
  check(
    done.status === 'completed' && done.result.doubled === 42 && done.attempt === 2,
    'flaky job retried once',
  );
  const { deadLetters } = await queue.deadLetters.list({ errorCategory: 'permanent_auth' });
  check(deadLetters.length === 1 && deadLetters[0].requiresUserAction === true, 'charge dead-lettered');
  const http = createHttpHandler(queue);
  const stats = await (await http(new Request('http://app/stats'))).json();
  check(stats.counts.completed === 1 && stats.deadLetters === 1, 'GET /stats');
  const removed = await queue.deadLetters.delete(deadLetters.map((d) => d.id));
  check(removed.succeeded.length === 1, 'dead letter deleted');
  let refused = false;
  try {
    await queue.enqueue('flaky', { n: 'x' });
  } catch (error) {
    refused = error.name === 'ValidationError' && /payload\.n/.test(error.message);
  }
  check(refused, 'payload schema refused');
  return { completed: done.id, deadLettered: deadLetters[0].id };
}

function check(ok, what) {
  if (!ok) throw new Error(`consumer smoke: ${what} failed`);
}
