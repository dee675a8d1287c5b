import './proposals.css';
import { formatInterval, formatTime, KEEP_FOCUS } from '../components';
import { formatScore, isEventProposal } from './proposals';
import type { ClueProposal } from './types';

export interface ProposalPanelProps {
  open: readonly ClueProposal[];
  selectedId: number | null;
  computing: boolean;
  canRequest: boolean;
  /** Why the machine cannot propose anything now, or null. */
  unavailable?: string | null;
  error: string | null;
  threshold: number;
  disabled: boolean;
  onThreshold: (value: number) => void;
  onSelect: (p: ClueProposal) => void;
  onAccept: (p: ClueProposal) => void;
  onReject: (p: ClueProposal) => void;
  onAcceptAll: () => void;
  onRequest: () => void;
}

/**
 * The machine's open proposals (ghosts on the timeline, and ghost boxes on their frame), with their score and
 * model: select, accept or reject each, or accept every one in view from the threshold up. They count only once a
 * person accepts them.
 */
export function ProposalPanel(props: ProposalPanelProps) {
  const { open, selectedId, computing, disabled, threshold } = props;
  const model = open[0]?.model;
  return (
    <section className="ws-proposals" aria-label="Proposals" data-testid="proposal-panel">
      <h3>
        Proposals <span className="ws-muted">(machine, not counted until accepted)</span>
      </h3>
      <p className="ws-muted" data-testid="proposal-status" role="status">
        {computing
          ? 'Computing proposals…'
          : open.length === 0 && props.unavailable
            ? `No machine proposals: ${props.unavailable}.`
            : `${open.length} open${model ? ` · ${model}` : ''}`}
        {props.error !== null && <span className="ws-error"> {props.error}</span>}
      </p>
      <div className="ws-clue-actions">
        <label>
          Accept from score{' '}
          <input
            type="number"
            min={0}
            max={1}
            step={0.05}
            value={threshold}
            data-testid="proposal-threshold"
            onChange={(e) => {
              const v = Number(e.currentTarget.value);
              if (Number.isFinite(v)) props.onThreshold(Math.min(1, Math.max(0, v)));
            }}
          />
        </label>
        <button type="button" {...KEEP_FOCUS} disabled={disabled || open.length === 0} onClick={props.onAcceptAll} title="Shift+A">
          Accept all in view
        </button>
        {props.canRequest && (
          <button type="button" {...KEEP_FOCUS} disabled={computing} onClick={props.onRequest}>
            Propose again
          </button>
        )}
      </div>
      {open.length > 0 && (
        <ol className="ws-proposal-list">
          {open.map((p) => (
            <li
              key={p.id}
              data-testid="proposal-row"
              data-proposal-id={p.id}
              aria-selected={p.id === selectedId}
              className={p.id === selectedId ? 'ws-proposal ws-proposal-selected' : 'ws-proposal'}
            >
              <button type="button" {...KEEP_FOCUS} className="ws-link" onClick={() => props.onSelect(p)}>
                {isEventProposal(p) ? formatInterval(p.start, p.end) : `${p.label || 'box'} · frame ${p.frame_index} (${formatTime(p.timestamp)})`}
              </button>{' '}
              <span className="ws-proposal-score" title={`${p.model} ${p.model_version}`}>
                score {formatScore(p.score)}
              </span>{' '}
              <button type="button" {...KEEP_FOCUS} disabled={disabled} onClick={() => props.onAccept(p)} title="Enter">
                Accept
              </button>
              <button type="button" {...KEEP_FOCUS} disabled={disabled} onClick={() => props.onReject(p)} title="x">
                Reject
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
