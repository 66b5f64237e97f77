'use client';
import { type DeadLetter, getErrorCategoryLabel, isErrorCategory } from '@redrive/core';
import { formatMaxAttempts } from '../../display/badge-label.js';
import { formatDateTime, formatRelativeTime } from '../../display/format-time.js';
import { JobRetryBadge } from '../job-retry-badge.js';
import { ActionButtons } from './action-buttons.js';
import { useDashboard } from './dashboard-context.js';
import { SelectAllCheckbox, SelectRowCheckbox } from './selection.js';

/** Props of {@link DeadLetterTable}. */
export interface DeadLetterTableProps {
  deadLetters: DeadLetter[];
  selected: ReadonlySet<string>;
  onSelect: (selected: Set<string>) => void;
}

/** The dead-letter list: error and category, whether a person must act and what to do, redrive / delete. */
export function DeadLetterTable({ deadLetters, selected, onSelect }: DeadLetterTableProps) {
  const { displayName, openJob, now, locale } = useDashboard();
  const t = now();
  return (
    <table aria-label="Dead letters" className="redrive-table">
      <thead>
        <tr>
          <th scope="col" className="redrive-col-select">
            <SelectAllCheckbox ids={deadLetters.map((d) => d.id)} selected={selected} onChange={onSelect} />
          </th>
          <th scope="col">Job</th>
          <th scope="col">Error</th>
          <th scope="col">Suggested action</th>
          <th scope="col">Failed</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {deadLetters.map((dl) => {
          const name = displayName(dl.job);
          const nameId = `redrive-name-${dl.id}`;
          return (
            <tr key={dl.id} data-job-id={dl.id} data-selected={selected.has(dl.id) || undefined}>
              <td>
                <SelectRowCheckbox id={dl.id} name={name} selected={selected} onChange={onSelect} />
              </td>
              <td>
                <button type="button" id={nameId} className="redrive-link" onClick={() => openJob(dl.id)}>
                  {name}
                </button>
                <div className="redrive-muted">
                  {dl.attempts}/{formatMaxAttempts(dl.maxAttempts)} attempts
                  {dl.redriveCount > 0 ? ` · redriven ${dl.redriveCount}×` : ''}
                </div>
              </td>
              <td>
                <JobRetryBadge job={dl.job} />{' '}
                <span className="redrive-category">
                  {isErrorCategory(dl.errorCategory)
                    ? getErrorCategoryLabel(dl.errorCategory)
                    : dl.errorCategory}
                </span>
                <p className="redrive-error-text">{dl.error}</p>
              </td>
              <td>
                {dl.requiresUserAction && <span className="redrive-flag">Requires user action</span>}
                {dl.suggestedAction && <p className="redrive-muted">{dl.suggestedAction}</p>}
              </td>
              <td>
                <time
                  dateTime={new Date(dl.failedAt).toISOString()}
                  title={formatDateTime(dl.failedAt, locale)}
                >
                  {formatRelativeTime(dl.failedAt, t, locale)}
                </time>
              </td>
              <td>
                <ActionButtons job={dl.job} describedBy={nameId} actions={['redrive', 'delete']} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
