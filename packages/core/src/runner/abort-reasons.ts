/** Why a handler's `ctx.signal` aborted (other than a lost lease, which uses `LeaseLostError`). */
export type JobAbortKind = 'cancelled' | 'paused' | 'timeout' | 'stopped';

/**
 * The `reason` of an aborted `ctx.signal`: the job was cancelled, paused at its checkpoint, ran
 * past its timeout, or the runner is stopping. A handler may rethrow it; the runner knows what
 * to record in each case.
 */
export class JobAbortError extends Error {
  readonly kind: JobAbortKind;
  readonly jobId: string;
  constructor(kind: JobAbortKind, jobId: string, message: string) {
    super(`[redrive] [runner] ${message}`);
    this.name = kind === 'timeout' ? 'TimeoutError' : 'AbortError';
    this.kind = kind;
    this.jobId = jobId;
  }
}
