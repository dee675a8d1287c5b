import { frameUrl, KEEP_FOCUS } from '../components';
import { formatSeconds } from './format';
import { countsBySecond, type ReviewObject } from './reviewDoc';
import type { SampledSecond } from './types';

export interface FilmstripProps {
  seconds: readonly SampledSecond[];
  objects: readonly ReviewObject[];
  currentIndex: number;
  selectedObjectKey: string | null;
  frameUrlTemplate: string;
  onSelect(index: number): void;
}

/**
 * The event's sampled seconds: a thumbnail of each, and per object how many
 * boxes it has there; a second where an object has none is marked (the
 * release writes `[0, 0, 0, 0]` for it).
 */
export function Filmstrip({ seconds, objects, currentIndex, selectedObjectKey, frameUrlTemplate, onSelect }: FilmstripProps) {
  const frames = seconds.map((s) => s.frame_index);
  const counts = objects.map((o) => countsBySecond(o, frames));
  return (
    <ol className="er-filmstrip" data-testid="filmstrip" aria-label="Sampled seconds">
      {seconds.map((second, i) => {
        const missing = objects.filter((_, k) => counts[k]![i] === 0).map((o) => o.name.trim() || '(unnamed)');
        const current = i === currentIndex;
        return (
          <li key={`${second.frame_index}-${i}`}>
            <button
              type="button"
              className={['er-second', current ? 'is-current' : '', missing.length > 0 ? 'has-missing' : ''].join(' ').trim()}
              data-testid="second"
              data-index={i}
              data-t={second.t}
              data-frame={second.frame_index}
              data-missing={missing.length}
              aria-current={current ? 'true' : undefined}
              aria-label={`Second ${formatSeconds(second.t)} (frame ${second.frame_index})${
                missing.length > 0 ? `, no box for ${missing.join(', ')}` : ''
              }`}
              onClick={() => onSelect(i)}
              {...KEEP_FOCUS}
            >
              <img className="er-thumb" src={frameUrl(frameUrlTemplate, second.frame_index)} alt="" loading="lazy" draggable={false} />
              <span className="er-second-t">{formatSeconds(second.t)}</span>
              <span className="er-chips">
                {objects.map((o, k) => {
                  const count = counts[k]![i]!;
                  const selected = o.key === selectedObjectKey;
                  return (
                    <span
                      key={o.key}
                      className={[
                        'er-chip',
                        count === 0 ? 'er-chip-missing' : '',
                        selected ? 'is-selected' : '',
                      ].join(' ').trim()}
                      style={{ borderColor: o.color, background: count > 0 ? o.color : 'transparent' }}
                      data-testid="second-count"
                      data-object-index={k}
                      data-count={count}
                      title={
                        count === 0
                          ? `${o.name}: no box at ${formatSeconds(second.t)} (released as [0, 0, 0, 0])`
                          : `${o.name}: ${count} ${count === 1 ? 'box' : 'boxes'}`
                      }
                    >
                      {count === 0 ? '∅' : count}
                    </span>
                  );
                })}
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
