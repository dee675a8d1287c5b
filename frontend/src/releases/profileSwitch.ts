/**
 * The leaderboard's "Scored as" switch: choosing a profile shows it at once. The page's content security policy
 * forbids inline handlers, so the listener is attached here; without scripts the form's Show button does it.
 */
export function enableProfileSwitch(form: HTMLElement | null): void {
  if (!(form instanceof HTMLFormElement)) return;
  const select = form.querySelector<HTMLSelectElement>('select[name=profile]');
  if (select === null) return;
  select.addEventListener('change', () => form.requestSubmit());
  const show = form.querySelector<HTMLButtonElement>('button[type=submit]');
  if (show !== null) show.hidden = true;
}
