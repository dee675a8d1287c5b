/**
 * Keeps `--rv-top` on the page's `.rv` element at the distance of its layout
 * (media and side panel) from the top of the document, so that the stylesheet
 * sizes the picture and the side panel to fit the window under the header,
 * whatever the header's height (a long question wraps). Returns what stops it.
 */
export function fitBelowHeader(page: HTMLElement, layout: HTMLElement): () => void {
  const win = page.ownerDocument.defaultView;
  if (win === null) return () => {};
  const update = () => page.style.setProperty('--rv-top', `${Math.round(layout.getBoundingClientRect().top + win.scrollY)}px`);
  update();
  win.addEventListener('resize', update);
  const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
  const head = page.querySelector('.rv-head');
  if (head !== null) observer?.observe(head);
  return () => {
    win.removeEventListener('resize', update);
    observer?.disconnect();
  };
}
