-- Two fewer index writes per job. jobs_created_idx held every row, so a job's claim and its
-- completion (both non-HOT updates, since `status` sits in partial-index predicates) each wrote a
-- new (created_at, id) entry into it: measured ~3.7 µs of a 400-job claim's ~20 µs per row.
-- Listing now reads each state from an index that state's rows are written to anyway:
--   queued:    jobs_queued_idx (below), written by an enqueue and a re-queue, as jobs_claim_idx;
--   settled (paused, completed, failed, cancelled): jobs_settled_idx, now keyed by
--              (status, created_at, id) so each state is one range in listing order; `type`
--              rides along (INCLUDE) for index-only stats counts;
--   running:   jobs_lease_idx (at most the workers' capacity, sorted per page).
-- A claim now writes the primary key and jobs_lease_idx; a completion the primary key and
-- jobs_settled_idx. Listing, bulk transitions and purge take one ordered branch per state
-- (sql/per-state.ts).
-- Like every migration it runs in one transaction: on a large table the CREATE INDEX blocks
-- writes to `jobs` while it builds.
DROP INDEX :SCHEMA:.jobs_created_idx;
DROP INDEX :SCHEMA:.jobs_settled_idx;
CREATE INDEX jobs_queued_idx ON :SCHEMA:.jobs (created_at DESC, id DESC) WHERE status = 'queued';
CREATE INDEX jobs_settled_idx ON :SCHEMA:.jobs (status, created_at DESC, id DESC) INCLUDE (type)
  WHERE status IN ('paused', 'completed', 'failed', 'cancelled');
