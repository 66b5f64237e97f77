import type { JobFilter } from '@redrive/core';

/**
 * The WHERE conditions of a JobFilter, pushing values onto `params` (anonymous `?`, in order).
 * Lists are bound as ONE JSON text each (`IN (SELECT value FROM json_each(?))`), so a filter binds
 * at most a dozen values whatever its lists hold: D1 allows 100 per statement. `TRUE` when empty.
 */
export function filterConditions(filter: JobFilter, params: unknown[]): string {
  const add = (value: unknown) => {
    params.push(value);
    return '?';
  };
  const list = (value: string | string[]) => JSON.stringify(Array.isArray(value) ? value : [value]);
  const conds: string[] = [];
  if (filter.status !== undefined)
    conds.push(`status IN (SELECT value FROM json_each(${add(list(filter.status))}))`);
  if (filter.type !== undefined)
    conds.push(`type IN (SELECT value FROM json_each(${add(list(filter.type))}))`);
  if (filter.queue !== undefined) conds.push(`queue = ${add(filter.queue)}`);
  if (filter.tenantId === null) conds.push('tenant_id IS NULL');
  else if (filter.tenantId !== undefined) conds.push(`tenant_id = ${add(filter.tenantId)}`);
  if (filter.errorCategory !== undefined) {
    conds.push(`error_category IN (SELECT value FROM json_each(${add(list(filter.errorCategory))}))`);
  }
  if (filter.q !== undefined && filter.q !== '') {
    // instr, not LIKE: a substring, not a pattern, so "50%" means the text "50%". SQLite's
    // lower() folds ASCII letters only, so the match is case-insensitive for ASCII.
    const needle = add(filter.q.toLowerCase());
    conds.push(
      `(instr(lower(id), ${needle}) > 0 OR instr(lower(type), ${add(filter.q.toLowerCase())}) > 0 OR ` +
        `instr(lower(coalesce(title, '')), ${add(filter.q.toLowerCase())}) > 0 OR ` +
        `instr(lower(coalesce(error, '')), ${add(filter.q.toLowerCase())}) > 0)`,
    );
  }
  if (filter.createdFrom !== undefined) conds.push(`created_at >= ${add(filter.createdFrom)}`);
  if (filter.createdTo !== undefined) conds.push(`created_at < ${add(filter.createdTo)}`);
  if (filter.failedFrom !== undefined) conds.push(`failed_at >= ${add(filter.failedFrom)}`);
  if (filter.failedTo !== undefined) conds.push(`failed_at < ${add(filter.failedTo)}`);
  if (filter.ids !== undefined)
    conds.push(`id IN (SELECT value FROM json_each(${add(JSON.stringify(filter.ids))}))`);
  return conds.length > 0 ? conds.join(' AND ') : 'TRUE';
}
