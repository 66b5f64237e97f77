import type { Job } from '@redrive/core';

/**
 * How a job type is named in the dashboard: a label (`'Processing'`) that is followed by the
 * job's subject, or a function that names the whole job (e.g. by a mode in its payload).
 */
export type TypeLabel = string | ((job: Job) => string);

/** Options of {@link getJobDisplayName}. */
export interface DisplayNameOptions {
  /** Labels by job type, e.g. `{ 'process-document': 'Processing', export: 'Export' }`. */
  typeLabels?: Readonly<Record<string, TypeLabel>> | undefined;
}

// Payload fields that usually name what a job works on, in the order they are tried.
const SUBJECT_FIELDS = ['title', 'name', 'fileName', 'filename', 'file', 'subject', 'email', 'to', 'url'];

/**
 * A name for people: `"<type label>: <subject>"`. The subject is the job's `title`, else a naming
 * field of its payload (`title`, `name`, `fileName`, ...), else, for a payload holding one list,
 * its size ("5 documents"). Without a label the type is humanised (`send-email` → "Send email").
 *
 * @example
 * getJobDisplayName(job, { typeLabels: { 'process-document': 'Processing' } })
 * // "Processing: The Man Who Sold the World.pdf"
 */
export function getJobDisplayName(job: Job, options: DisplayNameOptions = {}): string {
  const labels = options.typeLabels;
  const label = labels && Object.hasOwn(labels, job.type) ? labels[job.type] : undefined;
  if (typeof label === 'function') return label(job);
  const subject = jobSubject(job);
  const name = label ?? humanize(job.type);
  return subject ? `${name}: ${subject}` : name;
}

/** What a job works on, from its title or payload; `null` when nothing names it. */
export function jobSubject(job: Pick<Job, 'title' | 'payload'>): string | null {
  if (job.title) return job.title;
  const payload = job.payload;
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const record = payload as Record<string, unknown>;
  for (const field of SUBJECT_FIELDS) {
    const value = record[field];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  const lists = Object.entries(record).filter(([, v]) => Array.isArray(v));
  if (lists.length === 1) {
    const [field, value] = lists[0] as [string, unknown[]];
    return `${value.length} ${pluralNoun(field, value.length)}`;
  }
  return null;
}

/** `send-email` / `send_email` / `sendEmail` → "Send email". */
export function humanize(type: string): string {
  const words = type
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_.:/]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : type;
}

// `documentIds` → "documents", `items` → "items"; one → singular.
function pluralNoun(field: string, count: number): string {
  const base = humanize(field.replace(/Ids?$/, 's').replace(/_ids?$/, 's')).toLowerCase();
  const plural = base.endsWith('s') ? base : `${base}s`;
  return count === 1 ? plural.replace(/s$/, '') : plural;
}
