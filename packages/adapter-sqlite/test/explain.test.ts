/*
 * Query plans of the statements that run per job or per page, read with EXPLAIN QUERY PLAN on a
 * SQLite file holding a realistic spread of jobs (D1 runs the same SQLite planner on the same
 * schema). Each must search an index, never scan the jobs table.
 */
// The dialect's own statement text (not part of the package's public surface).

import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { claimSql } from '../../adapter-d1/src/dialect/sql/claim.js';
import { COMPLETE_SQL } from '../../adapter-d1/src/dialect/sql/complete.js';
import { sqliteAdapter } from '../src/index.js';

let db: Database.Database;

beforeAll(async () => {
  db = new Database(':memory:');
  await sqliteAdapter(db).migrate();
  const insert = db.prepare(
    `INSERT INTO redrive_jobs (id, type, queue, status, run_at, created_at, updated_at, max_attempts, failed_at, lease_expires_at)
     VALUES (?, ?, 'default', ?, ?, ?, ?, 3, ?, ?)`,
  );
  const statuses = ['queued', 'running', 'completed', 'failed', 'cancelled', 'paused'];
  db.transaction(() => {
    for (let i = 0; i < 6000; i++) {
      const status = statuses[i % 6]!;
      insert.run(
        `j${i}`,
        `t${i % 5}`,
        status,
        i,
        i,
        i,
        status === 'failed' ? i : null,
        status === 'running' ? i : null,
      );
    }
  })();
  db.exec('ANALYZE');
});

function plan(sql: string): string {
  const text = `EXPLAIN QUERY PLAN ${sql.replace(/\?\d+/g, '?')}`;
  // The planner does not look at the bound values (no STAT4 here): nulls stand in for them.
  const values = Array.from(text.matchAll(/\?/g), () => null);
  const rows = db.prepare(text).all(...values) as { detail: string }[];
  return rows.map((r) => r.detail).join('\n');
}

describe('query plans', () => {
  it('claim walks redrive_jobs_claim_idx in claim order, with no sort', () => {
    const p = plan(claimSql(true, true));
    expect(p).toContain('redrive_jobs_claim_idx');
    expect(p).not.toContain('TEMP B-TREE');
  });

  it('completion finds each row by primary key', () => {
    const p = plan(COMPLETE_SQL);
    expect(p).toMatch(/SEARCH j USING INDEX sqlite_autoindex_redrive_jobs_1 \(id=\?\)/);
  });

  it('lease recovery walks redrive_jobs_lease_idx', () => {
    const p = plan(
      `SELECT id FROM redrive_jobs WHERE status = 'running' AND lease_expires_at <= ? ORDER BY lease_expires_at LIMIT ?`,
    );
    expect(p).toContain('redrive_jobs_lease_idx');
    expect(p).not.toContain('TEMP B-TREE');
  });

  it('dead-letter pages walk redrive_jobs_dlq_idx in order', () => {
    const p = plan(`SELECT * FROM redrive_jobs WHERE TRUE AND status = 'failed' AND (failed_at, id) < (?, ?)
      ORDER BY failed_at DESC, id DESC LIMIT ?`);
    expect(p).toContain('redrive_jobs_dlq_idx');
    expect(p).not.toContain('TEMP B-TREE');
  });

  it('job pages walk redrive_jobs_created_idx in order', () => {
    const p = plan(
      `SELECT * FROM redrive_jobs WHERE TRUE AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?`,
    );
    expect(p).toContain('redrive_jobs_created_idx');
    expect(p).not.toContain('TEMP B-TREE');
  });

  it('stats count from redrive_jobs_status_type_idx alone', () => {
    const p = plan('SELECT status, type, count(*) AS n FROM redrive_jobs WHERE TRUE GROUP BY status, type');
    expect(p).toContain('COVERING INDEX redrive_jobs_status_type_idx');
  });

  it('purge takes the oldest of a status from redrive_jobs_purge_idx', () => {
    const p =
      plan(`SELECT id FROM redrive_jobs WHERE status IN (SELECT value FROM json_each(?)) AND updated_at < ?
      ORDER BY updated_at LIMIT ?`);
    expect(p).toContain('redrive_jobs_purge_idx');
  });
});
