-- Fewer index writes per job. A claim and a completion both change `status`, so neither is a
-- HOT update: each writes a new entry into every index whose predicate the new row version
-- matches. jobs_status_type_idx (every row) and jobs_finished_idx (finished rows) become one
-- partial index over the settled states: a job's insert (queued) and its claim (running) no
-- longer write to it, and its completion writes one entry instead of two. Stats count queued and
-- running jobs through jobs_claim_idx and jobs_lease_idx, which hold those rows anyway
-- (sql/stats.ts); purge and processing-time stats walk (status, updated_at) as before.
-- Like every migration it runs in one transaction: on a large table the CREATE INDEX blocks
-- writes to `jobs` while it builds.
DROP INDEX :SCHEMA:.jobs_status_type_idx;
DROP INDEX :SCHEMA:.jobs_finished_idx;
CREATE INDEX jobs_settled_idx ON :SCHEMA:.jobs (status, updated_at, type)
  WHERE status IN ('paused', 'completed', 'failed', 'cancelled');
