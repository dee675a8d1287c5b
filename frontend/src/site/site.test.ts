import { describe, expect, it, vi } from 'vitest';
import { setUpMenus } from './menu';
import { compareCells, setUpSortableTables } from './sortable';
import { setUpToasts } from './toasts';

describe('sortable tables', () => {
  it('compares numbers as numbers and puts blanks last', () => {
    expect(['10', '9', '—', '100'].sort(compareCells)).toEqual(['9', '10', '100', '—']);
    expect(compareCells('1.5 s', '12 s')).toBeLessThan(0);
    expect(compareCells('beta', 'Alpha')).toBeGreaterThan(0);
  });

  it('sorts a marked table by the clicked column, then the other way', () => {
    document.body.innerHTML = `<table data-sortable><thead><tr><th>Name</th><th class="n">N</th><th></th></tr></thead>
      <tbody><tr><td>b</td><td>10</td><td></td></tr><tr><td>a</td><td>9</td><td></td></tr><tr><td>c</td><td>100</td><td></td></tr></tbody></table>`;
    setUpSortableTables();
    const [, n, empty] = Array.from(document.querySelectorAll<HTMLTableCellElement>('th'));
    const names = () => Array.from(document.querySelectorAll<HTMLTableRowElement>('tbody tr')).map((r) => r.cells[0]!.textContent);
    n!.click();
    expect(names()).toEqual(['a', 'b', 'c']);
    expect(n!.getAttribute('aria-sort')).toBe('ascending');
    n!.click();
    expect(names()).toEqual(['c', 'b', 'a']);
    expect(empty!.hasAttribute('data-sort')).toBe(false);
  });

  it('leaves an empty-state table alone', () => {
    document.body.innerHTML = `<table data-sortable><thead><tr><th>Name</th></tr></thead>
      <tbody><tr><td class="empty">Nothing yet.</td></tr></tbody></table>`;
    setUpSortableTables();
    document.querySelector('th')!.click();
    expect(document.querySelector('td.empty')).not.toBeNull();
  });
});

describe('toasts', () => {
  const region = `<ul data-toasts><li class="cb-toast success" data-toast><span>Saved.</span><button data-toast-close>x</button></li>
    <li class="cb-toast error" data-toast><span>Failed.</span><button data-toast-close>x</button></li></ul>`;

  it('an info or success toast leaves by itself, an error stays until closed', () => {
    vi.useFakeTimers();
    document.body.innerHTML = region;
    setUpToasts();
    vi.advanceTimersByTime(8000);
    expect(document.querySelectorAll('[data-toast]')).toHaveLength(1);
    expect(document.querySelector('[data-toast]')!.textContent).toContain('Failed.');
    (document.querySelector('[data-toast-close]') as HTMLButtonElement).click();
    vi.advanceTimersByTime(300);
    expect(document.querySelectorAll('[data-toast]')).toHaveLength(0);
    vi.useRealTimers();
  });
});

describe('user menu', () => {
  it('closes on a click elsewhere and on Escape', () => {
    document.body.innerHTML = '<details data-menu open><summary>me</summary><a href="#">x</a></details><p id="out">out</p>';
    setUpMenus();
    const menu = document.querySelector('details')!;
    document.getElementById('out')!.click();
    expect(menu.open).toBe(false);
    menu.open = true;
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(menu.open).toBe(false);
  });
});

describe('choose-all box', () => {
  it('ticks and clears the named boxes of its form, and is mixed when only some are ticked', async () => {
    const { setUpSelectAll } = await import('./selectAll');
    document.body.innerHTML = `<form><input type="checkbox" data-select-all="question" id="all">
      <input type="checkbox" name="question" value="1"><input type="checkbox" name="question" value="2" checked>
      <input type="checkbox" name="other" value="x"></form>`;
    setUpSelectAll(document);
    const all = document.getElementById('all') as HTMLInputElement;
    const boxes = Array.from(document.querySelectorAll<HTMLInputElement>('input[name=question]'));
    expect(all.indeterminate).toBe(true);
    all.click();
    expect(boxes.map((b) => b.checked)).toEqual([true, true]);
    expect((document.querySelector('input[name=other]') as HTMLInputElement).checked).toBe(false);
    boxes[0]!.click();
    expect([all.checked, all.indeterminate]).toEqual([false, true]);
    boxes[0]!.click();
    expect([all.checked, all.indeterminate]).toEqual([true, false]);
  });
});
