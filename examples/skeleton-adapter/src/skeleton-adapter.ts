import type { StorageAdapter } from '@redrive/core';
import * as leases from './leases.js';
import * as reads from './reads.js';
import type { Table } from './table.js';
import * as writes from './writes.js';

/**
 * The smallest honest `StorageAdapter`: the required methods only, over a plain `Map` of JSON
 * rows, with linear scans and no indexes. It passes every conformance check that needs no
 * capability, and is meant to be copied as the start of an adapter for another store
 * (docs/guides/writing-an-adapter.md walks through it).
 *
 * Every method is `async` and its body never awaits: JavaScript runs it to the end before any
 * other call, so each method is atomic on its own. A real store keeps that promise with one
 * statement, one batch or one transaction per method.
 *
 * No capability is declared, so core uses its defaults: runners poll instead of being woken
 * (`subscribe`), bulk actions call `transition` once per job (`bulkTransition`), health lists no
 * workers (`workers`, `releaseWorker`), the dashboard has no throughput chart (`throughput`),
 * every expired lease costs an attempt (`crashRefunds`), `ping` falls back to `getJob`, and
 * `close` is not needed.
 *
 * @param table The store: a fresh `Map` unless given (pass one to inspect it in tests).
 * @example
 * const queue = createQueue({ adapter: skeletonAdapter() });
 */
export function skeletonAdapter(table: Table = new Map()): StorageAdapter {
  return {
    name: 'skeleton',
    capabilities: {},

    // Claim and the writes fenced by its lease token (leases.ts).
    claim: async (request) => leases.claim(table, request),
    heartbeat: async (request) => leases.heartbeat(table, request),
    complete: async (id, request) => leases.complete(table, id, request),
    fail: async (id, request) => leases.fail(table, id, request),
    release: async (id, request) => leases.release(table, id, request),
    progress: async (id, request) => leases.progress(table, id, request),
    checkpoint: async (id, request) => leases.checkpoint(table, id, request),
    recoverExpiredLeases: async (request) => leases.recoverExpiredLeases(table, request),

    // Inserts, guarded status changes and deletes (writes.ts).
    enqueue: async (jobs) => writes.enqueue(table, jobs),
    transition: async (id, request) => writes.transition(table, id, request),
    deleteJobs: async (ids, options) => writes.deleteJobs(table, ids, options),
    purge: async (request) => writes.purge(table, request),

    // Reads (reads.ts).
    getJob: async (id) => reads.getJob(table, id),
    getRetryHistory: async (id) => reads.getRetryHistory(table, id),
    listJobs: async (request) => reads.listJobs(table, request),
    listDeadLetters: async (request) => reads.listDeadLetters(table, request),
    stats: async (filter) => reads.stats(table, filter),
  };
}
