import type { JobFilter } from '@redrive/core';

/**
 * Builds the WHERE conditions of a JobFilter, pushing values onto `params` (so placeholders
 * continue the caller's numbering). Returns `TRUE` for an empty filter. Column references are
 * qualified by `alias` when given.
 */
export function filterConditions(filter: JobFilter, params: unknown[], alias = ''): string {
  const p = alias ? `${alias}.` : '';
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
  const conds: string[] = [];

  if (filter.status !== undefined) conds.push(`${p}status = ANY(${add(list(filter.status))}::text[])`);
  if (filter.type !== undefined) conds.push(`${p}type = ANY(${add(list(filter.type))}::text[])`);
  if (filter.queue !== undefined) conds.push(`${p}queue = ${add(filter.queue)}`);
  if (filter.tenantId === null) conds.push(`${p}tenant_id IS NULL`);
  else if (filter.tenantId !== undefined) conds.push(`${p}tenant_id = ${add(filter.tenantId)}`);
  if (filter.errorCategory !== undefined) {
    conds.push(`${p}error_category = ANY(${add(list(filter.errorCategory))}::text[])`);
  }
  if (filter.q !== undefined && filter.q !== '') {
    // A substring, not a pattern: escape LIKE's wildcards so "50%" means the text "50%".
    const needle = add(`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    conds.push(
      `(${p}id ILIKE ${needle} OR ${p}type ILIKE ${needle} OR ${p}title ILIKE ${needle} OR ${p}error ILIKE ${needle})`,
    );
  }
  if (filter.createdFrom !== undefined) conds.push(`${p}created_at >= ${add(filter.createdFrom)}`);
  if (filter.createdTo !== undefined) conds.push(`${p}created_at < ${add(filter.createdTo)}`);
  if (filter.failedFrom !== undefined) conds.push(`${p}failed_at >= ${add(filter.failedFrom)}`);
  if (filter.failedTo !== undefined) conds.push(`${p}failed_at < ${add(filter.failedTo)}`);
  if (filter.ids !== undefined) conds.push(`${p}id = ANY(${add(filter.ids)}::text[])`);
  return conds.length ? conds.join(' AND ') : 'TRUE';
}
