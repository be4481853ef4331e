// Attachments of the composer: the paperclip button opens a file picker,
// each chosen file is uploaded at once (POST /api/v1/uploads) and shown as
// a chip above the composer until the reply is sent or the chip removed.

import { api, getToken, ApiError } from './api.js';
import { h, clear, toast } from './dom.js';
import { extend, t } from './i18n.js';
import { icon } from './icons.js';

extend({
  en: {
    'attach.button': 'Attach a file',
    'attach.remove': 'Remove {name}',
    'attach.uploading': 'Uploading {name}…',
    'attach.list': 'Attached files',
  },
  fr: {
    'attach.button': 'Joindre un fichier',
    'attach.remove': 'Retirer {name}',
    'attach.uploading': 'Envoi de {name}…',
    'attach.list': 'Fichiers joints',
  },
});

// Same list as the server; it checks the content too.
const ACCEPT = '.png,.jpg,.jpeg,.gif,.webp,.pdf,.txt,image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain';

async function uploadFile(file) {
  const headers = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const body = new FormData();
  body.append('file', file, file.name);
  let res;
  try {
    res = await fetch('/api/v1/uploads', { method: 'POST', headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const e = (data && data.error) || {};
    if (res.status === 401) api.me().catch(() => {});
    throw new ApiError(res.status, e.code || `http_${res.status}`,
      e.message || t('error.http', { status: res.status }));
  }
  return data;
}

// initAttachments adds the attach button to bar (before `before`) and the
// chip list above the textarea of form. It returns the composer's view of
// the attachments: ids() to send, busy() while an upload runs, reset().
export function initAttachments(form, bar, before) {
  let items = [];
  let pending = 0;
  let seq = 0;
  const input = h('input', {
    type: 'file', class: 'visually-hidden', accept: ACCEPT, tabindex: '-1', 'aria-hidden': 'true',
    'data-testid': 'attach-input',
  });
  const button = h('button', {
    type: 'button', class: 'attach-button', 'data-testid': 'attach',
    'aria-label': t('attach.button'), title: t('attach.button'),
    onclick: () => input.click(),
  }, icon('paperclip'));
  const list = h('ul', {
    class: 'attachment-chips', 'data-testid': 'attachment-chips', 'aria-label': t('attach.list'), hidden: true,
  });
  bar.insertBefore(button, before);
  bar.appendChild(input);
  form.insertBefore(list, form.firstChild);

  function render() {
    clear(list);
    for (const it of items) {
      const remove = h('button', {
        type: 'button', class: 'chip-remove', 'data-testid': 'attachment-remove',
        'aria-label': t('attach.remove', { name: it.name }), title: t('attach.remove', { name: it.name }),
        onclick: () => {
          items = items.filter((x) => x !== it);
          render();
          button.focus();
        },
      }, icon('close'));
      list.appendChild(h('li', {
        class: 'attachment-chip', 'data-testid': 'attachment-chip', 'data-upload-id': it.id,
      }, icon('file'), h('span', { class: 'chip-name', text: it.name }), remove));
    }
    list.hidden = items.length === 0 && pending === 0;
    button.setAttribute('aria-busy', pending > 0 ? 'true' : 'false');
  }

  input.addEventListener('change', async () => {
    const files = Array.from(input.files || []);
    input.value = '';
    const mine = seq;
    for (const file of files) {
      pending++;
      render();
      toast(t('attach.uploading', { name: file.name }));
      try {
        const up = await uploadFile(file);
        if (mine === seq) items.push({ id: up.id, name: up.name || file.name });
      } catch (err) {
        toast(err.message, 'error');
      } finally {
        pending--;
        render();
      }
    }
  });

  return {
    ids: () => items.map((it) => it.id),
    busy: () => pending > 0,
    // reset drops the chips (sent, or another conversation opened).
    reset() {
      seq++;
      items = [];
      render();
    },
  };
}
