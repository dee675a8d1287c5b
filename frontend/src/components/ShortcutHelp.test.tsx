import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { paletteColor, PALETTE } from './palette';
import { ShortcutHelp } from './ShortcutHelp';

afterEach(cleanup);

describe('ShortcutHelp', () => {
  it('lists the keys with the island prefix on every part', () => {
    const { container } = render(<ShortcutHelp prefix="ws" items={[['Space', 'play / pause'], ['Esc', 'leave a field']]} />);
    const line = container.querySelector('p.ws-help')!;
    expect(line.querySelector('.ws-help-title')!.textContent).toBe('Keys:');
    const items = [...line.querySelectorAll('.ws-help-item')];
    expect(items.map((i) => i.querySelector('kbd')!.textContent)).toEqual(['Space', 'Esc']);
    expect(items[0]!.textContent).toBe('Space play / pause');
  });
});

describe('paletteColor', () => {
  it('cycles through the palette', () => {
    expect(paletteColor(0)).toBe(PALETTE[0]);
    expect(paletteColor(PALETTE.length + 1)).toBe(PALETTE[1]);
    expect(paletteColor(-1)).toBe(PALETTE[PALETTE.length - 1]);
  });
});
