-- Redrive on SQLite (Cloudflare D1, or a SQLite file through @redrive/adapter-sqlite), version 1.
--
-- `wrangler d1 migrations apply` runs this file as it is; `adapter.migrate()` runs the same
-- statements, compiled into the package at build time (scripts/gen-migrations.mjs), and records
-- them in the same `d1_migrations` table wrangler uses, so either tool sees what the other applied.
-- Every statement is IF NOT EXISTS: the file applies cleanly to a database that already has it.
--
-- Timestamps are epoch milliseconds (INTEGER) exactly as the adapter contract passes them, so
-- core's injected clock decides every comparison. JSON values are TEXT; booleans are 0/1.
-- No foreign keys: D1 enforces them and SQLite files do only with a pragma, so history rows are
-- deleted by the same batch that deletes their job instead of by a cascade.

CREATE TABLE IF NOT EXISTS redrive_jobs (
  id TEXT PRIMARY KEY NOT NULL,
  type TEXT NOT NULL,
  queue TEXT NOT NULL,
  tenant_id TEXT,
  payload TEXT,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled')),
  priority INTEGER NOT NULL DEFAULT 0,
  progress TEXT,
  attempt INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  error TEXT,
  error_stack TEXT,
  error_category TEXT,
  last_error_at INTEGER,
  run_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  started_at INTEGER,
  completed_at INTEGER,
  failed_at INTEGER,
  title TEXT,
  metadata TEXT NOT NULL DEFAULT '{}',
  result TEXT,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  lease_token TEXT,
  checkpoint TEXT,
  paused_at INTEGER,
  resumed_at INTEGER,
  pause_reason TEXT,
  resume_count INTEGER NOT NULL DEFAULT 0,
  pause_requested INTEGER NOT NULL DEFAULT 0,
  idempotency_key TEXT,
  timeout_ms INTEGER,
  redrive_count INTEGER NOT NULL DEFAULT 0,
  requires_user_action INTEGER NOT NULL DEFAULT 0,
  suggested_action TEXT
);

-- Claim and run-at: due jobs by priority, then creation, then insertion order (the rowid every
-- SQLite index ends with). Partial, so it holds only the backlog; run_at rides in the key, so
-- delayed jobs are passed over inside the index without reading their rows. No separate run_at
-- index: with one the planner prefers a run_at range plus a sort of every due job.
CREATE INDEX IF NOT EXISTS redrive_jobs_claim_idx ON redrive_jobs (priority DESC, created_at, run_at)
  WHERE status = 'queued';
-- Lease expiry: recovery takes the oldest expired leases first; listWorkers counts per owner.
CREATE INDEX IF NOT EXISTS redrive_jobs_lease_idx ON redrive_jobs (lease_expires_at) WHERE status = 'running';
-- Dead-letter listing, newest failure first, keyset on (failed_at, id).
CREATE INDEX IF NOT EXISTS redrive_jobs_dlq_idx ON redrive_jobs (failed_at DESC, id DESC) WHERE status = 'failed';
-- Job listing, newest first, keyset on (created_at, id).
CREATE INDEX IF NOT EXISTS redrive_jobs_created_idx ON redrive_jobs (created_at DESC, id DESC);
-- Stats (counts per status and type, index only) and retention purge ((status, updated_at) range).
CREATE INDEX IF NOT EXISTS redrive_jobs_status_type_idx ON redrive_jobs (status, type);
CREATE INDEX IF NOT EXISTS redrive_jobs_purge_idx ON redrive_jobs (status, updated_at);
-- Idempotency: one live job per (tenant, key); the null tenant is its own space (SQLite treats
-- NULLs as distinct in a unique index, hence a second index for it).
CREATE UNIQUE INDEX IF NOT EXISTS redrive_jobs_idem_tenant_idx ON redrive_jobs (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL AND tenant_id IS NOT NULL AND status IN ('queued', 'running', 'paused');
CREATE UNIQUE INDEX IF NOT EXISTS redrive_jobs_idem_idx ON redrive_jobs (idempotency_key)
  WHERE idempotency_key IS NOT NULL AND tenant_id IS NULL AND status IN ('queued', 'running', 'paused');

-- Retry history: one row per failed attempt, trimmed per job by the writer.
CREATE TABLE IF NOT EXISTS redrive_job_history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  error TEXT NOT NULL,
  stack TEXT,
  error_category TEXT NOT NULL,
  delay_ms INTEGER NOT NULL,
  dead_lettered INTEGER NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS redrive_job_history_job_idx ON redrive_job_history (job_id, seq);

-- Workers as last seen through their heartbeats.
CREATE TABLE IF NOT EXISTS redrive_workers (
  worker_id TEXT PRIMARY KEY NOT NULL,
  last_seen_at INTEGER NOT NULL,
  active_jobs INTEGER NOT NULL
);
