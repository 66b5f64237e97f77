// Public API of @redrive/react. Explicit named exports only.
export * from './client/index.js';
export {
  JobQueueDashboard,
  type JobQueueDashboardProps,
} from './components/dashboard/job-queue-dashboard.js';
export type { DashboardState } from './components/dashboard/url-state.js';
export type { DashboardTheme } from './components/dashboard/use-theme.js';
export { badgeTooltip, JobRetryBadge, type JobRetryBadgeProps } from './components/job-retry-badge.js';
export { type BadgeInput, type BadgeKind, badgeLabel, formatMaxAttempts } from './display/badge-label.js';
export { jobsToCsv } from './display/export-jobs.js';
export { formatRelativeTime } from './display/format-time.js';
export { ACTION_LABELS, jobActionsFor } from './display/job-actions-for.js';
export {
  type DisplayNameOptions,
  getJobDisplayName,
  jobSubject,
  type TypeLabel,
} from './display/job-display-name.js';
export {
  DEFAULT_POLL_INTERVAL_MS,
  type JobsContextValue,
  JobsProvider,
  type JobsProviderProps,
  useJobsClient,
  useJobsContext,
} from './hooks/jobs-provider.js';
export { type UseDeadLettersResult, useDeadLetters } from './hooks/use-dead-letters.js';
export { type UseJobResult, useJob } from './hooks/use-job.js';
export {
  type JobActionKind,
  type JobActionOutcome,
  type UseJobActionsResult,
  useJobActions,
} from './hooks/use-job-actions.js';
export { type UseJobsResult, useJobs } from './hooks/use-jobs.js';
export type { ListOptions, PagedListResult } from './hooks/use-paged-list.js';
export { useQueueStats } from './hooks/use-queue-stats.js';
export type { PollingOptions, ResourceResult } from './hooks/use-resource.js';
export { type UseThroughputResult, useThroughput } from './hooks/use-throughput.js';
export type { JobOverlay } from './store/job-overlay.js';
export { JobsStore } from './store/jobs-store.js';
export type { ResourceState } from './store/resource-state.js';
export { MAX_TIMER_MS, systemTimers, type Timers } from './store/timers.js';
export { documentVisibility, type VisibilitySource } from './store/visibility.js';
