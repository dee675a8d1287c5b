import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { attachDecisionKeys } from '../review/decisionKeys';
import { readReviewData } from '../review/island';
import { fitBelowHeader } from '../review/layout';
import { ReviewApp } from '../review/ReviewApp';
import '../styles.css';
import '../review/review.css';

// The decision keys work on the server's form whether or not the media could start.
const form = document.getElementById('review-decision');
if (form instanceof HTMLFormElement) attachDecisionKeys(form);

// The picture and the side panel fit the window under the header.
const page = document.querySelector('.rv');
const layout = document.querySelector('.rv-layout');
if (page instanceof HTMLElement && layout instanceof HTMLElement) fitBelowHeader(page, layout);

const root = document.getElementById('review-root');

if (root === null) {
  console.error('review island: #review-root not found');
} else {
  const data = readReviewData(document.getElementById('review-data'));
  if (data === null) {
    root.textContent = 'The media under review could not be shown: its data is missing. Reload the page.';
  } else {
    const timeInput = document.querySelector('#review-decision input[name=comment_time]');
    createRoot(root).render(
      <StrictMode>
        <ReviewApp
          data={data}
          listTarget={document.getElementById('review-clue-list')}
          timeInput={timeInput instanceof HTMLInputElement ? timeInput : null}
        />
      </StrictMode>,
    );
  }
}
