import { Fragment, type Ref } from 'react';
import type { Candidate } from './types';
import { CandidateRow, COLUMN_COUNT } from './CandidateRow';
import { FILTER_LABELS, isEditable } from './list';
import { formKey, isBusy } from './state';
import { Stage1Form } from './Stage1Form';
import type { Stage1Page } from './useStage1';

/** The candidates shown, one row each, with the open row form under its row. */
export function CandidateTable({ visible, page, tableRef }: { visible: Candidate[]; page: Stage1Page; tableRef: Ref<HTMLTableElement> }) {
  const { state, canAnnotate } = page;
  const openFormKey = formKey(state.form);
  const rowForm = state.form !== null && state.form.kind !== 'new' ? state.form : null;

  return (
    <table className="s1-candidates" ref={tableRef}>
      <caption className="s1-visually-hidden">
        {FILTER_LABELS[state.filter]} candidates; the selected row is marked as current
      </caption>
      <thead>
        <tr>
          <th scope="col">Question</th>
          <th scope="col">Category</th>
          <th scope="col">Modality</th>
          <th scope="col">Interval</th>
          <th scope="col">Source</th>
          <th scope="col">State</th>
          <th scope="col">
            <span className="s1-visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {visible.map((c) => {
          const busy = isBusy(state, c.id);
          return (
            <Fragment key={c.id}>
              <CandidateRow
                candidate={c}
                selected={c.id === state.selectedId}
                busy={busy}
                showActions={canAnnotate}
                actionsEnabled={isEditable(c) && !busy && openFormKey !== c.id}
                onSelect={page.select}
                onPlay={page.playCandidate}
                onAccept={page.accept}
                onEdit={page.openEdit}
                onReject={page.openReject}
                onReopen={page.canReopen ? page.reopen : undefined}
              />
              {rowForm !== null && rowForm.id === c.id && (
                <tr className="s1-form-row">
                  <td colSpan={COLUMN_COUNT}>
                    <Stage1Form form={rowForm} page={page} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
