-- Fill the jobs table's pages completely. fillfactor 80 kept a fifth of every page free for HOT
-- updates, but no hot-path update of a job can be HOT: a claim, a completion, a failure and a
-- heartbeat each change a column that an index uses as a key or in its predicate (`status`,
-- `lease_expires_at`), so the new row version goes wherever there is room and every matching index
-- takes a new entry anyway (pg_stat_user_tables: n_tup_hot_upd = 0 in the processing benchmark).
-- The free fifth only made every insert spread over more pages: a 1,000-job enqueueMany dirtied
-- ~51 shared buffers with fillfactor 80 and ~43 with 100 (EXPLAIN (ANALYZE, BUFFERS, WAL),
-- medians of six), fewer pages to write back and to log in full after a checkpoint.
-- Only pages filled from now on are affected: no rewrite, no lock beyond a brief one.
ALTER TABLE :SCHEMA:.jobs SET (fillfactor = 100);
