/** What the API process and the workers share: one database, one queue definition. */

import { postgresAdapter } from '@redrive/adapter-postgres';
import { createQueue, NonRetryableError, type Queue } from '@redrive/core';
import pg from 'pg';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function openQueue(): {
  queue: Queue;
  pool: pg.Pool;
  close(): Promise<void>;
} {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
  const adapter = postgresAdapter({
    pool,
    schema: process.env.REDRIVE_SCHEMA ?? 'redrive',
  });
  const queue = createQueue({
    adapter,
    policies: {
      'email.send': { maxAttempts: 3 },
      'report.build': { maxAttempts: 2 },
    },
  });
  return {
    queue,
    pool,
    async close() {
      await adapter.close();
      await pool.end();
    },
  };
}

/** The handlers: an email that sometimes hits a flaky SMTP server, a report that may be invalid. */
export const handlers = {
  'email.send': async (job: { payload: unknown; attempt: number }) => {
    const { to } = job.payload as { to: string };
    if (to.endsWith('@flaky.example') && job.attempt === 1) throw new Error('ECONNRESET talking to SMTP');
    await new Promise((r) => setTimeout(r, 20));
    return { deliveredTo: to };
  },
  'report.build': async (job: { payload: unknown }) => {
    const { month } = job.payload as { month: string };
    if (!/^\d{4}-\d{2}$/.test(month)) throw new NonRetryableError(`invalid month "${month}"`);
    await new Promise((r) => setTimeout(r, 50));
    return { rows: 42 };
  },
};
