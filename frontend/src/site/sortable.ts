// Client-side sorting for a server-rendered table marked <table data-sortable>: a click (or Enter) on a column's
// header sorts its rows by that column, numbers as numbers; again, the other way. The header says so in aria-sort.
// Tables sorted on the server (the question table's sort links) are not marked.
function cellValue(row: HTMLTableRowElement, index: number): string {
  const cell = row.cells[index];
  return cell ? (cell.dataset.sortValue ?? cell.textContent ?? '').trim() : '';
}

function asNumber(text: string): number | null {
  const cleaned = text.replace(/[,%\s]|^\$/g, '');
  if (cleaned === '' || cleaned === '—' || cleaned === '–') return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : null;
}

export function compareCells(a: string, b: string): number {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== null && y !== null) return x - y;
  if (x === null && y !== null) return 1;
  if (x !== null && y === null) return -1;
  return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
}

export function sortTable(table: HTMLTableElement, index: number, ascending: boolean): void {
  const body = table.tBodies[0];
  if (!body) return;
  const rows = Array.from(body.rows);
  if (rows.some((row) => row.querySelector('td.empty'))) return;
  rows.sort((r1, r2) => {
    const order = compareCells(cellValue(r1, index), cellValue(r2, index));
    return ascending ? order : -order;
  });
  body.append(...rows);
}

export function setUpSortableTables(root: ParentNode = document): void {
  for (const table of Array.from(root.querySelectorAll<HTMLTableElement>('table[data-sortable]'))) {
    const head = table.tHead?.rows[table.tHead.rows.length - 1];
    if (!head) continue;
    Array.from(head.cells).forEach((th, index) => {
      if (th.textContent?.trim() === '' || th.hasAttribute('data-nosort')) return;
      th.dataset.sort = '';
      th.tabIndex = 0;
      const sort = () => {
        const ascending = th.getAttribute('aria-sort') !== 'ascending';
        for (const other of Array.from(head.cells)) other.removeAttribute('aria-sort');
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        sortTable(table, index, ascending);
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          sort();
        }
      });
    });
  }
}
