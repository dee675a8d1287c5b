/** What the review page shows besides the working copy: the second, the selection, the hint. */
export interface ReviewView {
  /** The sampled second shown (clamped to the event's seconds when read). */
  secondIndex: number;
  /** The object new boxes go to; null: the first. */
  objectChoice: string | null;
  /** The box selected (shown only on its own second). */
  boxChoice: string | null;
  hint: string | null;
  /** The object whose name field takes the focus once rendered (`r`, a new object). */
  focusName: string | null;
  /** Saving before going to another event. */
  leaving: boolean;
}

export type ViewAction =
  /** Another second: no box selected there yet. */
  | { type: 'second'; index: number }
  /** The fields given change: the object, the box, the second. */
  | { type: 'select'; objectKey?: string | null; boxKey?: string | null; secondIndex?: number }
  | { type: 'hint'; text: string | null }
  | { type: 'focusName'; objectKey: string | null }
  | { type: 'leaving'; leaving: boolean }
  /** Escape: no box selected, no hint. */
  | { type: 'escape' };

export const initialView = (): ReviewView => ({
  secondIndex: 0,
  objectChoice: null,
  boxChoice: null,
  hint: null,
  focusName: null,
  leaving: false,
});

export function viewReducer(state: ReviewView, action: ViewAction): ReviewView {
  switch (action.type) {
    case 'second':
      return { ...state, secondIndex: action.index, boxChoice: null };
    case 'select':
      return {
        ...state,
        ...(action.objectKey === undefined ? {} : { objectChoice: action.objectKey }),
        ...(action.boxKey === undefined ? {} : { boxChoice: action.boxKey }),
        ...(action.secondIndex === undefined ? {} : { secondIndex: action.secondIndex }),
      };
    case 'hint':
      return state.hint === action.text ? state : { ...state, hint: action.text };
    case 'focusName':
      return { ...state, focusName: action.objectKey };
    case 'leaving':
      return { ...state, leaving: action.leaving };
    case 'escape':
      return { ...state, boxChoice: null, hint: null };
  }
}
