import { submitDoc } from './api';
import type { Session } from './session';
import type { VideoInfo, WorkspaceData } from './types';
import { validateForSubmit } from './validate';

const OFFLINE = 'Offline: not submitted. Your changes are kept in this browser; submit again when connected.';

/**
 * Submitting the question: checked here first, then saved until the server
 * has it as it is, then posted with its version; the outcome, or why not,
 * goes to the view.
 */
export function useSubmit(
  session: Session,
  video: VideoInfo,
  urls: WorkspaceData['urls'],
  csrf: string,
  fetchRef: { current: typeof fetch },
): () => Promise<void> {
  const { sync, doc, view } = session;
  const refuse = (message: string, errors?: Record<string, string>) =>
    view.dispatch({ type: 'submitRefused', message, ...(errors === undefined ? {} : { errors }) });

  return async () => {
    if (!sync.editable || view.getState().submitting) return;
    const problems = validateForSubmit(doc.getState().present, video);
    if (Object.keys(problems).length > 0) {
      refuse('Not submitted: fix the marked problems first.', problems);
      return;
    }
    view.dispatch({ type: 'submitStarted' });
    try {
      if (!(await sync.settle())) {
        const status = sync.getSnapshot().status;
        refuse(
          status === 'conflict'
            ? 'Not submitted: choose between the two versions first.'
            : status === 'offline'
              ? OFFLINE
              : 'Not submitted: the changes could not be saved first.',
        );
        return;
      }
      const result = await submitDoc(fetchRef.current, urls.submit, csrf, sync.getSnapshot().version);
      switch (result.kind) {
        case 'ok':
          sync.adopt(result.result.question);
          view.dispatch({ type: 'submitted', outcome: result.result });
          break;
        case 'conflict':
          sync.enterConflict(result.current, result.message);
          refuse('Not submitted: the question changed on the server.');
          break;
        case 'error':
          refuse(`Not submitted: ${result.message}`, result.errors);
          break;
        case 'offline':
          refuse(OFFLINE);
          break;
      }
    } finally {
      view.dispatch({ type: 'submitEnded' });
    }
  };
}
