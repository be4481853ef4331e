// Building blocks of the admin console and the reports: labelled fields
// with their error line, form dialogs, a confirm dialog, copy fields, tables
// and badges. Everything is built with h() and text nodes.

import { extend, t } from '../i18n.js';
import { h, clear, toast, restoreToasts } from '../dom.js';

extend({
  en: {
    'ui.cancel': 'Cancel',
    'ui.close': 'Close',
    'ui.done': 'Done',
    'ui.save': 'Save',
    'ui.saving': 'Saving…',
    'ui.edit': 'Edit',
    'ui.delete': 'Delete',
    'ui.confirm': 'Confirm',
    'ui.copy': 'Copy',
    'ui.copied': 'Copied to the clipboard.',
    'ui.copyFailed': 'Could not copy: select the text and copy it yourself.',
    'ui.required': 'This field is required.',
    'ui.entry': 'Entry {n}: {message}',
    'ui.loading': 'Loading…',
    'ui.loadFailed': 'Could not load this page: {message}',
    'ui.retry': 'Try again',
    'ui.actions': 'Actions',
    'ui.yes': 'Yes',
    'ui.no': 'No',
    'ui.show': 'Show',
    'ui.hide': 'Hide',
    'ui.optional': '(optional)',
    'ui.saved': 'Saved.',
  },
  fr: {
    'ui.cancel': 'Annuler',
    'ui.close': 'Fermer',
    'ui.done': 'Terminé',
    'ui.save': 'Enregistrer',
    'ui.saving': 'Enregistrement…',
    'ui.edit': 'Modifier',
    'ui.delete': 'Supprimer',
    'ui.confirm': 'Confirmer',
    'ui.copy': 'Copier',
    'ui.copied': 'Copié dans le presse-papiers.',
    'ui.copyFailed': 'Copie impossible : sélectionnez le texte et copiez-le vous-même.',
    'ui.required': 'Ce champ est obligatoire.',
    'ui.entry': 'Entrée {n} : {message}',
    'ui.loading': 'Chargement…',
    'ui.loadFailed': 'Impossible de charger cette page : {message}',
    'ui.retry': 'Réessayer',
    'ui.actions': 'Actions',
    'ui.yes': 'Oui',
    'ui.no': 'Non',
    'ui.show': 'Afficher',
    'ui.hide': 'Masquer',
    'ui.optional': '(facultatif)',
    'ui.saved': 'Enregistré.',
  },
});

let uid = 0;

// nextId returns a page-unique element id.
export function nextId(prefix = 'f') {
  uid += 1;
  return `${prefix}-${uid}`;
}

// field builds a labelled control with an optional hint and an error line.
// o: {label, kind (text, email, password, number, url, tel, time, textarea,
// select, checkbox), value, options [[value, label]], hint, required,
// testid, placeholder, autocomplete, min, max, step, rows, optional,
// addon(input) → a node shown after the input, such as a Show button}.
export function field(o) {
  const id = o.id || nextId('f');
  const kind = o.kind || 'text';
  const hintId = o.hint ? `${id}-hint` : null;
  const errId = `${id}-error`;
  let input;
  if (kind === 'textarea') {
    input = h('textarea', { id, rows: o.rows || 3 });
  } else if (kind === 'select') {
    input = h('select', { id }, (o.options || []).map(([v, label]) => h('option', { value: v, text: label })));
  } else {
    input = h('input', { id, type: kind });
  }
  const attrs = {
    name: o.name, required: o.required, autocomplete: o.autocomplete, placeholder: o.placeholder,
    min: o.min, max: o.max, step: o.step, 'data-testid': o.testid, spellcheck: o.spellcheck,
    inputmode: o.inputmode,
  };
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null && v !== false) input.setAttribute(k, v === true ? '' : String(v));
  }
  if (o.required) input.setAttribute('aria-required', 'true');
  input.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  if (kind === 'checkbox') input.checked = !!o.value;
  else if (o.value !== undefined && o.value !== null) input.value = String(o.value);

  const error = h('p', { class: 'field-error', id: errId, hidden: true });
  const hint = o.hint ? h('p', { class: 'field-hint', id: hintId, text: o.hint }) : null;
  const control = o.addon ? h('div', { class: 'input-row' }, input, o.addon(input)) : input;
  const labelText = [o.label, o.optional ? ` ${t('ui.optional')}` : ''].join('');
  let wrap;
  if (kind === 'checkbox') {
    wrap = h('div', { class: 'field field-check' },
      h('div', { class: 'check-row' }, input, h('label', { for: id, text: labelText })), hint, error);
  } else {
    wrap = h('div', { class: `field${o.wide ? ' field-wide' : ''}` },
      h('label', { for: id, text: labelText }), control, hint, error);
  }
  const f = {
    wrap, input, error, required: !!o.required, kind,
    get value() {
      if (kind === 'checkbox') return input.checked;
      return input.value;
    },
    setError(message) {
      error.textContent = message;
      error.hidden = !message;
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
  };
  return f;
}

// lines splits a textarea into its non-blank, trimmed lines.
export function lines(text) {
  return String(text || '').split('\n').map((s) => s.trim()).filter(Boolean);
}

// intOf reads a number input: '' is 0.
export function intOf(v) {
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : 0;
}

// Form collects a form's fields by the API's names, to check required ones
// and put the API's field errors next to the right control.
export class Form {
  constructor() {
    this.fields = new Map();
  }

  add(name, f) {
    this.fields.set(name, f);
    return f;
  }

  get(name) {
    return this.fields.get(name);
  }

  clearErrors() {
    for (const f of this.fields.values()) f.setError('');
  }

  // checkRequired marks empty required fields; false when one is empty.
  checkRequired() {
    let first = null;
    for (const f of this.fields.values()) {
      if (f.required && f.kind !== 'checkbox' && String(f.value).trim() === '') {
        f.setError(t('ui.required'));
        first = first || f;
      }
    }
    if (first) first.input.focus();
    return !first;
  }

  // showError puts an API error next to its field; false when no field
  // of this form matches (the caller shows it above the buttons).
  showError(err) {
    const raw = (err && err.field) || '';
    if (!raw) return false;
    let message = String(err.message || '');
    if (message.startsWith(`${raw}: `)) message = message.slice(raw.length + 2);
    let name = raw.replace(/^config\./, '');
    const m = name.match(/^([^[.]+)\[(\d+)\]/);
    if (m) {
      name = m[1];
      message = t('ui.entry', { n: Number(m[2]) + 1, message });
    }
    const f = this.fields.get(name) || this.fields.get(raw);
    if (!f) return false;
    f.setError(message);
    f.input.focus();
    return true;
  }
}

// dialog opens a modal dialog that removes itself when closed and gives the
// focus back to what had it.
export function dialog({ title, testid, wide }) {
  const titleId = nextId('dlg');
  const dlg = h('dialog', {
    class: `dialog admin-dialog${wide ? ' wide' : ''}`, 'aria-labelledby': titleId, 'data-testid': testid,
  });
  const heading = h('h2', { id: titleId, text: title });
  const opener = document.activeElement;
  dlg.addEventListener('close', () => {
    restoreToasts(); // first: the toasts may be inside this dialog
    dlg.remove();
    if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
  });
  document.body.appendChild(dlg);
  return { dlg, heading, close: () => dlg.close() };
}

function focusFirst(root) {
  const el = root.querySelector('input:not([type=hidden]):not([disabled]), select, textarea, button.primary');
  if (el) el.focus();
}

// formDialog opens a dialog holding a form. build(body, form) adds the
// fields; submit(form, view) saves and may call view.show(nodes) to replace
// the form by a result (the dialog then stays open with a Done button).
export function formDialog({ title, testid, wide, submitLabel, build, submit }) {
  const { dlg, heading, close } = dialog({ title, testid, wide });
  const form = new Form();
  const body = h('div', { class: 'dialog-body' });
  const alert = h('p', { class: 'form-error', role: 'alert', 'data-testid': `${testid}-error`, hidden: true });
  const ok = h('button', { type: 'submit', class: 'primary', 'data-testid': `${testid}-submit`, text: submitLabel || t('ui.save') });
  const cancel = h('button', { type: 'button', 'data-testid': `${testid}-cancel`, text: t('ui.cancel'), onclick: close });
  const el = h('form', { class: 'admin-form', novalidate: true },
    heading, body, alert, h('div', { class: 'dialog-buttons' }, cancel, ok));
  let shown = false;
  const view = {
    dlg,
    close,
    show(nodes, newTitle) {
      shown = true;
      clear(dlg);
      const done = h('button', { type: 'button', class: 'primary', 'data-testid': `${testid}-done`, text: t('ui.done'), onclick: close });
      if (newTitle) heading.textContent = newTitle;
      dlg.append(h('div', { class: 'admin-form' }, heading, h('div', { class: 'dialog-body' }, nodes),
        h('div', { class: 'dialog-buttons' }, done)));
      done.focus();
    },
  };
  build(body, form, view);
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (ok.disabled) return;
    form.clearErrors();
    alert.hidden = true;
    if (!form.checkRequired()) return;
    ok.disabled = true;
    ok.textContent = t('ui.saving');
    try {
      await submit(form, view);
      if (!shown) close();
    } catch (err) {
      if (!form.showError(err)) {
        alert.textContent = err.message || String(err);
        alert.hidden = false;
      }
    } finally {
      ok.disabled = false;
      ok.textContent = submitLabel || t('ui.save');
    }
  });
  dlg.appendChild(el);
  dlg.showModal();
  focusFirst(body);
  return view;
}

// infoDialog shows nodes in a dialog with a Close button.
export function infoDialog({ title, testid, wide, nodes }) {
  const { dlg, heading, close } = dialog({ title, testid, wide });
  const btn = h('button', { type: 'button', class: 'primary', 'data-testid': `${testid}-close`, text: t('ui.close'), onclick: close });
  const body = h('div', { class: 'dialog-body' }, nodes);
  dlg.append(h('div', { class: 'admin-form' }, heading, body, h('div', { class: 'dialog-buttons' }, btn)));
  dlg.showModal();
  btn.focus();
  return { dlg, body, close };
}

// confirmDialog asks a yes/no question in our own dialog (never confirm()).
export function confirmDialog({ title, message, confirmLabel, danger = true }) {
  return new Promise((resolve) => {
    const { dlg, heading, close } = dialog({ title, testid: 'dialog-confirm' });
    let answer = false;
    const yes = h('button', {
      type: 'button', class: danger ? 'danger-solid' : 'primary', 'data-testid': 'confirm-ok',
      text: confirmLabel || t('ui.confirm'),
      onclick: () => { answer = true; close(); },
    });
    const no = h('button', { type: 'button', 'data-testid': 'confirm-cancel', text: t('ui.cancel'), onclick: close });
    dlg.addEventListener('close', () => resolve(answer));
    dlg.append(h('div', { class: 'admin-form' }, heading, h('p', { class: 'confirm-text', text: message }),
      h('div', { class: 'dialog-buttons' }, no, yes)));
    dlg.showModal();
    no.focus();
  });
}

async function copyText(input) {
  const text = input.value;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    input.focus();
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

// copyField is a read-only field with a Copy button.
export function copyField({ label, value, testid, multiline, key, hint }) {
  const id = nextId('copy');
  const hintId = hint ? `${id}-hint` : null;
  const input = multiline
    ? h('textarea', { id, readonly: true, rows: 3, 'data-testid': testid, 'data-key': key, spellcheck: 'false' })
    : h('input', { id, type: 'text', readonly: true, 'data-testid': testid, 'data-key': key, spellcheck: 'false' });
  input.value = value;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  input.addEventListener('focus', () => input.select());
  const btn = h('button', {
    type: 'button', class: 'copy-btn', 'data-testid': `${testid}-copy`, text: t('ui.copy'),
    'aria-label': `${t('ui.copy')}: ${label}`,
  });
  btn.addEventListener('click', async () => {
    const ok = await copyText(input);
    toast(ok ? t('ui.copied') : t('ui.copyFailed'), ok ? 'success' : 'error');
  });
  return h('div', { class: 'copy-field' },
    h('label', { for: id, text: label }),
    h('div', { class: 'copy-row' }, input, btn),
    hint ? h('p', { class: 'field-hint', id: hintId, text: hint }) : null);
}

// secretToggle adds a Show/Hide button after a password input.
export function secretToggle(input) {
  const btn = h('button', { type: 'button', class: 'toggle-secret', 'aria-pressed': 'false', text: t('ui.show') });
  btn.addEventListener('click', () => {
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    btn.setAttribute('aria-pressed', String(show));
    btn.textContent = show ? t('ui.hide') : t('ui.show');
  });
  return btn;
}

// badge is a small coloured label.
export function badge(text, kind = '') {
  return h('span', { class: `pill${kind ? ` pill-${kind}` : ''}`, text });
}

// tableOf builds a table: columns are header labels (or {label, cls}).
export function tableOf({ caption, columns, rows, testid }) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'admin-table', 'data-testid': testid },
      caption ? h('caption', { class: 'visually-hidden', text: caption }) : null,
      h('thead', null, h('tr', null, columns.map((c) => {
        const col = typeof c === 'string' ? { label: c } : c;
        return h('th', { scope: 'col', class: col.cls, text: col.label });
      }))),
      h('tbody', null, rows)));
}

// loading shows a status line while a section loads.
export function loading(container) {
  clear(container);
  container.appendChild(h('p', { class: 'section-note', role: 'status', text: t('ui.loading') }));
}

// loadFailed shows why a section could not load, with a retry button.
export function loadFailed(container, err, retry) {
  clear(container);
  container.appendChild(h('div', { class: 'section-note', role: 'alert' },
    h('p', { text: t('ui.loadFailed', { message: err.message || String(err) }) }),
    h('button', { type: 'button', text: t('ui.retry'), onclick: retry })));
}

// toolbar is a row of buttons above a list.
export function toolbar(...children) {
  return h('div', { class: 'admin-toolbar' }, children);
}

// svgEl creates an SVG element; attrs are set as attributes, text as content.
export function svgEl(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') el.textContent = v;
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c) el.appendChild(c);
  }
  return el;
}
