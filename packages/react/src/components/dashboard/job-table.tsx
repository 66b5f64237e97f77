'use client';
import type { Job } from '@redrive/core';
import { formatDateTime, formatRelativeTime } from '../../display/format-time.js';
import { JobRetryBadge } from '../job-retry-badge.js';
import { ActionButtons } from './action-buttons.js';
import { useDashboard } from './dashboard-context.js';
import { JobSummary } from './job-summary.js';
import { SelectAllCheckbox, SelectRowCheckbox } from './selection.js';

/** Props of {@link JobTable}. */
export interface JobTableProps {
  jobs: Job[];
  selected: ReadonlySet<string>;
  onSelect: (selected: Set<string>) => void;
}

/** The job list: one row per job with its name, badge, progress and state, age and actions. */
export function JobTable({ jobs, selected, onSelect }: JobTableProps) {
  const { displayName, openJob, now, locale } = useDashboard();
  const t = now();
  return (
    <table aria-label="Jobs" className="redrive-table">
      <thead>
        <tr>
          <th scope="col" className="redrive-col-select">
            <SelectAllCheckbox ids={jobs.map((j) => j.id)} selected={selected} onChange={onSelect} />
          </th>
          <th scope="col">Job</th>
          <th scope="col">Status</th>
          <th scope="col">Details</th>
          <th scope="col">Created</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((job) => {
          const name = displayName(job);
          const nameId = `redrive-name-${job.id}`;
          return (
            <tr key={job.id} data-job-id={job.id} data-selected={selected.has(job.id) || undefined}>
              <td>
                <SelectRowCheckbox id={job.id} name={name} selected={selected} onChange={onSelect} />
              </td>
              <td>
                <button type="button" id={nameId} className="redrive-link" onClick={() => openJob(job.id)}>
                  {name}
                </button>
                <div className="redrive-muted redrive-id">{job.id}</div>
              </td>
              <td>
                <JobRetryBadge job={job} />
              </td>
              <td>
                <JobSummary job={job} />
              </td>
              <td>
                <time
                  dateTime={new Date(job.createdAt).toISOString()}
                  title={formatDateTime(job.createdAt, locale)}
                >
                  {formatRelativeTime(job.createdAt, t, locale)}
                </time>
              </td>
              <td>
                <ActionButtons job={job} describedBy={nameId} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
