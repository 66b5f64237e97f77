/*
 * The answer of a fenced write that changed nothing: `cancelled` when the job was cancelled while
 * this token held it (a cancel keeps the token, see transition.ts), else a lost lease. The row's
 * state is read by the last statement of the write's own batch, so nothing can change in between.
 */
import type { WriteRefused } from '@redrive/core';
import type { SqlResult, SqlStatement } from '../executor.js';
import { JOBS } from '../row.js';
import type { SqlContext } from './context.js';

/** The statement reading a job's status and token, for the end of a write's batch. */
export function currentState(ctx: SqlContext, id: string): SqlStatement {
  return ctx.db.prepare(`SELECT status, lease_token FROM ${JOBS} WHERE id = ?1`).bind(id);
}

/** The refusal, from `currentState`'s result. */
export function refused(current: SqlResult | undefined, leaseToken: string): WriteRefused {
  const row = current?.results[0];
  return { ok: false, cancelled: row?.status === 'cancelled' && row.lease_token === leaseToken };
}
