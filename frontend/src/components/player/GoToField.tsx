import { useState } from 'react';
import { isEscape } from '../keyboard';
import { parseGoTo } from '../time';
import './player.css';

export interface GoToFieldProps {
  frameCount: number;
  duration: number;
  onSeekTo(time: number): void;
  onSeekFrame(frame: number): void;
}

/**
 * The player's go-to field: seconds (12.5), m:ss (1:02.3) or a frame (f312,
 * "frame 312"); Enter goes there, Escape leaves the field. Text that goes
 * nowhere says why, and the player stays where it is. The message floats
 * under the field, so the layout never moves.
 */
export function GoToField({ frameCount, duration, onSeekTo, onSeekFrame }: GoToFieldProps) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const go = (input: HTMLInputElement) => {
    const target = parseGoTo(text, frameCount, duration);
    if (target.kind === 'error') {
      setError(target.message);
      return;
    }
    setError(null);
    if (target.kind === 'frame') onSeekFrame(target.frame);
    else onSeekTo(target.time);
    setText('');
    // Give the keys back to the shortcuts.
    input.blur();
  };
  return (
    <span className="ws-goto">
      <input
        type="text"
        className="ws-goto-input"
        aria-label="Go to time or frame"
        placeholder="1:02.3 or f312"
        title="Go to a time (12.5, 1:02.3) or a frame (f312); Enter"
        value={text}
        // Only when wrong: Pico marks aria-invalid="false" as valid (a green tick on an empty field).
        aria-invalid={error !== null ? true : undefined}
        aria-describedby={error !== null ? 'ws-goto-error' : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            go(e.currentTarget);
          } else if (isEscape(e)) {
            setText('');
            setError(null);
            e.currentTarget.blur();
          }
        }}
        size={13}
      />
      {error !== null && (
        <span id="ws-goto-error" className="ws-goto-error" role="alert" data-testid="goto-error">
          {error}
        </span>
      )}
    </span>
  );
}
