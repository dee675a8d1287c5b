import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { readWorkspaceData } from '../workspace/island';
import { WorkspaceApp } from '../workspace/WorkspaceApp';
import '../styles.css';

const root = document.getElementById('workspace-root');

if (root === null) {
  console.error('workspace island: #workspace-root not found');
} else {
  const data = readWorkspaceData(document.getElementById('workspace-data'));
  if (data === null) {
    root.textContent = 'The annotation workspace could not start: its data is missing. Reload the page.';
  } else {
    createRoot(root).render(
      <StrictMode>
        <WorkspaceApp data={data} />
      </StrictMode>,
    );
  }
}
