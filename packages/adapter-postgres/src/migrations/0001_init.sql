-- Redrive schema, version 1. `:SCHEMA:` is replaced by the quoted schema name at run time.
--
-- Timestamps are epoch milliseconds (bigint), exactly as the adapter contract passes them:
-- core's injected clock stays authoritative for run_at and lease comparisons, so a fake clock
-- in tests behaves like the real one, and no time zone conversion ever happens.

CREATE TABLE :SCHEMA:.jobs (
  id text PRIMARY KEY,
  type text NOT NULL,
  queue text NOT NULL,
  tenant_id text,
  payload jsonb,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled')),
  priority integer NOT NULL DEFAULT 0,
  progress jsonb,
  attempt integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL,
  error text,
  error_stack text,
  error_category text,
  last_error_at bigint,
  run_at bigint NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  started_at bigint,
  completed_at bigint,
  failed_at bigint,
  title text,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  result jsonb,
  lease_owner text,
  lease_expires_at bigint,
  lease_token text,
  -- True from a claim until the worker's first heartbeat lists the lease: the job may still sit
  -- in a claim-ahead buffer, so a crash recovery gives its attempt back (see recover.ts).
  prefetched boolean NOT NULL DEFAULT false,
  checkpoint jsonb,
  paused_at bigint,
  resumed_at bigint,
  pause_reason text,
  resume_count integer NOT NULL DEFAULT 0,
  pause_requested boolean NOT NULL DEFAULT false,
  idempotency_key text,
  timeout_ms integer,
  redrive_count integer NOT NULL DEFAULT 0,
  requires_user_action boolean NOT NULL DEFAULT false,
  suggested_action text
) WITH (fillfactor = 80);

-- Claim: the next due jobs by priority, oldest first. Partial, so it only holds the backlog.
CREATE INDEX jobs_claim_idx ON :SCHEMA:.jobs (priority DESC, created_at, id, run_at) WHERE status = 'queued';
-- Lease-expiry sweeper.
CREATE INDEX jobs_lease_idx ON :SCHEMA:.jobs (lease_expires_at) WHERE status = 'running';
-- Dead-letter listing, newest failure first, keyset on (failed_at, id).
CREATE INDEX jobs_dlq_idx ON :SCHEMA:.jobs (failed_at DESC, id DESC) WHERE status = 'failed';
-- Job listing, newest first, keyset on (created_at, id).
CREATE INDEX jobs_created_idx ON :SCHEMA:.jobs (created_at DESC, id DESC);
-- Stats: counts per status and type from an index-only scan instead of the heap.
CREATE INDEX jobs_status_type_idx ON :SCHEMA:.jobs (status, type);
-- Retention purge and processing-time stats over finished jobs, in bounded batches.
CREATE INDEX jobs_finished_idx ON :SCHEMA:.jobs (status, updated_at)
  WHERE status IN ('completed', 'failed', 'cancelled');
-- Idempotency: one live job per key.
CREATE UNIQUE INDEX jobs_idempotency_idx ON :SCHEMA:.jobs (idempotency_key)
  WHERE idempotency_key IS NOT NULL AND status IN ('queued', 'running', 'paused');

-- Retry history: one row per failed attempt, capped per job by the writer (the newest historyLimit).
CREATE TABLE :SCHEMA:.job_history (
  job_id text NOT NULL REFERENCES :SCHEMA:.jobs (id) ON DELETE CASCADE,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  attempt integer NOT NULL,
  error text NOT NULL,
  stack text,
  error_category text NOT NULL,
  delay_ms bigint NOT NULL,
  dead_lettered boolean NOT NULL,
  at bigint NOT NULL,
  PRIMARY KEY (job_id, seq)
);

-- Workers as last seen through their heartbeats, for listWorkers and the dashboard.
CREATE TABLE :SCHEMA:.workers (
  worker_id text PRIMARY KEY,
  last_seen_at bigint NOT NULL,
  active_jobs integer NOT NULL
);
