// A "choose all" box over a list of checkboxes: <input type="checkbox" data-select-all="NAME"> ticks or clears every
// checkbox named NAME in its form, and shows itself mixed when only some are ticked.
export function setUpSelectAll(root: Document = document): void {
  for (const all of Array.from(root.querySelectorAll<HTMLInputElement>('input[type=checkbox][data-select-all]'))) {
    const scope: ParentNode = all.form ?? root;
    const name = all.dataset.selectAll ?? '';
    const boxes = () =>
      Array.from(scope.querySelectorAll<HTMLInputElement>('input[type=checkbox]')).filter((b) => b !== all && b.name === name);
    const reflect = () => {
      const list = boxes();
      const ticked = list.filter((b) => b.checked).length;
      all.checked = list.length > 0 && ticked === list.length;
      all.indeterminate = ticked > 0 && ticked < list.length;
    };
    all.addEventListener('change', () => {
      for (const box of boxes()) box.checked = all.checked;
      all.indeterminate = false;
    });
    for (const box of boxes()) box.addEventListener('change', reflect);
    reflect();
  }
}
