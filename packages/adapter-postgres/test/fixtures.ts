import type { NewJobRecord } from '@redrive/core';

let seq = 0;

/** A NewJobRecord with sensible defaults (what core would hand the adapter). */
export function newJob(overrides: Partial<NewJobRecord> = {}, now = 1_000_000): NewJobRecord {
  seq++;
  return {
    id: `job_${seq.toString().padStart(6, '0')}_${Math.random().toString(36).slice(2, 7)}`,
    type: 'email.send',
    queue: 'default',
    tenantId: null,
    payload: { n: seq },
    priority: 0,
    runAt: now,
    maxAttempts: 3,
    idempotencyKey: null,
    timeoutMs: null,
    title: null,
    metadata: {},
    createdAt: now + seq,
    ...overrides,
  };
}

export const failure = (attempt: number, now: number, dead = false) => ({
  attempt,
  error: 'boom',
  stack: null,
  errorCategory: 'transient_network' as const,
  delayMs: dead ? 0 : 1000,
  deadLettered: dead,
  timestamp: now,
});
