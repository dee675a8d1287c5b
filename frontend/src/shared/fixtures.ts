// Test helpers shared by the islands' tests (not imported by the app).

/** A fetch answer; a plain object (not a Response), so reading it needs no stream timers. */
export function jsonResponse(body: unknown, status = 200): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    json: () => Promise.resolve(body),
  } as Response;
}

/** A `json_script` element holding `text`, as Django renders one (not in the document). */
export function jsonScript(text: string): Element {
  const el = document.createElement('script');
  el.type = 'application/json';
  el.textContent = text;
  return el;
}
