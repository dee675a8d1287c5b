import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BoxCanvas, type BoxCanvasProps, type CanvasBox } from './BoxCanvas';
import type { Box } from './geometry';

// jsdom has no layout: the svg shows the 1280x720 frame at 640x360, 10 px right and 20 px down.
const RECT = { left: 10, top: 20, width: 640, height: 360, right: 650, bottom: 380, x: 10, y: 20 };

beforeEach(() => {
  vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    const rect = this instanceof SVGSVGElement ? RECT : { left: 0, top: 0, width: 0, height: 0, right: 0, bottom: 0, x: 0, y: 0 };
    return { ...rect, toJSON: () => rect } as DOMRect;
  });
});

afterEach(() => {
  cleanup();
});

const A: CanvasBox = { key: 'a', x1: 100, y1: 100, x2: 300, y2: 300, color: '#e6194b', label: 'dog' };
const B: CanvasBox = { key: 'b', x1: 600, y1: 400, x2: 800, y2: 600, color: '#3cb44b' };

function setup(props: Partial<BoxCanvasProps> = {}) {
  const handlers = {
    onSelect: vi.fn<(key: string | null) => void>(),
    onCreate: vi.fn<(box: Box) => void>(),
    onChange: vi.fn<(key: string, box: Box) => void>(),
    onDelete: vi.fn<(key: string) => void>(),
  };
  const all: BoxCanvasProps = {
    imageUrl: '/frames/5/120.jpg',
    frameWidth: 1280,
    frameHeight: 720,
    boxes: [A, B],
    selectedKey: null,
    drawColor: '#4363d8',
    ...handlers,
    ...props,
  };
  const utils = render(<BoxCanvas {...all} />);
  const canvas = screen.getByTestId('box-canvas');
  const svg = canvas.querySelector('svg');
  // The frame has arrived (drawing waits for it).
  const img = canvas.querySelector('img');
  if (img !== null) fireEvent.load(img);
  return { ...utils, ...handlers, canvas, svg: svg!, rerender: (p: Partial<BoxCanvasProps>) => utils.rerender(<BoxCanvas {...all} {...p} />) };
}

/** Client coordinates of a frame point. */
const at = (x: number, y: number) => ({ clientX: x / 2 + RECT.left, clientY: y / 2 + RECT.top, pointerId: 1, button: 0 });

function drag(svg: SVGSVGElement, from: [number, number], ...path: [number, number][]) {
  fireEvent.pointerDown(svg, at(...from));
  for (const p of path) {
    fireEvent.pointerMove(svg, at(...p));
  }
  fireEvent.pointerUp(svg, at(...(path.at(-1) ?? from)));
}

describe('BoxCanvas rendering', () => {
  it('shows the frame with an svg overlay in frame pixels', () => {
    const { canvas, svg } = setup({ selectedKey: 'a' });
    expect(canvas.classList.contains('box-canvas')).toBe(true);
    expect(canvas.tabIndex).toBe(0);
    expect(canvas.querySelector('img')!.getAttribute('src')).toBe('/frames/5/120.jpg');
    expect(svg.getAttribute('viewBox')).toBe('0 0 1280 720');
    expect(svg.getAttribute('preserveAspectRatio')).toBe('none');
    expect(screen.getByRole('img', { name: 'Frame 1280×720 with 2 boxes' })).toBe(svg);

    const a = svg.querySelector('rect[data-key="a"]')!;
    expect(a.getAttribute('x')).toBe('100');
    expect(a.getAttribute('y')).toBe('100');
    expect(a.getAttribute('width')).toBe('200');
    expect(a.getAttribute('height')).toBe('200');
    expect(a.getAttribute('stroke')).toBe('#e6194b');
    expect(a.getAttribute('data-selected')).toBe('true');
    expect(a.querySelector('title')!.textContent).toBe('dog (100, 100) – (300, 300)');
    expect(svg.querySelector('rect[data-key="b"] title')!.textContent).toBe('Box (600, 400) – (800, 600)');
    expect(svg.querySelector('text')!.textContent).toBe('dog');
  });

  it('draws resize handles on the selected box only', () => {
    const { svg, rerender } = setup();
    expect(svg.querySelectorAll('[data-handle]')).toHaveLength(0);
    rerender({ selectedKey: 'b' });
    const handles = svg.querySelectorAll('[data-handle]');
    expect(handles).toHaveLength(8);
    // 8 display px = 16 frame px, centred on the corner (800, 600).
    const se = svg.querySelector('[data-handle="se"]')!;
    expect(se.getAttribute('x')).toBe('792');
    expect(se.getAttribute('y')).toBe('592');
    expect(se.getAttribute('width')).toBe('16');
  });

  it('shows a placeholder without a frame', () => {
    const { canvas } = setup({ imageUrl: null });
    expect(screen.getByText('Pause to draw boxes on the exact frame')).toBeTruthy();
    expect(canvas.querySelector('img')).toBeNull();
    expect(canvas.querySelector('svg')).toBeNull();
  });

  it('says so when the frame fails to load', () => {
    const { canvas } = setup();
    fireEvent.error(canvas.querySelector('img')!);
    expect(screen.getByRole('alert').textContent).toBe('The frame could not be loaded');
  });

  it('hints the cursor by handle', () => {
    const { svg } = setup({ selectedKey: 'a' });
    fireEvent.pointerMove(svg, at(50, 50));
    expect(svg.style.cursor).toBe('crosshair');
    fireEvent.pointerMove(svg, at(200, 200));
    expect(svg.style.cursor).toBe('move');
    fireEvent.pointerMove(svg, at(300, 300));
    expect(svg.style.cursor).toBe('nwse-resize');
    fireEvent.pointerMove(svg, at(200, 100));
    expect(svg.style.cursor).toBe('ns-resize');
    // Unselected boxes have no handles.
    fireEvent.pointerMove(svg, at(600, 500));
    expect(svg.style.cursor).toBe('move');
  });
});

describe('BoxCanvas drawing', () => {
  it('draws a box in frame pixels, shown live, reported once at pointer up', () => {
    const { svg, onCreate, onSelect } = setup({ boxes: [] });
    fireEvent.pointerDown(svg, at(100, 50));
    fireEvent.pointerMove(svg, at(200, 150));
    const draft = screen.getByTestId('box-canvas-draft');
    expect(draft.getAttribute('stroke')).toBe('#4363d8');
    expect(draft.getAttribute('width')).toBe('100');
    fireEvent.pointerMove(svg, at(300, 250));
    expect(onCreate).not.toHaveBeenCalled();
    fireEvent.pointerUp(svg, at(300, 250));
    expect(onCreate).toHaveBeenCalledOnce();
    expect(onCreate).toHaveBeenCalledWith({ x1: 100, y1: 50, x2: 300, y2: 250 });
    expect(onSelect).not.toHaveBeenCalled();
    expect(screen.queryByTestId('box-canvas-draft')).toBeNull();
  });

  it('converts client pixels (x2 scale, offset) exactly', () => {
    const { svg, onCreate } = setup({ boxes: [] });
    fireEvent.pointerDown(svg, { clientX: 60, clientY: 45, pointerId: 1, button: 0 });
    fireEvent.pointerUp(svg, { clientX: 110.25, clientY: 95, pointerId: 1, button: 0 });
    expect(onCreate).toHaveBeenCalledWith({ x1: 100, y1: 50, x2: 200.5, y2: 150 });
  });

  it('normalizes a drag up and left, and clamps it to the frame', () => {
    const { svg, onCreate } = setup({ boxes: [] });
    drag(svg, [1000, 600], [-400, -300]);
    expect(onCreate).toHaveBeenCalledWith({ x1: 0, y1: 0, x2: 1000, y2: 600 });
  });

  it('ignores a tiny drag and deselects on a click on empty space', () => {
    const { svg, onCreate, onSelect } = setup({ selectedKey: 'a' });
    drag(svg, [900, 100], [901, 101]);
    expect(onCreate).not.toHaveBeenCalled();
    expect(onSelect).toHaveBeenCalledExactlyOnceWith(null);
  });

  it('ignores a drag one pixel narrow', () => {
    const { svg, onCreate } = setup({ boxes: [] });
    drag(svg, [100, 100], [101, 400]);
    expect(onCreate).not.toHaveBeenCalled();
  });

  it('disabled: no drawing', () => {
    const { svg, onCreate } = setup({ boxes: [], disabled: true });
    fireEvent.pointerDown(svg, at(100, 100));
    fireEvent.pointerMove(svg, at(300, 300));
    expect(screen.queryByTestId('box-canvas-draft')).toBeNull();
    fireEvent.pointerUp(svg, at(300, 300));
    expect(onCreate).not.toHaveBeenCalled();
  });

  it('Escape cancels a drag', () => {
    const { svg, canvas, onCreate } = setup({ boxes: [] });
    fireEvent.pointerDown(svg, at(100, 100));
    fireEvent.pointerMove(svg, at(300, 300));
    fireEvent.keyDown(canvas, { key: 'Escape' });
    expect(screen.queryByTestId('box-canvas-draft')).toBeNull();
    fireEvent.pointerUp(svg, at(300, 300));
    expect(onCreate).not.toHaveBeenCalled();
  });

  it('ignores buttons other than the primary one', () => {
    const { svg, onCreate } = setup({ boxes: [] });
    fireEvent.pointerDown(svg, { ...at(100, 100), button: 2 });
    fireEvent.pointerUp(svg, at(300, 300));
    expect(onCreate).not.toHaveBeenCalled();
  });
});

describe('BoxCanvas selecting and editing', () => {
  it('a click on a box selects it and changes nothing', () => {
    const { svg, onSelect, onChange, onCreate } = setup();
    drag(svg, [200, 200]);
    expect(onSelect).toHaveBeenCalledExactlyOnceWith('a');
    expect(onChange).not.toHaveBeenCalled();
    expect(onCreate).not.toHaveBeenCalled();
  });

  it('the smaller of nested boxes is selected', () => {
    const inner: CanvasBox = { key: 'inner', x1: 150, y1: 150, x2: 250, y2: 250, color: '#fff' };
    const { svg, onSelect } = setup({ boxes: [A, inner] });
    drag(svg, [200, 200]);
    expect(onSelect).toHaveBeenCalledExactlyOnceWith('inner');
  });

  it('jitter below the drag threshold does not move a box', () => {
    const { svg, onChange } = setup({ selectedKey: 'a' });
    drag(svg, [200, 200], [203, 202]);
    expect(onChange).not.toHaveBeenCalled();
  });

  it('dragging a box moves it, live, and reports once at pointer up', () => {
    const { svg, onChange, onSelect } = setup();
    fireEvent.pointerDown(svg, at(200, 200));
    expect(onSelect).toHaveBeenCalledExactlyOnceWith('a');
    fireEvent.pointerMove(svg, at(230, 210));
    fireEvent.pointerMove(svg, at(260, 230));
    expect(svg.querySelector('rect[data-key="a"]')!.getAttribute('x')).toBe('160');
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.pointerUp(svg, at(260, 230));
    expect(onChange).toHaveBeenCalledExactlyOnceWith('a', { x1: 160, y1: 130, x2: 360, y2: 330 });
    // Back to the props' coordinates until the parent applies the change.
    expect(svg.querySelector('rect[data-key="a"]')!.getAttribute('x')).toBe('100');
  });

  it('a moved box stays inside the frame', () => {
    const { svg, onChange } = setup({ selectedKey: 'b' });
    drag(svg, [700, 500], [2000, 2000]);
    expect(onChange).toHaveBeenCalledExactlyOnceWith('b', { x1: 1080, y1: 520, x2: 1280, y2: 720 });
  });

  it('a moved box stops at the top left corner', () => {
    const { svg, onChange } = setup({ selectedKey: 'a' });
    drag(svg, [200, 200], [-300, -300]);
    expect(onChange).toHaveBeenCalledExactlyOnceWith('a', { x1: 0, y1: 0, x2: 200, y2: 200 });
  });

  it('dragging a handle of the selected box resizes it', () => {
    const { svg, onChange } = setup({ selectedKey: 'a' });
    // Within 6 display px (12 frame px) of the corner.
    drag(svg, [304, 296], [400, 500]);
    expect(onChange).toHaveBeenCalledExactlyOnceWith('a', { x1: 100, y1: 100, x2: 400, y2: 500 });
  });

  it('dragging the handle element itself resizes', () => {
    const { svg, onChange } = setup({ selectedKey: 'a' });
    const nw = svg.querySelector('[data-handle="nw"]')!;
    fireEvent.pointerDown(nw, at(100, 100));
    fireEvent.pointerMove(svg, at(50, 60));
    fireEvent.pointerUp(svg, at(50, 60));
    expect(onChange).toHaveBeenCalledExactlyOnceWith('a', { x1: 50, y1: 60, x2: 300, y2: 300 });
  });

  it('a resize never inverts the box', () => {
    const { svg, onChange } = setup({ selectedKey: 'a' });
    drag(svg, [200, 100], [200, 700]);
    expect(onChange).toHaveBeenCalledExactlyOnceWith('a', { x1: 100, y1: 298, x2: 300, y2: 300 });
  });

  it('the edge of an unselected box moves it rather than resizing', () => {
    const { svg, onChange } = setup();
    drag(svg, [102, 200], [142, 200]);
    expect(onChange).toHaveBeenCalledExactlyOnceWith('a', { x1: 140, y1: 100, x2: 340, y2: 300 });
  });

  it('disabled: selects, but neither moves nor resizes', () => {
    const { svg, onChange, onSelect } = setup({ disabled: true, selectedKey: 'b' });
    expect(svg.querySelectorAll('[data-handle]')).toHaveLength(0);
    drag(svg, [200, 200], [400, 400]);
    expect(onSelect).toHaveBeenCalledExactlyOnceWith('a');
    drag(svg, [800, 600], [900, 700]);
    expect(onChange).not.toHaveBeenCalled();
  });
});

describe('BoxCanvas keyboard', () => {
  it('Delete and Backspace delete the selected box', () => {
    const { canvas, onDelete } = setup({ selectedKey: 'b' });
    canvas.focus();
    fireEvent.keyDown(canvas, { key: 'Delete' });
    expect(onDelete).toHaveBeenCalledExactlyOnceWith('b');
    fireEvent.keyDown(canvas, { key: 'Backspace' });
    expect(onDelete).toHaveBeenCalledTimes(2);
  });

  it('deletes nothing without a selection', () => {
    const { canvas, onDelete } = setup();
    fireEvent.keyDown(canvas, { key: 'Delete' });
    expect(onDelete).not.toHaveBeenCalled();
  });

  it('arrows nudge the selected box by 1 px, Shift by 10 px', () => {
    const { canvas, onChange } = setup({ selectedKey: 'a' });
    fireEvent.keyDown(canvas, { key: 'ArrowRight' });
    expect(onChange).toHaveBeenLastCalledWith('a', { x1: 101, y1: 100, x2: 301, y2: 300 });
    fireEvent.keyDown(canvas, { key: 'ArrowUp', shiftKey: true });
    expect(onChange).toHaveBeenLastCalledWith('a', { x1: 100, y1: 90, x2: 300, y2: 290 });
    fireEvent.keyDown(canvas, { key: 'ArrowDown' });
    expect(onChange).toHaveBeenLastCalledWith('a', { x1: 100, y1: 101, x2: 300, y2: 301 });
    fireEvent.keyDown(canvas, { key: 'ArrowLeft', shiftKey: true });
    expect(onChange).toHaveBeenLastCalledWith('a', { x1: 90, y1: 100, x2: 290, y2: 300 });
    expect(onChange).toHaveBeenCalledTimes(4);
  });

  it('a nudge into the edge changes nothing', () => {
    const edge: CanvasBox = { key: 'e', x1: 0, y1: 0, x2: 50, y2: 50, color: '#000' };
    const { canvas, onChange } = setup({ boxes: [edge], selectedKey: 'e' });
    fireEvent.keyDown(canvas, { key: 'ArrowLeft' });
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.keyDown(canvas, { key: 'ArrowRight', shiftKey: true });
    expect(onChange).toHaveBeenCalledExactlyOnceWith('e', { x1: 10, y1: 0, x2: 60, y2: 50 });
  });

  it('Escape deselects', () => {
    const { canvas, onSelect } = setup({ selectedKey: 'a' });
    fireEvent.keyDown(canvas, { key: 'Escape' });
    expect(onSelect).toHaveBeenCalledExactlyOnceWith(null);
  });

  it('disabled: no deleting or nudging', () => {
    const { canvas, onChange, onDelete } = setup({ selectedKey: 'a', disabled: true });
    fireEvent.keyDown(canvas, { key: 'Delete' });
    fireEvent.keyDown(canvas, { key: 'ArrowRight' });
    expect(onDelete).not.toHaveBeenCalled();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('the canvas takes focus when pressed', () => {
    const { svg, canvas } = setup();
    fireEvent.pointerDown(svg, at(200, 200));
    expect(document.activeElement).toBe(canvas);
  });
});

describe('BoxCanvas stale frames', () => {
  it('draws nothing until the new frame has loaded, and says it is loading', () => {
    const { svg, canvas, rerender, onCreate } = setup();
    expect(screen.queryByText('loading frame…')).toBeNull();
    rerender({ imageUrl: '/frames/5/121.jpg' });
    expect(screen.getByText('loading frame…')).toBeTruthy();
    drag(svg, [400, 400], [600, 600]);
    expect(onCreate).not.toHaveBeenCalled();
    fireEvent.load(canvas.querySelector('img')!);
    expect(screen.queryByText('loading frame…')).toBeNull();
    drag(svg, [400, 400], [600, 600]);
    expect(onCreate).toHaveBeenCalledOnce();
  });

  it('a new frame or disabling cancels a gesture in progress', () => {
    const { svg, rerender, onCreate, onChange } = setup();
    fireEvent.pointerDown(svg, at(400, 400));
    fireEvent.pointerMove(svg, at(600, 600));
    expect(screen.getByTestId('box-canvas-draft')).toBeTruthy();
    rerender({ imageUrl: '/frames/5/121.jpg' });
    fireEvent.load(svg.parentElement!.querySelector('img')!);
    expect(screen.queryByTestId('box-canvas-draft')).toBeNull();
    fireEvent.pointerUp(svg, at(600, 600));
    expect(onCreate).not.toHaveBeenCalled();

    fireEvent.pointerDown(svg, at(150, 150));
    fireEvent.pointerMove(svg, at(250, 250));
    rerender({ imageUrl: '/frames/5/121.jpg', disabled: true });
    rerender({ imageUrl: '/frames/5/121.jpg', disabled: false });
    fireEvent.pointerUp(svg, at(250, 250));
    expect(onChange).not.toHaveBeenCalled();
  });

  it('losing the pointer capture cancels the gesture', () => {
    const { svg, onCreate } = setup();
    fireEvent.pointerDown(svg, at(400, 400));
    fireEvent.pointerMove(svg, at(600, 600));
    fireEvent.lostPointerCapture(svg, { pointerId: 1 });
    expect(screen.queryByTestId('box-canvas-draft')).toBeNull();
    fireEvent.pointerUp(svg, at(600, 600));
    expect(onCreate).not.toHaveBeenCalled();
  });
});

describe('label outlines', () => {
  it('are light around dark colours and dark around light ones, so a label reads on any frame', async () => {
    const { haloFor } = await import('./BoxShapes');
    expect(haloFor('#000075')).toBe('#fff'); // navy
    expect(haloFor('#4363d8')).toBe('#fff'); // blue
    expect(haloFor('#ffe119')).toBe('#000'); // yellow
    expect(haloFor('#3cb44b')).toBe('#000'); // green
    expect(haloFor('#4363d866')).toBe('#fff'); // dimmed blue
    expect(haloFor('white')).toBe('#000');
  });
});
