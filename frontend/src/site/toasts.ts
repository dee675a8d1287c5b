// Django's messages as toasts (templates/base.html renders them in a fixed, aria-live region): each can be closed,
// and an info or success toast leaves by itself after a while; a warning or an error stays until closed. The region
// is out of the page's flow, so neither arriving nor leaving moves anything.
const AUTO_DISMISS_MS = 7000;
const LEAVE_MS = 200;

export function dismiss(toast: HTMLElement): void {
  if (toast.classList.contains('is-leaving')) return;
  toast.classList.add('is-leaving');
  window.setTimeout(() => toast.remove(), LEAVE_MS);
}

export function setUpToasts(root: ParentNode = document): void {
  const region = root.querySelector<HTMLElement>('[data-toasts]');
  if (!region) return;
  for (const toast of Array.from(region.querySelectorAll<HTMLElement>('[data-toast]'))) {
    toast.querySelector('[data-toast-close]')?.addEventListener('click', () => dismiss(toast));
    const sticky = toast.classList.contains('error') || toast.classList.contains('warning');
    if (!sticky) {
      let timer = window.setTimeout(() => dismiss(toast), AUTO_DISMISS_MS);
      // A toast being read (hovered or focused) waits.
      toast.addEventListener('mouseenter', () => window.clearTimeout(timer));
      toast.addEventListener('focusin', () => window.clearTimeout(timer));
      toast.addEventListener('mouseleave', () => { timer = window.setTimeout(() => dismiss(toast), AUTO_DISMISS_MS / 2); });
    }
  }
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const focused = document.activeElement;
    const toast = focused instanceof HTMLElement ? focused.closest<HTMLElement>('[data-toast]') : null;
    if (toast) dismiss(toast);
  });
}
