/*
 * The example's job types. `email.send` stands for a call to a flaky provider: its payload says
 * how it behaves, so the tests can drive every outcome (complete, retry, dead letter).
 */
import { PermanentError, RetryableError } from '@redrive/core';

/** What the example's jobs carry. */
export interface EmailPayload {
  to: string;
  /** `ok` (default), `transient` (fails with a 503 every time) or `permanent` (rejected address). */
  behaviour?: 'ok' | 'transient' | 'permanent';
}

/** Every execution is recorded in this table, so overlapping drains can be checked for duplicates. */
export const EXECUTIONS_DDL =
  'CREATE TABLE IF NOT EXISTS executions (job_id TEXT NOT NULL, at INTEGER NOT NULL)';

export interface Env {
  DB: D1Like;
  JOBS?: { send(body: unknown): Promise<unknown> };
}

/** The D1 binding, the part the example uses. */
export interface D1Like {
  prepare(sql: string): { bind(...values: unknown[]): { run(): Promise<unknown> }; run(): Promise<unknown> };
  batch(statements: unknown[]): Promise<unknown[]>;
}

/** Sends the email (here: records the execution and behaves as the payload asks). */
export async function sendEmail(env: Env, id: string, payload: EmailPayload): Promise<{ sent: string }> {
  await env.DB.prepare('INSERT INTO executions (job_id, at) VALUES (?1, ?2)').bind(id, Date.now()).run();
  if (payload.behaviour === 'transient') throw new RetryableError('mail provider answered 503');
  if (payload.behaviour === 'permanent') throw new PermanentError(`address rejected: ${payload.to}`);
  return { sent: payload.to };
}

/** Retry policies, shared by the drain and the Queues consumer. */
export const policies = {
  'email.send': { maxAttempts: 3, initialDelayMs: 1_000, jitter: 'none' as const },
};
