import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { readStage1Data } from '../stage1/island';
import { Stage1App } from '../stage1/Stage1App';
import '../styles.css';

const root = document.getElementById('stage1-root');

if (root === null) {
  console.error('stage1 island: #stage1-root not found');
} else {
  const data = readStage1Data(document.getElementById('stage1-data'));
  if (data === null) {
    root.textContent = 'The review page could not start: its data is missing. Reload the page.';
  } else {
    createRoot(root).render(
      <StrictMode>
        <Stage1App data={data} />
      </StrictMode>,
    );
  }
}
