import type { Job } from '@redrive/core';

/**
 * An optimistic change shown before the backend confirms it: fields to show instead of the
 * stored ones, or `removed` for a delete (and, from the dead-letter list, a redrive).
 */
export interface JobOverlay {
  patch?: Partial<Job> | undefined;
  removed?: boolean | undefined;
}

/** Jobs with their overlays applied: removed ones left out, patched ones replaced by a patched copy. */
export function applyOverlays(jobs: Job[], overlays: ReadonlyMap<string, JobOverlay>): Job[] {
  if (overlays.size === 0) return jobs;
  const out: Job[] = [];
  for (const job of jobs) {
    const overlay = overlays.get(job.id);
    if (!overlay) out.push(job);
    else if (!overlay.removed) out.push(overlay.patch ? { ...job, ...overlay.patch } : job);
  }
  return out;
}

/** The same for one job; `null` when it is optimistically removed. */
export function applyOverlay(job: Job, overlays: ReadonlyMap<string, JobOverlay>): Job | null {
  const overlay = overlays.get(job.id);
  if (!overlay) return job;
  if (overlay.removed) return null;
  return overlay.patch ? { ...job, ...overlay.patch } : job;
}
