// The review page with the real box canvas (no stub): drawing, selecting and nudging through it.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventReviewApp } from './EventReviewApp';
import { jsonResponse, makeData } from './fixtures';
import type { PutBody } from './types';

// jsdom has no layout: the svg shows the 1280x720 frame at 640x360, 10 px right and 20 px down.
const RECT = { left: 10, top: 20, width: 640, height: 360, right: 650, bottom: 380, x: 10, y: 20 };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    const rect = this instanceof SVGSVGElement ? RECT : { left: 0, top: 0, width: 0, height: 0, right: 0, bottom: 0, x: 0, y: 0 };
    return { ...rect, toJSON: () => rect } as DOMRect;
  });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** Client coordinates of a frame point. */
const at = (x: number, y: number) => ({ clientX: x / 2 + RECT.left, clientY: y / 2 + RECT.top, pointerId: 1, button: 0 });

function setup() {
  const fetchImpl = vi.fn<typeof fetch>((_url, init) => {
    const body = JSON.parse(String(init?.body)) as PutBody;
    return Promise.resolve(jsonResponse({ ...makeData().doc, version: body.version + 1 }));
  });
  render(<EventReviewApp data={makeData()} fetchImpl={fetchImpl} navigate={vi.fn()} />);
  const canvas = screen.getByTestId('box-canvas');
  fireEvent.load(canvas.querySelector('img')!);
  return { fetchImpl, canvas, svg: canvas.querySelector('svg')! };
}

describe('EventReviewApp with the box canvas', () => {
  it('draws a box for the selected object, selects it, nudges it with the arrows and deletes it', async () => {
    const { canvas, svg, fetchImpl } = setup();
    expect(svg.querySelectorAll('rect[data-key]')).toHaveLength(2);
    // Object 2 (man) selected, then a drag on empty space.
    fireEvent.keyDown(document.body, { key: '2' });
    fireEvent.pointerDown(svg, at(900, 100));
    fireEvent.pointerMove(svg, at(1000, 200));
    fireEvent.pointerUp(svg, at(1000, 300));
    const drawn = svg.querySelector('rect[data-key="new-1"]')!;
    expect(drawn.getAttribute('data-selected')).toBe('true');
    expect([drawn.getAttribute('x'), drawn.getAttribute('y'), drawn.getAttribute('width'), drawn.getAttribute('height')]).toEqual([
      '900',
      '100',
      '100',
      '200',
    ]);
    expect(screen.getAllByTestId('box-row').map((r) => r.dataset.key)).toEqual(['b91', 'b93', 'new-1']);
    // The arrows move the selected box while the canvas has the focus (not the second shown).
    fireEvent.keyDown(canvas, { key: 'ArrowRight', shiftKey: true });
    expect(svg.querySelector('rect[data-key="new-1"]')!.getAttribute('x')).toBe('910');
    expect(screen.getByTestId('current-second').dataset.frame).toBe('35');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    const body = JSON.parse(String(fetchImpl.mock.calls[0]![1]?.body)) as PutBody;
    expect(body.objects[1]!.boxes.at(-1)).toEqual({ id: null, frame_index: 35, x1: 910, y1: 100, x2: 1010, y2: 300 });
    // Delete on the canvas removes it.
    fireEvent.keyDown(canvas, { key: 'Delete' });
    expect(svg.querySelector('rect[data-key="new-1"]')).toBeNull();
    // A click on a box selects it and its object.
    fireEvent.pointerDown(svg, at(100, 100));
    fireEvent.pointerUp(svg, at(100, 100));
    expect(svg.querySelector('rect[data-key="b91"]')!.getAttribute('data-selected')).toBe('true');
    expect(within(screen.getAllByTestId('object-row')[0]!).getByTestId('object-name')).toBeTruthy();
    expect(screen.getAllByTestId('object-row')[0]!.dataset.selected).toBe('true');
  });
});
