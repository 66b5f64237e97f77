// Renders the dashboard under a provider with polling off, so a test decides when data reloads.
import { configure, type RenderResult, render } from '@testing-library/react';
import type { JobsClient } from '../client/jobs-client.js';
import {
  JobQueueDashboard,
  type JobQueueDashboardProps,
} from '../components/dashboard/job-queue-dashboard.js';
import { JobsProvider } from '../hooks/jobs-provider.js';

// The machine running CI may be busy: give findBy/waitFor room (they return as soon as they pass).
configure({ asyncUtilTimeout: 10_000 });

export const TYPE_LABELS = { 'process-document': 'Processing', export: 'Export', render: 'Rendering' };

export function renderDashboard(client: JobsClient, props: JobQueueDashboardProps = {}): RenderResult {
  return render(
    <JobsProvider client={client} pollIntervalMs={false}>
      <JobQueueDashboard typeLabels={TYPE_LABELS} theme="light" {...props} />
    </JobsProvider>,
  );
}
