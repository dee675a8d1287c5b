import { memo } from 'react';
import { formatInterval } from './format';
import { CATEGORY_LABELS, MODALITY_LABELS, STATE_LABELS, type Candidate } from './types';

export interface CandidateRowProps {
  candidate: Candidate;
  selected: boolean;
  busy: boolean;
  /** Show the accept / edit / reject buttons at all (the user may annotate). */
  showActions: boolean;
  /** The buttons work: the candidate is proposed, idle and has no form open. */
  actionsEnabled: boolean;
  onSelect: (id: number) => void;
  onPlay: (id: number) => void;
  onAccept: (id: number) => void;
  onEdit: (id: number) => void;
  onReject: (id: number) => void;
  /** Undo a rejection (absent: no undo offered). */
  onReopen?: (id: number) => void;
}

export const COLUMN_COUNT = 7;

/** One candidate in the table; memoized so moving the selection re-renders two rows, not all. */
export const CandidateRow = memo(function CandidateRow({
  candidate: c,
  selected,
  busy,
  showActions,
  actionsEnabled,
  onSelect,
  onPlay,
  onAccept,
  onEdit,
  onReject,
  onReopen,
}: CandidateRowProps) {
  const textId = `s1-text-${c.id}`;
  const interval = formatInterval(c.query_start, c.query_end);
  const classes = ['s1-row', `s1-row-${c.state}`];
  if (selected) classes.push('s1-selected');
  if (busy) classes.push('s1-busy');
  return (
    <tr
      className={classes.join(' ')}
      data-candidate-id={c.id}
      aria-current={selected || undefined}
      aria-busy={busy || undefined}
      onClick={() => onSelect(c.id)}
    >
      <td className="s1-text" id={textId}>
        {c.text}
      </td>
      <td className="s1-category">{CATEGORY_LABELS[c.category] ?? c.category}</td>
      <td className="s1-modality">
        <abbr className={`s1-badge s1-mod s1-mod-${c.modality}`} title={MODALITY_LABELS[c.modality] ?? c.modality}>
          {c.modality}
        </abbr>
      </td>
      <td className="s1-interval-cell">
        <button
          type="button"
          className="s1-interval"
          aria-label={`Play interval ${interval}`}
          title="Play this interval (p)"
          onClick={() => onPlay(c.id)}
        >
          {interval}
        </button>
      </td>
      <td className="s1-source">
        {c.source === 'human' ? (
          'Human'
        ) : (
          <>
            {c.model || 'Model'}
            {c.prompt_version !== '' && <span className="s1-prompt"> · {c.prompt_version}</span>}
          </>
        )}
      </td>
      <td className="s1-state-cell">
        <span className={`s1-state s1-state-${c.state}`}>{STATE_LABELS[c.state] ?? c.state}</span>
        {busy && <span className="s1-saving"> Saving…</span>}
        {c.state === 'rejected' && c.reject_reason !== '' && (
          <span className="s1-reason">{c.reject_reason}</span>
        )}
        {c.state === 'accepted' && c.question !== null && <span className="s1-question">question #{c.question}</span>}
      </td>
      <td className="s1-actions">
        {showActions && c.state === 'rejected' && onReopen !== undefined && (
          <button type="button" title="Propose it again" aria-describedby={textId} disabled={busy} onClick={() => onReopen(c.id)}>
            Undo rejection
          </button>
        )}
        {showActions && (
          <>
            <button
              type="button"
              title="Accept (a)"
              aria-describedby={textId}
              disabled={!actionsEnabled}
              onClick={() => onAccept(c.id)}
            >
              Accept
            </button>
            <button
              type="button"
              title="Edit (e)"
              aria-describedby={textId}
              disabled={!actionsEnabled}
              onClick={() => onEdit(c.id)}
            >
              Edit
            </button>
            <button
              type="button"
              title="Reject (r)"
              aria-describedby={textId}
              disabled={!actionsEnabled}
              onClick={() => onReject(c.id)}
            >
              Reject
            </button>
          </>
        )}
      </td>
    </tr>
  );
});
