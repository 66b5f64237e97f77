/** The browser side of the demo: the dashboard over the demo's own HTTP API, at `/api`. */
import { createHttpClient, JobQueueDashboard } from '@redrive/react';
import '@redrive/react/styles.css';
import { createRoot } from 'react-dom/client';
import { TYPE_LABELS } from '../workload-labels.js';

const client = createHttpClient({ baseUrl: new URL('api', document.baseURI).pathname });

createRoot(document.getElementById('root')!).render(
  <JobQueueDashboard client={client} typeLabels={TYPE_LABELS} title="Redrive demo" />,
);
