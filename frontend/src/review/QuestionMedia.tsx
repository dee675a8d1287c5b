import { useMemo, useState, type CSSProperties } from 'react';
import { createPortal } from 'react-dom';
import {
  BoxCanvas,
  clampMs,
  formatInterval,
  formatTime,
  frameUrl,
  KEEP_FOCUS,
  leaveTypingTarget,
  Player,
  playerPropsOf,
  runPlayerCommand,
  ShortcutHelp,
  Timeline,
  timelineMediaOf,
  usePlayerClock,
} from '../components';
import { useKeyCommands } from '../shared/hooks';
import { ClueList } from './ClueList';
import { boxesOnFrame, clueItems, cluesAt, stepClue, timelineRegions, type ClueItem } from './clues';
import { questionCommandForKey, questionHelp, type Command } from './keyboard';
import type { ReviewQuestion, ReviewVideo } from './types';

export interface QuestionMediaProps {
  question: ReviewQuestion;
  video: ReviewVideo;
  /** Double annotation: the first pass's count and clues are not for this page. */
  blind: boolean;
  /** Where the clue list goes (the page's side panel); null: not shown. */
  clueListTarget: Element | null;
  /** The decision's "at (seconds)" field, which a button fills with the player's position; null: none. */
  timeInput: HTMLInputElement | null;
}

const ignore = () => {};

/** Whether the video can be played and its frames drawn. */
export const playable = (video: ReviewVideo): boolean =>
  video.proxy_url !== null && video.frame_url_template !== null && [video.fps, video.frame_count, video.width, video.height].every((n) => n > 0);

/**
 * The media of a question under review, read-only: the player with the clues'
 * boxes on the exact frame while paused, the timeline with the reference
 * interval and the clues, and (in the side panel) the clue list that goes to
 * each clue.
 */
export function QuestionMedia(props: QuestionMediaProps) {
  const { question, video, clueListTarget } = props;
  const items = useMemo(() => clueItems(question, video.fps), [question, video.fps]);
  if (!playable(video)) {
    return (
      <>
        <p className="rv-empty rv-no-media" role="status">
          The video has no processed proxy yet: nothing to play. The clues are listed as stored.
        </p>
        {clueListTarget !== null &&
          createPortal(<ClueList question={question} items={items} selectedKey={null} here={new Set()} onGoTo={null} />, clueListTarget)}
      </>
    );
  }
  return <QuestionPlayer {...props} items={items} />;
}

function QuestionPlayer({ question, video, blind, clueListTarget, timeInput, items }: QuestionMediaProps & { items: ClueItem[] }) {
  const { fps, frame_count: frameCount, duration } = video;
  const template = video.frame_url_template!;
  const media = { ...video, proxy_url: video.proxy_url! }; // playable: a proxy is there
  const player = usePlayerClock({ fps, frameCount, duration });
  const { clock, frame } = player;
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const isBoxQuestion = question.category !== 'event';
  const title = video.title || `Video ${video.id}`;

  const regions = useMemo(() => timelineRegions(question, items), [question, items]);
  const boxes = useMemo(() => (isBoxQuestion ? boxesOnFrame(question, items, frame) : []), [isBoxQuestion, question, items, frame]);
  const here = useMemo(() => new Set(cluesAt(items, clock.time, frame).map((i) => i.key)), [items, clock.time, frame]);

  const goTo = (item: ClueItem) => {
    setSelectedKey(item.key);
    if (item.frame !== null) player.seekFrame(item.frame);
    else {
      player.pause();
      player.seekTo(item.time);
    }
  };
  const pauseAndSeek = (t: number) => {
    player.pause();
    player.seekTo(t);
  };
  // A region clicked on the timeline: the click seeks; a box's marker goes to its exact frame.
  const selectRegion = (key: string | null) => {
    const item = items.find((i) => i.key === key);
    setSelectedKey(item === undefined ? null : item.key);
    if (item?.frame != null) player.seekFrame(item.frame);
  };

  const run = (command: Command, target: EventTarget | null) => {
    if (runPlayerCommand(player, command)) return;
    switch (command.type) {
      case 'step': {
        const next = stepClue(items, { time: clock.time, selectedKey }, command.direction, fps);
        if (next !== null) goTo(next);
        break;
      }
      case 'escape':
        if (!leaveTypingTarget(target)) setSelectedKey(null);
        break;
    }
  };
  useKeyCommands(questionCommandForKey, run);

  const canvas = isBoxQuestion ? (
    <BoxCanvas
      imageUrl={clock.playing ? null : frameUrl(template, frame)}
      frameWidth={video.width}
      frameHeight={video.height}
      boxes={boxes}
      selectedKey={selectedKey}
      drawColor="#ffffff"
      disabled
      onSelect={setSelectedKey}
      onCreate={ignore}
      onChange={ignore}
      onDelete={ignore}
      nudgeKey="alt"
    />
  ) : undefined;

  const aspect = { '--rv-aspect': String(video.width / video.height) } as CSSProperties;
  const refText =
    question.ref_start !== null && question.ref_end !== null ? formatInterval(question.ref_start, question.ref_end) : 'not marked';

  return (
    <div className="rv-question-media">
      <div className="rv-player" style={aspect}>
        <Player {...playerPropsOf(media, player, title)} overlay={canvas} />
      </div>
      <p className="rv-here" role="status" data-testid="here">
        <PositionNote blind={blind} isBoxQuestion={isBoxQuestion} playing={clock.playing} items={items} here={here} frame={frame} refText={refText} />
      </p>
      <Timeline
        {...timelineMediaOf(media, player)}
        regions={regions}
        selectedKey={selectedKey}
        onSelect={selectRegion}
        onRegionChange={ignore}
        onSeek={pauseAndSeek}
      />
      <ShortcutHelp prefix="rv" items={questionHelp(items.length > 0)} />
      {clueListTarget !== null &&
        createPortal(<ClueList question={question} items={items} selectedKey={selectedKey} here={here} onGoTo={goTo} />, clueListTarget)}
      {timeInput !== null &&
        timeInput.parentElement !== null &&
        createPortal(
          <button
            type="button"
            className="rv-use-time"
            data-testid="use-player-time"
            title="Anchor the comment at the player's position"
            onClick={() => {
              timeInput.value = String(clampMs(player.now(), duration));
            }}
            {...KEEP_FOCUS}
          >
            at {formatTime(clock.time)}
          </button>,
          timeInput.parentElement,
        )}
    </div>
  );
}

interface PositionNoteProps {
  blind: boolean;
  isBoxQuestion: boolean;
  playing: boolean;
  items: readonly ClueItem[];
  here: ReadonlySet<string>;
  frame: number;
  refText: string;
}

/** One line under the player: which clues are at the position, or where to find them. */
function PositionNote({ blind, isBoxQuestion, playing, items, here, frame, refText }: PositionNoteProps) {
  if (blind) return <>Reference interval {refText}. The first pass’s count and clues stay hidden: double annotation is blind.</>;
  if (items.length === 0) return <>Reference interval {refText}. No clues were marked.</>;
  const labels = items.filter((i) => here.has(i.key)).map((i) => i.label);
  if (isBoxQuestion) {
    if (playing) return <>Pause to see the boxes on the exact frame.</>;
    return labels.length > 0 ? (
      <>
        Frame {frame}: <strong>{labels.join(', ')}</strong>
      </>
    ) : (
      <>Frame {frame}: no box here. Press n for the next clue.</>
    );
  }
  return labels.length > 0 ? (
    <>
      Inside <strong>{labels.join(', ')}</strong>
    </>
  ) : (
    <>Outside every clue. Press n for the next clue.</>
  );
}
