-- Throughput (finished jobs per minute, for a dashboard's chart) counted by the store. Dead letters
-- are found by time through jobs_dlq_idx (failed_at); completed jobs had no index on their finish
-- time, so "completed in the last hour" would read every completed job. This partial index holds
-- completed jobs only, keyed by completed_at, with type and tenant_id alongside so the per-minute
-- count of one type or tenant is an index-only scan. Cost: a completion writes one more index entry
-- (the primary key, jobs_settled_idx and this one).
-- Like every migration it runs in one transaction: on a large table the CREATE INDEX blocks
-- writes to `jobs` while it builds.
CREATE INDEX jobs_completed_at_idx ON :SCHEMA:.jobs (completed_at) INCLUDE (type, tenant_id)
  WHERE status = 'completed';
