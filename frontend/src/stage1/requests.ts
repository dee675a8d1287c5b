import { summarizeErrors, type ApiResult } from './api';
import { FORM_FIELDS, splitFieldErrors } from './draft';
import type { Action, RequestKind } from './state';
import type { FieldErrors } from './types';

/**
 * The action for a failed request. Field errors of the edit / add forms go
 * next to their fields and everything else into the form's alert; a
 * rejection's `reason` error becomes the reject form's message.
 */
export function failureAction(
  key: number,
  kind: RequestKind,
  failure: { message: string; fieldErrors?: FieldErrors },
): Action {
  const errors = failure.fieldErrors;
  if (errors === undefined) {
    return { type: 'requestFailed', key, kind, message: failure.message };
  }
  if (kind === 'edit' || kind === 'create') {
    const { shown, rest } = splitFieldErrors(errors, FORM_FIELDS);
    const restMessage = summarizeErrors(rest);
    const message = restMessage !== '' ? restMessage : Object.keys(shown).length > 0 ? '' : failure.message;
    return { type: 'requestFailed', key, kind, message, fieldErrors: shown };
  }
  if (kind === 'reject' && errors.reason !== undefined) {
    return { type: 'requestFailed', key, kind, message: errors.reason.join(' ') };
  }
  return { type: 'requestFailed', key, kind, message: failure.message };
}

/**
 * Sends requests one per key at a time (a double press sends once) and
 * dispatches what came of each: started, succeeded, a 409 with the newer
 * version, or failed.
 */
export function requestRunner(dispatch: (action: Action) => void) {
  /** Keys with a request in flight, updated synchronously. */
  const inFlight = new Set<number>();
  return async (key: number, kind: RequestKind, request: () => Promise<ApiResult>): Promise<void> => {
    if (inFlight.has(key)) {
      return;
    }
    inFlight.add(key);
    dispatch({ type: 'requestStarted', key });
    let result: ApiResult;
    try {
      result = await request();
    } finally {
      inFlight.delete(key);
    }
    if (result.ok) {
      dispatch({ type: 'requestSucceeded', key, kind, candidate: result.candidate });
    } else if (result.kind === 'conflict') {
      dispatch({ type: 'requestConflict', key, kind, current: result.current });
    } else {
      dispatch(failureAction(key, kind, result));
    }
  };
}
