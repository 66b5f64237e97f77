import type { DeadLetter, Job, RetryHistoryEntry } from '../job/job.js';

/** Which error text of a job is about to leave the process. */
export interface RedactErrorContext {
  jobId: string;
  /** `message`: an error message; `stack`: a stack trace. */
  field: 'message' | 'stack';
  /** Where it comes from: the job's last error, or an entry of its retry history. */
  source: 'job' | 'history';
}

/** The hook: the text to send instead (`null` to send none). */
export type RedactError = (text: string, context: RedactErrorContext) => string | null;

/**
 * Applies one redaction hook to every place a job's error text appears in a response: the job's
 * `error` and `errorStack`, each retry-history entry's `error` and `stack`, and a dead letter's
 * copies of them. One hook for all of them, so hiding stacks or secrets from jobs cannot leave
 * them readable through `/retries` or `/dead-letters/:id`.
 */
export class ErrorRedactor {
  constructor(private readonly hook: RedactError | undefined) {}

  job<T extends Job>(job: T): T {
    if (!this.hook) return job;
    return {
      ...job,
      error: this.text(job.error, job.id, 'message', 'job'),
      errorStack: this.text(job.errorStack, job.id, 'stack', 'job'),
    };
  }

  history(jobId: string, entries: RetryHistoryEntry[]): RetryHistoryEntry[] {
    if (!this.hook) return entries;
    return entries.map((e) => ({
      ...e,
      error: this.text(e.error, jobId, 'message', 'history') ?? '',
      stack: this.text(e.stack, jobId, 'stack', 'history'),
    }));
  }

  deadLetter<T extends DeadLetter & { history?: RetryHistoryEntry[] }>(letter: T): T {
    if (!this.hook) return letter;
    const out: T = {
      ...letter,
      job: this.job(letter.job),
      error: this.text(letter.error, letter.id, 'message', 'job') ?? '',
      errorStack: this.text(letter.errorStack, letter.id, 'stack', 'job'),
    };
    if (letter.history) out.history = this.history(letter.id, letter.history);
    return out;
  }

  private text(
    value: string | null | undefined,
    jobId: string,
    field: RedactErrorContext['field'],
    source: RedactErrorContext['source'],
  ): string | null {
    if (value === null || value === undefined || value === '') return value ?? null;
    return this.hook!(value, { jobId, field, source });
  }
}
