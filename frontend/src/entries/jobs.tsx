import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { JobsTable } from '../jobs/JobsTable';
import { readIslandConfig } from '../jobs/island';
import '../styles.css';

const root = document.getElementById('jobs-root');

if (root === null) {
  console.error('jobs island: #jobs-root not found');
} else {
  const { apiUrl, initialJobs, actionsUrl, csrfToken } = readIslandConfig(root, document.getElementById('jobs-initial'));
  if (apiUrl === '') {
    console.error('jobs island: #jobs-root has no data-api-url');
  }
  createRoot(root).render(
    <StrictMode>
      <JobsTable apiUrl={apiUrl} initialJobs={initialJobs} actionsUrl={actionsUrl} csrfToken={csrfToken} />
    </StrictMode>,
  );
}
