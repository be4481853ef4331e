// Small DOM helpers. Everything is built with createElement and text nodes:
// server data is never parsed as markup.

import { t } from './i18n.js';

// h creates an element. attrs: class, text, dataset-style "data-*" keys,
// boolean attributes (true → present, false/null → absent), "on<event>"
// functions (attached with addEventListener), and plain properties for
// value/checked/disabled/hidden. Children may be strings, nodes, arrays or null.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on') && typeof v === 'function') {
        el.addEventListener(k.slice(2).toLowerCase(), v);
      } else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'hidden') el[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function $(id) {
  return document.getElementById(id);
}

// safeUrl returns url when it is http(s) or same-origin relative, else ''.
export function safeUrl(url) {
  if (typeof url !== 'string' || url === '') return '';
  try {
    const u = new URL(url, location.href);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : '';
  } catch {
    return '';
  }
}

// toast shows a short message at the bottom of the screen.
// kind: 'info' | 'error' | 'success'.
// While a modal dialog is open the rest of the page is inert and under its
// backdrop, so the toasts move into the dialog (they stay position: fixed).
export function toast(message, kind = 'info') {
  const box = $('toasts');
  if (!box) return;
  const host = document.querySelector('dialog[open]') || document.body;
  if (box.parentNode !== host) host.appendChild(box);
  const el = h('div', {
    class: `toast toast-${kind}`,
    role: kind === 'error' ? 'alert' : 'status',
    'data-testid': 'toast',
    'data-kind': kind,
  }, h('span', { text: message }));
  const close = h('button', {
    type: 'button', class: 'toast-close', 'aria-label': t('toast.dismiss'), text: '×',
    onclick: () => el.remove(),
  });
  el.appendChild(close);
  box.appendChild(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 4000);
}

// debounce delays fn until ms passed without a new call.
export function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// restoreToasts moves the toasts back to the page (call when a dialog closes).
export function restoreToasts() {
  const box = $('toasts');
  if (box && box.parentNode !== document.body) document.body.appendChild(box);
}
