import type { JobsQuery, Page, PageQuery } from '../../client/jobs-client.js';

/** How many items match, up to a limit: `matching` counted, `eligible` of them accepted, `more` beyond the limit. */
export interface MatchCount {
  matching: number;
  eligible: number;
  more: boolean;
}

/**
 * Counts what a bulk action on a filter would touch, by paging the list (keyset, 1000 at a time)
 * until `limit` items were seen: the confirmation shows a real number, not an estimate.
 */
export async function countMatching<T>(
  load: (query: PageQuery) => Promise<Page<T>>,
  query: JobsQuery,
  limit: number,
  isEligible: (item: T) => boolean = () => true,
): Promise<MatchCount> {
  let matching = 0;
  let eligible = 0;
  let cursor: string | null = null;
  do {
    const page: Page<T> = await load({ ...query, limit: Math.min(1000, limit - matching), cursor });
    for (const item of page.items) {
      matching++;
      if (isEligible(item)) eligible++;
    }
    cursor = page.nextCursor;
  } while (cursor && matching < limit);
  return { matching, eligible, more: cursor !== null };
}
