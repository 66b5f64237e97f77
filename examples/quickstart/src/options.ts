/** The demo's command-line flags, each with an environment variable for CI and scripts. */
import { parseArgs } from 'node:util';

export interface DemoOptions {
  /** Stop after this many ms (and once the opening story is told), exit 0. Default: run until Ctrl-C. */
  runForMs: number | null;
  /** Port of the dashboard and API on 127.0.0.1; 0 picks a free one. Default 3000. */
  port: number;
  /** Quick jobs enqueued at the start, so the dashboard has a history. Default 300. */
  seed: number;
  /** New jobs per minute. Default 60; 0 stops the stream (the story and the seed still run). */
  rate: number;
}

export const USAGE = `Usage: npm run demo -- [--port N] [--seed N] [--rate N] [--run-for MS]

  --port N      port on 127.0.0.1 for the dashboard and the API (env PORT, default 3000, 0 = any free port)
  --seed N      quick jobs added at the start, for a history (env REDRIVE_DEMO_SEED, default 300)
  --rate N      new jobs per minute (env REDRIVE_DEMO_RATE, default 60, 0 = none)
  --run-for MS  stop after MS milliseconds and exit 0, for tests and CI (env REDRIVE_DEMO_RUN_FOR_MS;
                default: run until Ctrl-C)`;

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Reads flags, then the environment; throws a message naming the bad flag. */
export function readOptions(argv: string[], env: NodeJS.ProcessEnv): DemoOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      rate: { type: 'string' },
      'run-for': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const int = (flag: string, raw: string | undefined, fallback: number | null, max: number) => {
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) > max)
      throw new Error(`--${flag} must be an integer from 0 to ${max}, got "${raw}"`);
    return Number(raw);
  };
  return {
    port: int('port', values.port ?? env.PORT, 3000, 65_535)!,
    seed: int('seed', values.seed ?? env.REDRIVE_DEMO_SEED, 300, 100_000)!,
    rate: int('rate', values.rate ?? env.REDRIVE_DEMO_RATE, 60, 60_000)!,
    runForMs: int('run-for', values['run-for'] ?? env.REDRIVE_DEMO_RUN_FOR_MS, null, MAX_TIMER_MS),
  };
}
