import { afterEach, describe, expect, it, vi } from 'vitest';
import { enableProfileSwitch } from './profileSwitch';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('enableProfileSwitch', () => {
  it('shows a chosen profile at once and hides the Show button', () => {
    document.body.innerHTML = `<form id="profile-form"><select name="profile"><option>a</option><option>b</option></select>
      <button type="submit">Show</button></form>`;
    const form = document.getElementById('profile-form') as HTMLFormElement;
    const submit = vi.spyOn(form, 'requestSubmit').mockImplementation(() => {});
    enableProfileSwitch(form);
    expect(form.querySelector('button')!.hidden).toBe(true);
    const select = form.querySelector('select')!;
    select.value = 'b';
    select.dispatchEvent(new Event('change'));
    expect(submit).toHaveBeenCalledOnce();
  });

  it('does nothing without the form', () => {
    expect(() => enableProfileSwitch(null)).not.toThrow();
    document.body.innerHTML = '<div id="profile-form"></div>';
    expect(() => enableProfileSwitch(document.getElementById('profile-form'))).not.toThrow();
  });
});
