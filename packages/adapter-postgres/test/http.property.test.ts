/*
 * The HTTP property of core's http.property.test.ts on real Postgres, where a value the store
 * cannot hold used to surface as a 503: arbitrary requests from one tenant answer no 5xx, change
 * nothing of another tenant's, and pollute no prototype.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { checkHttpProperty } from '../../core/src/__tests__/http-property.js';
import { postgresAdapter } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from './helpers.js';

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase('redrive_httpprop');
  pool = new pg.Pool({ connectionString: db.url, max: 10 });
  pool.on('error', () => {});
  await postgresAdapter({ pool }).migrate();
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('HTTP handler properties (postgres)', () => {
  it('arbitrary requests from one tenant: no 5xx, no change to another tenant, no prototype pollution', async () => {
    const adapter = postgresAdapter({ pool, migrate: false });
    try {
      await checkHttpProperty(adapter, 150);
    } finally {
      await adapter.close();
    }
  }, 180_000);
});
