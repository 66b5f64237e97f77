/*
 * The answer of a fenced write (fail, release): exactly one row, the CTE `upd`'s row when the
 * write applied (its columns NULL otherwise), plus `was_cancelled`: whether the job was cancelled
 * while the presented token held it. That subquery reads the statement's snapshot, i.e. the row
 * as it was before this statement, so it tells a cancel from a lost lease when nothing applied.
 *
 * Parameters: the caller's placeholders for the job id and the lease token.
 */

/** `SELECT` that ends a fenced write statement whose updating CTE is named `upd`. */
export function fencedAnswerSql(s: string, id: string, token: string): string {
  return `SELECT upd.*, (SELECT c.status = 'cancelled' FROM ${s}.jobs c
      WHERE c.id = ${id} AND c.lease_token = ${token}) AS was_cancelled
    FROM (SELECT 1) AS one LEFT JOIN upd ON true`;
}
