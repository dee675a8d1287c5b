import { EventFrames } from './EventFrames';
import { QuestionMedia } from './QuestionMedia';
import type { ReviewData } from './types';

export interface ReviewAppProps {
  data: ReviewData;
  /** The side panel's place for the clue (or object) list; null: none. */
  listTarget: Element | null;
  /** The decision's "at (seconds)" field; null: none. */
  timeInput: HTMLInputElement | null;
}

/** The media of a review item: a question's video with its clues, or an R-AVST event's frames with its boxes. */
export function ReviewApp({ data, listTarget, timeInput }: ReviewAppProps) {
  if (data.kind === 'event') return <EventFrames event={data.event} video={data.video} objectListTarget={listTarget} />;
  return <QuestionMedia question={data.question} video={data.video} blind={data.blind} clueListTarget={listTarget} timeInput={timeInput} />;
}
