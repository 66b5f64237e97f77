/** Shared helpers of the Postgres benchmark: databases, timing, percentiles, the client's cost. */
import net from 'node:net';
import pg from 'pg';

export const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** One row of bench/results/postgres.json. */
export interface ResultRow {
  lib: string;
  version: string;
  scenario: string;
  concurrency?: number;
  jobsPerSec?: number;
  p50Ms?: number;
  p95Ms?: number;
  /** CPU time (user + system) of this Node process per job over the timed part, in µs. */
  cpuUsPerJob?: number;
  /** Socket writes (write system calls) of this Node process per job over the timed part. */
  writesPerJob?: number;
  note?: string;
  /** Every round's figures when the bench ran several rounds (the row holds their median). */
  trials?: Pick<ResultRow, 'jobsPerSec' | 'p50Ms' | 'p95Ms' | 'cpuUsPerJob' | 'writesPerJob' | 'note'>[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** One row per (lib, scenario, concurrency): the median of its rounds, every round in `trials`. */
export function medianRows(all: ResultRow[]): ResultRow[] {
  const groups = new Map<string, ResultRow[]>();
  for (const r of all) {
    const key = `${r.lib}|${r.scenario}|${r.concurrency ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((rs) => {
    const first = rs[0]!;
    const pick = (f: keyof ResultRow) =>
      rs.map((r) => r[f]).filter((v): v is number => typeof v === 'number');
    const out: ResultRow = { ...first };
    for (const f of ['jobsPerSec', 'p50Ms', 'p95Ms', 'cpuUsPerJob', 'writesPerJob'] as const) {
      const xs = pick(f);
      if (xs.length > 0)
        out[f] =
          f === 'cpuUsPerJob'
            ? cpuRound(median(xs))
            : round(median(xs), f === 'jobsPerSec' ? 0 : f === 'writesPerJob' ? 3 : 2);
    }
    if (rs.length > 1)
      out.trials = rs.map((r) => ({
        jobsPerSec: r.jobsPerSec,
        p50Ms: r.p50Ms,
        p95Ms: r.p95Ms,
        cpuUsPerJob: r.cpuUsPerJob,
        writesPerJob: r.writesPerJob,
      }));
    return out;
  });
}

/** What each library's driver implements; every scenario gets a fresh database. */
export interface LibDriver {
  lib: string;
  version: string;
  /** Scenario groups this driver runs (default all). */
  groups?: string[];
  /** Set up schema/queues on a fresh database. */
  setup(url: string): Promise<void>;
  /** Enqueue one job of `kind`. */
  enqueueOne(kind: string, payload: Record<string, unknown>): Promise<void>;
  /** Enqueue many jobs of `kind` in one call. */
  enqueueBulk(kind: string, payloads: Record<string, unknown>[]): Promise<void>;
  /** Start working `kind` at `concurrency`; `onJob` runs for every job (a no-op handler). Returns stop. */
  work(
    kind: string,
    concurrency: number,
    onJob: (payload: Record<string, unknown>) => void,
  ): Promise<() => Promise<void>>;
  /** The configuration used, for the results. */
  config(concurrency: number): string;
  teardown(): Promise<void>;
}

export async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export const nowMs = () => performance.timeOrigin + performance.now();

/**
 * Write system calls of this process to its sockets so far. Every library talks to PostgreSQL
 * through `pg` on a `net.Socket`, whose writes (one buffer, or several corked ones as one
 * `writev`) all go through `_writeGeneric`: counting there counts what reaches the kernel, the
 * same way for every library. Unlike CPU time, which on a shared virtual machine varies by a
 * fifth from round to round, this count is exact: it is the statements (or pipelined batches of
 * them) that a library sends per job, the part of the client's cost that round trips make.
 * `undefined` on a Node whose sockets have no `_writeGeneric` (the row then shows no count).
 */
let socketWrites: number | undefined;
{
  const proto = net.Socket.prototype as unknown as { _writeGeneric?: (...args: unknown[]) => unknown };
  const original = proto._writeGeneric;
  if (typeof original === 'function') {
    socketWrites = 0;
    proto._writeGeneric = function (this: net.Socket, ...args: unknown[]) {
      // A write made while connecting is parked and made again once connected: count that one.
      if (!this.connecting) socketWrites! += 1;
      return original.apply(this, args);
    };
  }
}

/**
 * Starts the client's meters: the function it returns gives, per job since, the CPU time of this
 * process (µs, user + system, all threads) and its socket writes.
 */
export function clientMeter(): (jobs: number) => { cpuUsPerJob: number; writesPerJob?: number } {
  const start = process.cpuUsage();
  const writes = socketWrites;
  return (jobs) => {
    const used = process.cpuUsage(start);
    return {
      cpuUsPerJob: cpuRound((used.user + used.system) / jobs),
      writesPerJob:
        writes === undefined || socketWrites === undefined
          ? undefined
          : round((socketWrites - writes) / jobs, 3),
    };
  };
}

/** µs of CPU per job: two decimals below 10 (bulk enqueue's ~1 µs), one above. */
const cpuRound = (us: number) => round(us, us < 10 ? 2 : 1);

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;
