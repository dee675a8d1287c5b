import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { EventReviewApp } from '../eventreview/EventReviewApp';
import { readEventReviewData } from '../eventreview/island';
import '../styles.css';
import '../eventreview/eventreview.css';

const root = document.getElementById('eventreview-root');

if (root === null) {
  console.error('eventreview island: #eventreview-root not found');
} else {
  const data = readEventReviewData(document.getElementById('eventreview-data'), document);
  if (data === null) {
    root.textContent = 'The event review could not start: its data is missing. Reload the page.';
  } else {
    createRoot(root).render(
      <StrictMode>
        <EventReviewApp data={data} />
      </StrictMode>,
    );
  }
}
