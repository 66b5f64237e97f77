/** The scenarios, run the same way for every library. */
import { clientMeter, type LibDriver, nowMs, percentile, type ResultRow, round, sleep } from './common.js';

const ONE_BY_ONE = Number(process.env.BENCH_ONE_BY_ONE ?? 2_000);
const PRODUCERS = 20;
const PER_PRODUCER = Number(process.env.BENCH_PER_PRODUCER ?? 100);
const BULK = Number(process.env.BENCH_BULK ?? 100_000);
const BULK_CHUNK = 1_000;
const PROCESS = Number(process.env.BENCH_PROCESS ?? 20_000);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY ?? 400);
/** BENCH_WARM_UP=0 times every scenario cold (see {@link warmUp}). */
const WARM = process.env.BENCH_WARM_UP !== '0';

/**
 * Every timed part is measured warm, the same way for every library: before it, the same
 * operations run untimed (when BENCH_WARM_UP is not 0), so that V8's one-time compiling of a
 * library's code is not billed per job. What is measured is the steady cost per job that a
 * long-running process pays. (A forced full GC before each part was tried and dropped: it made
 * the parts after it slower and noisier for every library.)
 */
async function warmUp(warm: () => Promise<void>): Promise<void> {
  if (WARM) await warm();
}

const bulkOf = (n: number, from = 0) => Array.from({ length: n }, (_, k) => ({ i: from + k }));

function row(d: LibDriver, scenario: string, extra: Partial<ResultRow>): ResultRow {
  return { lib: d.lib, version: d.version, scenario, ...extra };
}

/** `PRODUCERS` concurrent producers, each enqueueing `perProducer` jobs one at a time. */
async function produce(d: LibDriver, kind: string, perProducer: number): Promise<void> {
  await Promise.all(
    Array.from({ length: PRODUCERS }, async (_, p) => {
      for (let i = 0; i < perProducer; i++) await d.enqueueOne(kind, { p, i });
    }),
  );
}

export async function enqueueScenarios(d: LibDriver): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  // The concurrent producers also grow each library's connection pool to what they use, so that
  // opening those connections (and preparing statements on them) is not billed to the timed part.
  await warmUp(async () => {
    for (let i = 0; i < 1_000; i++) await d.enqueueOne('warm', { i });
    await produce(d, 'warm', 50);
    for (let i = 0; i < 20; i++) await d.enqueueBulk('warm', bulkOf(BULK_CHUNK));
  });
  let t0 = nowMs();
  let cost = clientMeter();
  for (let i = 0; i < ONE_BY_ONE; i++) await d.enqueueOne('enq', { i });
  rows.push(
    row(d, 'enqueue one-by-one', {
      jobsPerSec: round((ONE_BY_ONE * 1000) / (nowMs() - t0)),
      ...cost(ONE_BY_ONE),
    }),
  );

  t0 = nowMs();
  cost = clientMeter();
  await produce(d, 'enq', PER_PRODUCER);
  rows.push(
    row(d, 'enqueue 20 producers', {
      concurrency: PRODUCERS,
      jobsPerSec: round((PRODUCERS * PER_PRODUCER * 1000) / (nowMs() - t0)),
      ...cost(PRODUCERS * PER_PRODUCER),
    }),
  );

  t0 = nowMs();
  cost = clientMeter();
  for (let i = 0; i < BULK; i += BULK_CHUNK) {
    await d.enqueueBulk('enq', bulkOf(Math.min(BULK_CHUNK, BULK - i), i));
  }
  rows.push(
    row(d, `enqueue bulk (${BULK_CHUNK}/call)`, {
      jobsPerSec: round((BULK * 1000) / (nowMs() - t0)),
      ...cost(BULK),
    }),
  );
  return rows;
}

/**
 * Enqueues `n` no-op jobs of `kind`, then works them to the end at `concurrency`: wall time and CPU
 * per job from just before the worker starts to the `n`th handler call. Throws after 180 s.
 */
async function enqueueAndWork(
  d: LibDriver,
  kind: string,
  concurrency: number,
  n: number,
): Promise<{ elapsedMs: number; cpuUsPerJob: number; writesPerJob?: number }> {
  for (let i = 0; i < n; i += BULK_CHUNK) await d.enqueueBulk(kind, bulkOf(Math.min(BULK_CHUNK, n - i), i));
  let done = 0;
  let finished!: () => void;
  const all = new Promise<void>((r) => {
    finished = r;
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${d.lib}: only ${done}/${n} jobs ran in 180 s`)), 180_000);
  });
  const t0 = nowMs();
  const cost = clientMeter();
  const stop = await d.work(kind, concurrency, () => {
    if (++done === n) finished();
  });
  try {
    await Promise.race([all, timeout]);
  } finally {
    clearTimeout(timer);
  }
  const elapsedMs = nowMs() - t0;
  const spent = cost(n);
  await stop();
  return { elapsedMs, ...spent };
}

export async function processingScenario(d: LibDriver, concurrency: number): Promise<ResultRow> {
  const kind = `work${concurrency}`;
  // Warm-up: a tenth of the timed run, on a kind of its own, worked to the end at the same concurrency.
  await warmUp(async () => {
    await enqueueAndWork(d, `${kind}warm`, concurrency, Math.max(1, Math.floor(PROCESS / 10)));
  });
  const { elapsedMs, ...spent } = await enqueueAndWork(d, kind, concurrency, PROCESS);
  return row(d, `process ${PROCESS} no-op jobs`, {
    concurrency,
    jobsPerSec: round((PROCESS * 1000) / elapsedMs),
    ...spent,
    note: d.config(concurrency),
  });
}

export async function latencyScenario(d: LibDriver): Promise<ResultRow> {
  const samples: number[] = [];
  let resolveStarted: (() => void) | undefined;
  const stop = await d.work('lat', 10, (payload) => {
    samples.push(nowMs() - (payload.t as number));
    resolveStarted?.();
  });
  await sleep(500); // let the worker reach its idle wait (LISTEN / poll)
  const sample = async (i: number) => {
    const started = new Promise<void>((r) => {
      resolveStarted = r;
    });
    await d.enqueueOne('lat', { t: nowMs(), i });
    await Promise.race([started, sleep(5_000)]);
    await sleep(10);
  };
  // Warm as the other parts are: as many untimed jobs as timed ones. A few dozen leave most of an
  // idle worker's path unoptimised by V8, and the CPU per job then measures how soon a library's
  // code gets compiled rather than what a job costs a long-running worker.
  await warmUp(async () => {
    for (let i = 0; i < LATENCY_SAMPLES; i++) await sample(i);
  });
  samples.length = 0;
  // Enqueue, wake-up, claim, run and complete of one job at a time, idle waits included.
  const cost = clientMeter();
  for (let i = 0; i < LATENCY_SAMPLES; i++) await sample(i);
  const spent = cost(LATENCY_SAMPLES);
  await stop();
  const sorted = samples.slice(-LATENCY_SAMPLES).sort((a, b) => a - b);
  return row(d, 'enqueue→start latency (idle worker)', {
    p50Ms: round(percentile(sorted, 50), 2),
    p95Ms: round(percentile(sorted, 95), 2),
    ...spent,
    note: `${sorted.length}/${LATENCY_SAMPLES} started within 5 s`,
  });
}
