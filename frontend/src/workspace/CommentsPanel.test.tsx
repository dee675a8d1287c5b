import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { anchorLabel, anchorTime } from './comments';
import { CommentsPanel, type CommentsPanelProps } from './CommentsPanel';
import { jsonResponse, makeComment } from './fixtures';
import type { CommentInfo } from './types';

afterEach(cleanup);

type Options = Partial<Omit<CommentsPanelProps, 'comments' | 'onChange'>> & { comments?: CommentInfo[] };

function setup(options: Options = {}) {
  const fetchImpl = vi.fn<typeof fetch>();
  const onSeek = vi.fn();
  const onSeekFrame = vi.fn();
  const seen: CommentInfo[][] = [];
  function Harness() {
    const [comments, setComments] = useState<CommentInfo[]>(options.comments ?? []);
    seen.push(comments);
    return (
      <CommentsPanel
        questionId={7}
        addUrl="/api/v1/comments/"
        resolveUrl="/api/v1/comments/{id}/resolve/"
        csrfToken="tok"
        fetchImpl={fetchImpl}
        canComment
        anchor={{ time: 12.34 }}
        onSeek={onSeek}
        onSeekFrame={onSeekFrame}
        {...options}
        comments={comments}
        onChange={setComments}
      />
    );
  }
  render(<Harness />);
  return { fetchImpl, onSeek, onSeekFrame, latest: () => seen.at(-1)! };
}

const sent = (fetchImpl: ReturnType<typeof vi.fn<typeof fetch>>) => {
  const [url, init] = fetchImpl.mock.calls.at(-1)!;
  return { url, method: init?.method, headers: init?.headers, body: JSON.parse(String(init?.body)) as unknown };
};

describe('anchors', () => {
  it('label a time with one decimal and prefer the frame', () => {
    expect(anchorLabel({ time: 12.34 })).toBe('12.3 s');
    expect(anchorLabel({ frame_index: 308 })).toBe('frame 308');
    expect(anchorLabel({ time: 12.34, frame_index: 308 })).toBe('frame 308');
    expect(anchorLabel({ time: null, frame_index: null })).toBeNull();
  });

  it('put a frame at its middle on the timeline', () => {
    expect(anchorTime(makeComment({ time: null, frame_index: 10 }), 25)).toBeCloseTo(0.42);
    expect(anchorTime(makeComment({ time: 3 }), 25)).toBe(3);
    expect(anchorTime(makeComment({ time: null }), 25)).toBeNull();
  });
});

describe('CommentsPanel', () => {
  it('lists comments with author, decision, anchor chip and state', () => {
    const { onSeek, onSeekFrame } = setup({
      comments: [
        makeComment({ review_decision: 'send_back' }),
        makeComment({ id: 32, author_name: 'ann', text: 'Is this a box?', time: null, frame_index: 308 }),
        makeComment({ id: 33, text: 'Fixed', time: null, resolved_at: '2026-03-02T10:00:00Z', resolved_by_name: 'ann' }),
      ],
    });
    const items = screen.getAllByTestId('comment');
    expect(items).toHaveLength(3);
    expect(items[0]!.textContent).toContain('rita');
    expect(items[0]!.textContent).toContain('Sent back');
    expect(items[0]!.textContent).toContain('A bark is missing here');
    expect(screen.getByText('· 2 open')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '12.3 s' }));
    expect(onSeek).toHaveBeenCalledWith(12.3);
    fireEvent.click(screen.getByRole('button', { name: 'frame 308' }));
    expect(onSeekFrame).toHaveBeenCalledWith(308);
    expect(items[2]!.textContent).toContain('Resolved by ann');
    expect(items[2]!.querySelector('button')).toBeNull();
    expect(screen.getAllByRole('button', { name: 'Resolve' })).toHaveLength(2);
  });

  it('adds a comment at the playhead', async () => {
    const { fetchImpl, latest } = setup();
    expect(screen.getByText('No comments.')).toBeTruthy();
    const button = screen.getByRole('button', { name: 'Comment at 12.3 s' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('New comment'), { target: { value: 'Missing bark' } });
    fetchImpl.mockResolvedValueOnce(jsonResponse(makeComment({ id: 40, text: 'Missing bark', time: 12.34 }), 201));
    await act(async () => {
      fireEvent.click(button);
    });
    const request = sent(fetchImpl);
    expect(request.url).toBe('/api/v1/comments/');
    expect(request.method).toBe('POST');
    expect(request.headers).toMatchObject({ 'X-CSRFToken': 'tok' });
    expect(request.body).toEqual({ question: 7, text: 'Missing bark', time: 12.34 });
    expect(latest().map((c) => c.id)).toEqual([40]);
    expect((screen.getByLabelText('New comment') as HTMLTextAreaElement).value).toBe('');
  });

  it('anchors to the frame for box questions, or to nothing, and Ctrl+Enter sends', async () => {
    const { fetchImpl } = setup({ anchor: { frame_index: 308 } });
    const area = screen.getByLabelText('New comment');
    fireEvent.change(area, { target: { value: 'Box too small' } });
    fetchImpl.mockResolvedValue(jsonResponse(makeComment({ id: 41 }), 201));
    await act(async () => {
      fireEvent.keyDown(area, { key: 'Enter', ctrlKey: true });
    });
    expect(sent(fetchImpl).body).toEqual({ question: 7, text: 'Box too small', frame_index: 308 });
    fireEvent.change(area, { target: { value: 'Whole question' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Comment on the whole question' }));
    });
    expect(sent(fetchImpl).body).toEqual({ question: 7, text: 'Whole question' });
  });

  it('shows why the server refused and keeps the text', async () => {
    const { fetchImpl, latest } = setup();
    fireEvent.change(screen.getByLabelText('New comment'), { target: { value: 'Late' } });
    fetchImpl.mockResolvedValueOnce(jsonResponse({ time: ['75.000 s is after the end of the video (60.000 s)'] }, 400));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Comment at 12.3 s' }));
    });
    expect(screen.getByRole('alert').textContent).toBe('Not added: 75.000 s is after the end of the video (60.000 s)');
    expect((screen.getByLabelText('New comment') as HTMLTextAreaElement).value).toBe('Late');
    expect(latest()).toEqual([]);
    fetchImpl.mockRejectedValueOnce(new TypeError('network'));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Comment at 12.3 s' }));
    });
    expect(screen.getByRole('alert').textContent).toContain('Offline');
  });

  it('resolves a comment', async () => {
    const { fetchImpl, latest } = setup({ comments: [makeComment()] });
    fetchImpl.mockResolvedValueOnce(
      jsonResponse(makeComment({ resolved_at: '2026-03-02T10:00:00Z', resolved_by_name: 'ann', can_resolve: false })),
    );
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Resolve' }));
    });
    expect(sent(fetchImpl).url).toBe('/api/v1/comments/31/resolve/');
    expect(latest()[0]!.resolved_by_name).toBe('ann');
    expect(screen.getByText('Resolved by ann')).toBeTruthy();
    expect(screen.getByText('· 0 open')).toBeTruthy();
  });

  it('reads only, without the right to comment or resolve', () => {
    setup({ comments: [makeComment({ can_resolve: false })], canComment: false });
    expect(screen.queryByLabelText('New comment')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Resolve' })).toBeNull();
    expect(screen.getByRole('button', { name: '12.3 s' })).toBeTruthy();
  });
});
