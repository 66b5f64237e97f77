import { createHttpClient, JobQueueDashboard } from '@redrive/react';
import '@redrive/react/styles.css';
import { StrictMode, version } from 'react';
import { createRoot } from 'react-dom/client';

document.documentElement.dataset.react = version;
createRoot(document.getElementById('root')).render(
  <StrictMode>
    <JobQueueDashboard client={createHttpClient({ baseUrl: '/api/queue' })} />
  </StrictMode>,
);
