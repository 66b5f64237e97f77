-- Redrive on SQLite, version 2: the two facts core's crash refund reads (capabilities.crashRefunds).
--
-- `prefetched` is 1 from a claim until a heartbeat reports the lease's run started: a job its
-- worker held claimed ahead when it died is handed back by lease recovery with that mark, and core
-- gives its attempt back. `crash_refunds` counts those refunds per job, so that a job that kills
-- its worker before any heartbeat is charged after a few (core's rule, not the store's).
--
-- SQLite has no ADD COLUMN IF NOT EXISTS: unlike 0001 this file applies once (wrangler records it
-- in d1_migrations; `adapter.migrate()` tolerates a concurrent migrator that applied it first).

ALTER TABLE redrive_jobs ADD COLUMN prefetched INTEGER NOT NULL DEFAULT 0;
ALTER TABLE redrive_jobs ADD COLUMN crash_refunds INTEGER NOT NULL DEFAULT 0;
