import { uploadVideo } from '../upload/upload';
import '../styles.css';

const root = document.getElementById('upload-root');
const input = document.getElementById('upload-files') as HTMLInputElement | null;
const list = document.getElementById('upload-list');
const csrf = (document.querySelector('input[name=csrfmiddlewaretoken]') as HTMLInputElement | null)?.value ?? '';

if (root && input && list) {
  input.addEventListener('change', async () => {
    const files = Array.from(input.files ?? []);
    input.disabled = true;
    let accepted = 0;
    // One at a time: a long video saturates the link; parallel uploads only make each slower.
    for (const file of files) {
      const item = document.createElement('li');
      const bar = document.createElement('progress');
      bar.max = 1;
      bar.value = 0;
      const label = document.createElement('span');
      label.textContent = ` ${file.name}: uploading`;
      item.append(bar, label);
      list.append(item);
      const result = await uploadVideo({
        url: root.dataset.uploadUrl ?? '',
        project: root.dataset.project ?? '',
        file,
        csrfToken: csrf,
        onProgress: (fraction) => {
          bar.value = fraction;
          label.textContent = ` ${file.name}: ${Math.floor(fraction * 100)}%`;
        },
      });
      label.textContent = ` ${file.name}: ${result.message}`;
      item.className = result.ok ? 'upload-ok' : 'upload-failed';
      if (result.ok) accepted += 1;
    }
    input.disabled = false;
    input.value = '';
    if (accepted > 0 && !document.getElementById('upload-reload')) {
      const reload = document.createElement('button');
      reload.type = 'button';
      reload.id = 'upload-reload';
      reload.textContent = 'Show the new videos';
      reload.addEventListener('click', () => window.location.reload());
      list.after(reload);
    }
  });
}

// A form that deletes something asks first (its data-confirm says what); the page's policy allows no inline script.
for (const form of Array.from(document.querySelectorAll<HTMLFormElement>('form[data-confirm]'))) {
  form.addEventListener('submit', (event) => {
    if (!window.confirm(form.dataset.confirm ?? 'Are you sure?')) event.preventDefault();
  });
}
