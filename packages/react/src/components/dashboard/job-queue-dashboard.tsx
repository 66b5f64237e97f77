'use client';
import type { Job } from '@redrive/core';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { JobsClient } from '../../client/jobs-client.js';
import { getJobDisplayName, type TypeLabel } from '../../display/job-display-name.js';
import { JobsProvider, useJobsContext } from '../../hooks/jobs-provider.js';
import { useJobActions } from '../../hooks/use-job-actions.js';
import { useQueueStats } from '../../hooks/use-queue-stats.js';
import { useThroughput } from '../../hooks/use-throughput.js';
import { DashboardContext, type DashboardContextValue } from './dashboard-context.js';
import { FiltersForm } from './filters-form.js';
import { JobDetailPanel } from './job-detail-panel.js';
import { JobListView } from './job-list-view.js';
import { StatsCards } from './stats-cards.js';
import { ViewTabs } from './tabs.js';
import { ThroughputChart } from './throughput-chart.js';
import { type DashboardState, stateToQuery, useDashboardState } from './url-state.js';
import { type DashboardTheme, useResolvedTheme } from './use-theme.js';

/** Props of {@link JobQueueDashboard}. */
export interface JobQueueDashboardProps {
  /** The backend. Optional inside a `JobsProvider` (the provider's client is used). */
  client?: JobsClient | undefined;
  /** Hide every action (the API should refuse changes too: `createHttpHandler({ readOnly: true })`). Default false. */
  readOnly?: boolean | undefined;
  /** `'system'` (default) follows `prefers-color-scheme`. */
  theme?: DashboardTheme | undefined;
  /** Labels by job type: `{ 'process-document': 'Processing', export: 'Export' }`, or a function naming the job. */
  typeLabels?: Readonly<Record<string, TypeLabel>> | undefined;
  /** Names jobs instead of `getJobDisplayName(job, { typeLabels })`. */
  displayName?: ((job: Job) => string) | undefined;
  /** Auto-refresh interval in ms (1 … 2^31 − 1). Default 3000. */
  pollIntervalMs?: number | undefined;
  /** Rows per page (1…1000). Default 50. */
  pageSize?: number | undefined;
  /** Keep the view, filters and open job in the URL query string. Default true. */
  syncUrl?: boolean | undefined;
  /** The view to start with when the URL says nothing. */
  initialState?: Partial<DashboardState> | undefined;
  /** Locale of relative times and dates. Default: the browser's. */
  locale?: string | undefined;
  /** The heading. Default "Job queue". */
  title?: string | undefined;
  className?: string | undefined;
}

/**
 * The complete job-queue dashboard: stats, a throughput chart from the store, the job list with
 * filters and search (kept in the URL), a detail panel with every attempt, the dead-letter queue
 * with redrive, bulk actions, exports. Import the styles once: `import '@redrive/react/styles.css'`.
 *
 * @example
 * <JobQueueDashboard client={createHttpClient({ baseUrl: '/api/queue' })} typeLabels={{ export: 'Export' }} />
 */
export function JobQueueDashboard(props: JobQueueDashboardProps) {
  if (props.client) {
    return (
      <JobsProvider client={props.client} pollIntervalMs={props.pollIntervalMs}>
        <Dashboard {...props} />
      </JobsProvider>
    );
  }
  return <Dashboard {...props} />;
}

function Dashboard(props: JobQueueDashboardProps) {
  const { timers, store, pollIntervalMs: providerInterval } = useJobsContext();
  const theme = useResolvedTheme(props.theme ?? 'system');
  const [state, update] = useDashboardState(props.syncUrl ?? true, props.initialState);
  const [autoRefresh, setAutoRefresh] = useState(true);
  const [announcement, setAnnouncement] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const panelId = useId();
  const interval = autoRefresh ? (props.pollIntervalMs ?? providerInterval) : false;
  const stats = useQueueStats({}, { pollIntervalMs: interval });
  const throughput = useThroughput(
    { type: state.type || undefined },
    { pollIntervalMs: interval && Math.max(interval, 15_000) },
  );
  const actions = useJobActions();
  const { typeLabels, displayName: customName } = props;
  const displayName = useCallback(
    (job: Job) => (customName ? customName(job) : getJobDisplayName(job, { typeLabels })),
    [customName, typeLabels],
  );
  // One object per distinct filter, so the list and the bulk dialog do not refetch on every render.
  const queryKey = JSON.stringify(stateToQuery(state));
  const query = useMemo(() => JSON.parse(queryKey), [queryKey]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || isEditable(e.target)) return;
      e.preventDefault();
      searchRef.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const context: DashboardContextValue = {
    displayName,
    locale: props.locale,
    readOnly: props.readOnly ?? false,
    now: timers.now,
    actions,
    openJob: (id) => update({ job: id ?? '' }),
    announce: setAnnouncement,
  };
  const types = Object.keys(stats.data?.byType ?? {}).sort();
  const theClass = ['redrive-dashboard', props.className].filter(Boolean).join(' ');
  return (
    <DashboardContext.Provider value={context}>
      <section aria-label="Job queue dashboard" className={theClass} data-theme={theme}>
        <header className="redrive-header">
          <h1>{props.title ?? 'Job queue'}</h1>
        </header>
        {stats.error && !stats.data ? (
          <div role="alert" className="redrive-alert">
            {stats.error.message}
          </div>
        ) : (
          <StatsCards stats={stats.data} />
        )}
        {throughput.supported && throughput.data && (
          <ThroughputChart buckets={throughput.data} now={timers.now()} />
        )}
        <ViewTabs
          view={state.view}
          panelId={panelId}
          deadLetterCount={stats.data?.deadLetters}
          onChange={(view) => update({ view, status: '' })}
        />
        <FiltersForm state={state} onChange={update} types={types} searchRef={searchRef} />
        {actions.error && (
          <div role="alert" className="redrive-alert">
            {actions.error.message}
            <button
              type="button"
              className="redrive-button"
              onClick={actions.clearError}
              aria-label="Dismiss error"
            >
              ✕
            </button>
          </div>
        )}
        <p aria-live="polite" className="redrive-announce">
          {announcement}
        </p>
        <div className="redrive-body">
          <div
            id={panelId}
            role="tabpanel"
            aria-labelledby={`${panelId}-tab-${state.view}`}
            className="redrive-main"
          >
            <JobListView
              view={state.view}
              query={query}
              pageSize={props.pageSize}
              pollIntervalMs={interval}
              autoRefresh={autoRefresh}
              onAutoRefresh={setAutoRefresh}
              onRefresh={() => void store.refreshAll()}
            />
          </div>
          {state.job && <JobDetailPanel key={state.job} id={state.job} pollIntervalMs={interval} />}
        </div>
      </section>
    </DashboardContext.Provider>
  );
}

function isEditable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}
