/*
 * Vitest globalSetup for the Postgres adapter tests (registered in the root vitest.config.ts).
 *
 * Cheap when PostgreSQL is up: one connection attempt to DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres). When nothing answers, it starts a throwaway
 * server from the Debian binaries (initdb + pg_ctl as the `postgres` user, in a temp dir, on a
 * free port), and stops and deletes it after the run. Tests read the URL with inject('databaseUrl').
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const BIN = '/usr/lib/postgresql/15/bin';

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A TCP port nothing listens on now (for a throwaway server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const url = process.env.DATABASE_URL ?? DEFAULT_URL;
  if (await reachable(url)) {
    project.provide('databaseUrl', url);
    return undefined;
  }
  // initdb refuses to run as root: run the server as `postgres` in a directory it owns.
  const dir = mkdtempSync(join(tmpdir(), 'redrive-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const asPostgres = (cmd: string, args: string[]) => {
    const isRoot = process.getuid?.() === 0;
    return isRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(BIN, cmd), ...args], { stdio: 'pipe' })
      : execFileSync(join(BIN, cmd), args, { stdio: 'pipe' });
  };
  asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  asPostgres('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    'start',
  ]);
  const fallbackUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  if (!(await reachable(fallbackUrl))) throw new Error(`throwaway PostgreSQL did not start; see ${dir}/log`);
  console.log(`[adapter-postgres] ${url} unreachable: started a throwaway server at ${fallbackUrl}`);
  project.provide('databaseUrl', fallbackUrl);
  return () => {
    try {
      asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
