import type { Job } from '@redrive/core';

const CSV_COLUMNS = [
  'id',
  'type',
  'name',
  'status',
  'attempt',
  'maxAttempts',
  'errorCategory',
  'error',
  'createdAt',
  'updatedAt',
] as const;

/**
 * Jobs as CSV (RFC 4180 quoting, ISO times). A cell that a spreadsheet would read as a formula
 * (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`: error texts come from anywhere.
 */
export function jobsToCsv(jobs: Job[], displayName: (job: Job) => string): string {
  const rows = jobs.map((job) => {
    const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
      id: job.id,
      type: job.type,
      name: displayName(job),
      status: job.status,
      attempt: job.attempt,
      maxAttempts: job.maxAttempts,
      errorCategory: job.errorCategory ?? '',
      error: job.error ?? '',
      createdAt: new Date(job.createdAt).toISOString(),
      updatedAt: new Date(job.updatedAt).toISOString(),
    };
    return CSV_COLUMNS.map((column) => csvCell(values[column])).join(',');
  });
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

function csvCell(value: unknown): string {
  let text = String(value ?? '');
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Start a download of `text` as `filename` in the browser. */
export function downloadText(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
