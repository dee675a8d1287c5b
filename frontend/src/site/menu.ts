// The user menu in the top bar is a <details>: it works without script; this closes it on a click elsewhere or Escape.
export function setUpMenus(root: Document = document): void {
  const menus = Array.from(root.querySelectorAll<HTMLDetailsElement>('details[data-menu]'));
  if (menus.length === 0) return;
  root.addEventListener('click', (event) => {
    for (const menu of menus) {
      if (menu.open && !menu.contains(event.target as Node)) menu.open = false;
    }
  });
  root.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    for (const menu of menus) {
      if (menu.open) {
        menu.open = false;
        menu.querySelector('summary')?.focus();
      }
    }
  });
}
