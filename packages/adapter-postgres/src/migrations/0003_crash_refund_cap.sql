-- A claimed-ahead (prefetched) job whose worker crashed before any heartbeat listed it gets its
-- attempt back on recovery: it may never have started. But a job that kills its worker at once
-- would then never be charged and never reach the dead-letter queue. `crash_refunds` counts those
-- refunds so recovery stops giving them after a few (see sql/recover.ts).
ALTER TABLE :SCHEMA:.jobs ADD COLUMN crash_refunds integer NOT NULL DEFAULT 0;
