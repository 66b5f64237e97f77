import { ValidationError } from '@redrive/core';
import { type ConnectionOptions, validateConnection } from './connection.js';
import { quoteSchema } from './identifiers.js';

/** Options of {@link postgresAdapter}. */
export type PostgresAdapterOptions = ConnectionOptions & {
  /** Schema holding Redrive's tables. Default `'redrive'`. Plain identifiers only (letters, digits, `_`). */
  schema?: string | undefined;
  /**
   * Apply the shipped migrations on first use (under an advisory lock, so many workers may start
   * at once). Default `true`. Set `false` when a deploy step runs `migrate()` and the app's role
   * may not run DDL.
   */
  migrate?: boolean | undefined;
  /**
   * Extra wait before a batch of completions is written. Default `0`: adaptive batching
   * (completions arriving while a batch is being written go out together as the next batch).
   */
  completeBatchDelayMs?: number | undefined;
  /** Most completions in one statement. Default `500`. */
  completeBatchSize?: number | undefined;
  /**
   * Commit claims, heartbeats and completions with `synchronous_commit = off` (that statement
   * only). Default `true`. A crash of the database server may then lose the last few hundred ms
   * of them; the jobs concerned run again when their lease expires (at-least-once, exactly as
   * after a worker crash). Enqueues, failures, releases and transitions always wait for the
   * flush. Set `false` to make every write wait.
   */
  asyncCommit?: boolean | undefined;
  /** Called with errors of the background LISTEN connection (it reconnects by itself). */
  onListenError?: ((error: unknown) => void) | undefined;
};

/** Options with defaults applied, validated. */
export interface ResolvedOptions {
  schema: string;
  quoted: string;
  migrate: boolean;
  completeBatchDelayMs: number;
  completeBatchSize: number;
  asyncCommit: boolean;
}

function nonNegativeInteger(value: unknown, path: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValidationError(
      `[redrive] [postgres] ${path} must be an integer >= ${min}, got ${String(value)}`,
      {
        issues: [{ path, message: `must be an integer >= ${min}` }],
      },
    );
  }
  return value;
}

const KNOWN_KEYS = new Set([
  'pool',
  'connectionString',
  'poolSize',
  'schema',
  'migrate',
  'completeBatchDelayMs',
  'completeBatchSize',
  'asyncCommit',
  'onListenError',
]);

/**
 * Validates every option, naming the bad field; applies defaults. An unknown key is refused like
 * core refuses one: a misspelt option (`prefech`) would otherwise silently do nothing.
 */
export function resolveOptions(options: PostgresAdapterOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ValidationError(
      '[redrive] [postgres] postgresAdapter needs options: { pool } or { connectionString }',
      {
        issues: [{ path: 'options', message: 'required' }],
      },
    );
  }
  if ('prefetch' in options) {
    throw new ValidationError(
      '[redrive] [postgres] postgresAdapter: prefetch: was removed; JobRunner claims ahead by itself (its `claimAhead` option)',
      { issues: [{ path: 'prefetch', message: 'was removed; JobRunner claims ahead (claimAhead)' }] },
    );
  }
  const unknown = Object.keys(options).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) {
    throw new ValidationError(
      `[redrive] [postgres] postgresAdapter: ${unknown.map((k) => `${k}: is not a known option`).join('; ')}`,
      { issues: unknown.map((path) => ({ path, message: 'is not a known option' })) },
    );
  }
  validateConnection(options, 'postgresAdapter');
  const schema = options.schema ?? 'redrive';
  for (const key of ['migrate', 'asyncCommit'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') {
      throw new ValidationError(`[redrive] [postgres] ${key} must be a boolean`, {
        issues: [{ path: key, message: 'must be a boolean' }],
      });
    }
  }
  if (options.onListenError !== undefined && typeof options.onListenError !== 'function') {
    throw new ValidationError('[redrive] [postgres] onListenError must be a function', {
      issues: [{ path: 'onListenError', message: 'must be a function' }],
    });
  }
  return {
    schema,
    quoted: quoteSchema(schema),
    migrate: options.migrate ?? true,
    completeBatchDelayMs: nonNegativeInteger(options.completeBatchDelayMs, 'completeBatchDelayMs', 0),
    completeBatchSize: nonNegativeInteger(options.completeBatchSize, 'completeBatchSize', 500, 1),
    asyncCommit: options.asyncCommit ?? true,
  };
}
