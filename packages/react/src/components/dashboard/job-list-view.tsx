'use client';
import type { Job } from '@redrive/core';
import { useState } from 'react';
import type { JobsQuery } from '../../client/jobs-client.js';
import { downloadText, jobsToCsv } from '../../display/export-jobs.js';
import { formatRelativeTime } from '../../display/format-time.js';
import { useDeadLetters } from '../../hooks/use-dead-letters.js';
import { useJobs } from '../../hooks/use-jobs.js';
import { BulkBar } from './bulk-bar.js';
import { useDashboard } from './dashboard-context.js';
import { DeadLetterTable } from './dead-letter-table.js';
import { JobTable } from './job-table.js';
import { ListStates } from './list-states.js';
import { Toolbar } from './toolbar.js';

const NO_SELECTION: ReadonlySet<string> = new Set();

/** Props of {@link JobListView}. */
export interface JobListViewProps {
  view: 'jobs' | 'dead-letters';
  query: JobsQuery;
  pageSize: number | undefined;
  pollIntervalMs: number | false;
  autoRefresh: boolean;
  onAutoRefresh: (on: boolean) => void;
  onRefresh: () => void;
}

/** The toolbar, bulk bar and list of the current view (jobs or dead letters). */
export function JobListView(props: JobListViewProps) {
  const { displayName, now, locale, readOnly } = useDashboard();
  const dead = props.view === 'dead-letters';
  const options = { pageSize: props.pageSize, pollIntervalMs: props.pollIntervalMs };
  const jobs = useJobs(props.query, { ...options, enabled: !dead });
  const deadLetters = useDeadLetters(props.query, { ...options, enabled: dead });
  const list = dead ? deadLetters : jobs;
  // A selection belongs to what was on screen: a new view or filter starts with none.
  const selectionKey = `${props.view}:${JSON.stringify(props.query)}`;
  const [selection, setSelection] = useState(() => ({ key: selectionKey, ids: new Set<string>() }));
  const selected = selection.key === selectionKey ? selection.ids : NO_SELECTION;
  const setSelected = (ids: Set<string>) => setSelection({ key: selectionKey, ids });
  const rows: Job[] = dead ? deadLetters.deadLetters.map((d) => d.job) : jobs.jobs;
  const onExport = (format: 'json' | 'csv') => {
    const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-');
    const name = `redrive-${props.view}-${stamp}.${format}`;
    if (format === 'json')
      downloadText(name, JSON.stringify(dead ? deadLetters.deadLetters : rows, null, 2), 'application/json');
    else downloadText(name, jobsToCsv(rows, displayName), 'text/csv');
  };
  return (
    <>
      <Toolbar
        autoRefresh={props.autoRefresh}
        onAutoRefresh={props.onAutoRefresh}
        onRefresh={props.onRefresh}
        refreshing={list.fetching}
        onExport={onExport}
        canExport={rows.length > 0}
        readOnly={readOnly}
        updated={list.updatedAt ? formatRelativeTime(list.updatedAt, now(), locale) : null}
      />
      <BulkBar
        view={props.view}
        selected={selected}
        query={props.query}
        onDone={() => setSelected(new Set())}
      />
      {rows.length > 0 &&
        (dead ? (
          <DeadLetterTable deadLetters={deadLetters.deadLetters} selected={selected} onSelect={setSelected} />
        ) : (
          <JobTable jobs={jobs.jobs} selected={selected} onSelect={setSelected} />
        ))}
      <ListStates
        loading={list.loading}
        error={list.error}
        empty={rows.length === 0}
        emptyText={dead ? 'No dead letters' : 'No jobs match these filters'}
        hasMore={list.hasMore}
        loadingMore={list.loadingMore}
        onLoadMore={() => void list.loadMore()}
      />
    </>
  );
}
