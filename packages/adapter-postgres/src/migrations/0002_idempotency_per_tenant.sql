-- Idempotency keys are unique per (tenant, key) among live jobs, the null tenant being its own
-- space (contract change). Two partial unique indexes instead of one over (tenant_id, key):
-- NULLS NOT DISTINCT needs PostgreSQL 15, and this must run on 13.
DROP INDEX :SCHEMA:.jobs_idempotency_idx;
CREATE UNIQUE INDEX jobs_idempotency_tenant_idx ON :SCHEMA:.jobs (tenant_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL AND tenant_id IS NOT NULL AND status IN ('queued', 'running', 'paused');
CREATE UNIQUE INDEX jobs_idempotency_idx ON :SCHEMA:.jobs (idempotency_key)
  WHERE idempotency_key IS NOT NULL AND tenant_id IS NULL AND status IN ('queued', 'running', 'paused');
