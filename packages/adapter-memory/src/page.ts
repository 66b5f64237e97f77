import { type Job, ValidationError } from '@redrive/core';
import { BinaryHeap } from './heap.js';
import type { StoredJob } from './stored-job.js';

/** A position in a listing: the sort key of the last job of the previous page. */
export interface PageKey {
  at: number;
  id: string;
}

/** Opaque to callers; URL-safe so it can travel in a query string as is. */
export function encodeCursor(key: PageKey): string {
  return `${key.at.toString(36)}.${encodeURIComponent(key.id)}`;
}

/** The key a cursor stands for; a malformed cursor is a `ValidationError` naming `cursor`. */
export function decodeCursor(cursor: string, where: string): PageKey {
  const dot = cursor.indexOf('.');
  const at = dot > 0 ? Number.parseInt(cursor.slice(0, dot), 36) : Number.NaN;
  let id: string | undefined;
  try {
    id = dot > 0 ? decodeURIComponent(cursor.slice(dot + 1)) : undefined;
  } catch {
    id = undefined;
  }
  if (!Number.isFinite(at) || id === undefined) {
    throw new ValidationError(`[redrive] [memory] ${where}: cursor is not a cursor this adapter issued`, {
      issues: [{ path: 'cursor', message: 'malformed cursor' }],
    });
  }
  return { at, id };
}

/**
 * The first `limit` jobs after `after` in newest-first order (`at` desc, then `id` desc), among
 * those `include` accepts, in one backward pass over the insertion-ordered store (tombstones skipped).
 *
 * A heap of the `limit + 1` best so far, worst on top, costs O(log limit) per candidate and
 * allocates nothing per job. (A sorted buffer was O(limit) per job in the common case: jobs are
 * stored oldest first, so every one of them displaced the whole buffer.)
 */
export function selectPage(
  stored: readonly StoredJob[],
  include: (job: Job) => boolean,
  atOf: (job: Job) => number,
  after: PageKey | null,
  limit: number,
): { page: Job[]; more: boolean } {
  // `older(a, b)`: a comes after b in the listing.
  const older = (a: Job, b: Job): boolean => {
    const x = atOf(a);
    const y = atOf(b);
    return x !== y ? x < y : a.id < b.id;
  };
  const kept = new BinaryHeap<Job>(older);
  // One more than the page tells whether another page exists.
  const keep = limit + 1;
  // Backwards: the list is in insertion order, usually oldest first.
  for (let i = stored.length - 1; i >= 0; i--) {
    const s = stored[i]!;
    if (s.gone) continue;
    const job = s.job;
    if (!include(job)) continue;
    if (after !== null) {
      const at = atOf(job);
      if (at > after.at || (at === after.at && job.id >= after.id)) continue;
    }
    if (kept.size < keep) {
      kept.push(job);
    } else if (older(kept.peek()!, job)) {
      kept.pop();
      kept.push(job);
    }
  }
  const ordered: Job[] = new Array(kept.size);
  for (let i = kept.size - 1; i >= 0; i--) ordered[i] = kept.pop()!;
  const more = ordered.length > limit;
  if (more) ordered.length = limit;
  return { page: ordered, more };
}
