import { CandidateForm } from './CandidateForm';
import type { Draft } from './draft';
import { RejectForm } from './RejectForm';
import { isBusy, NEW_KEY, type Form } from './state';
import type { Stage1Page } from './useStage1';

/** The open form: reject (with a reason), edit (with the newer version after a 409) or add. */
export function Stage1Form({ form, page }: { form: Form; page: Stage1Page }) {
  const { state, dispatch } = page;
  if (form.kind === 'reject') {
    return (
      <RejectForm
        idPrefix={`s1-reject-${form.id}`}
        text={page.find(form.id)?.text ?? ''}
        reason={form.reason}
        formError={form.formError}
        busy={isBusy(state, form.id)}
        onChange={(reason) => dispatch({ type: 'setReason', reason })}
        onSubmit={page.submitReject}
        onCancel={page.cancelForm}
      />
    );
  }
  const common = {
    draft: form.draft,
    fieldErrors: form.fieldErrors,
    formError: form.formError,
    onChange: (patch: Partial<Draft>) => dispatch({ type: 'editDraft', patch }),
    onCancel: page.cancelForm,
    onSetFromPlayer: page.setFromPlayer,
    onPlayDraft: () => page.playDraft(form.draft),
  };
  if (form.kind === 'edit') {
    return (
      <CandidateForm
        {...common}
        idPrefix={`s1-edit-${form.id}`}
        heading={`Edit candidate #${form.id}`}
        busy={isBusy(state, form.id)}
        submitLabel="Save"
        conflict={form.conflict}
        onSubmit={() => page.submitEdit(false)}
        onApplyToNewer={() => page.submitEdit(true)}
        onEditNewer={() => dispatch({ type: 'restartEditFromConflict' })}
      />
    );
  }
  return (
    <CandidateForm
      {...common}
      idPrefix="s1-new"
      heading="Add a question (it goes straight to stage 2)"
      busy={isBusy(state, NEW_KEY)}
      submitLabel="Add question"
      onSubmit={page.submitNew}
    />
  );
}
