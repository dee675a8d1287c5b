import { afterEach, describe, expect, it, vi } from 'vitest';
import { fitBelowHeader } from './layout';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('fitBelowHeader', () => {
  it('puts the layout’s top on the page as --rv-top, again when the window is resized', () => {
    document.body.innerHTML = '<div class="rv"><header class="rv-head"></header><div class="rv-layout"></div></div>';
    const page = document.querySelector<HTMLElement>('.rv')!;
    const layout = document.querySelector<HTMLElement>('.rv-layout')!;
    let top = 107.6;
    vi.spyOn(layout, 'getBoundingClientRect').mockImplementation(() => ({ top }) as DOMRect);
    const stop = fitBelowHeader(page, layout);
    expect(page.style.getPropertyValue('--rv-top')).toBe('108px');
    top = 150;
    window.dispatchEvent(new Event('resize'));
    expect(page.style.getPropertyValue('--rv-top')).toBe('150px');
    stop();
    top = 10;
    window.dispatchEvent(new Event('resize'));
    expect(page.style.getPropertyValue('--rv-top')).toBe('150px');
  });
});
