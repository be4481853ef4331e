// Canned answers in the composer: "#" at the start of a word opens a
// picker of the workspace's answers, filled for the open conversation's
// customer (GET /canned?conversationId=). Typing after "#" filters,
// ArrowUp/ArrowDown move, Enter or Tab insert the filled text in place of
// "#query", Escape closes. The textarea stays focused throughout (combobox
// pattern: aria-activedescendant points at the active option).

import { h, clear } from './dom.js';
import { extend, t } from './i18n.js';
import { rest } from './rest.js';

extend({
  en: {
    'canned.label': 'Canned answers',
    'canned.loading': 'Loading canned answers…',
    'canned.failed': 'Canned answers could not be loaded.',
  },
  fr: {
    'canned.label': 'Réponses types',
    'canned.loading': 'Chargement des réponses types…',
    'canned.failed': 'Les réponses types n’ont pas pu être chargées.',
  },
});

const MAX_SHOWN = 8;
const TRIGGER = /(^|\s)#([^\s#]{0,40})$/;

const fold = (s) => String(s || '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

// initCanned attaches the picker to the textarea box inside form. It
// returns {handleKey(e) → handled, reset(conversationId), close()}.
export function initCanned(box, form) {
  const list = h('ul', {
    id: 'canned-picker', class: 'canned-picker', role: 'listbox', 'data-testid': 'canned-picker',
    'aria-label': t('canned.label'), hidden: true,
  });
  form.appendChild(list);
  box.setAttribute('aria-autocomplete', 'list');
  box.setAttribute('aria-controls', 'canned-picker');
  box.setAttribute('aria-expanded', 'false');

  let convId = null;
  let items = null; // loaded answers of convId, or null
  let loading = null; // the pending load, if any
  let failed = false;
  let token = null; // {start, query}: where "#query" sits in the text
  let shown = []; // answers listed
  let active = 0;

  function load(id) {
    failed = false;
    loading = rest.canned(id).then((res) => {
      if (convId !== id) return;
      items = ((res && res.items) || []).slice()
        .sort((a, b) => String(a.shortcut).localeCompare(String(b.shortcut)));
    }).catch(() => {
      if (convId === id) {
        items = [];
        failed = true;
      }
    }).finally(() => {
      if (convId === id) {
        loading = null;
        if (!list.hidden || trigger()) update();
      }
    });
  }

  function trigger() {
    const pos = box.selectionStart;
    if (pos !== box.selectionEnd) return null;
    const m = TRIGGER.exec(box.value.slice(0, pos));
    return m ? { start: pos - m[2].length - 1, query: m[2] } : null;
  }

  function update() {
    token = convId ? trigger() : null;
    if (!token) {
      close();
      return;
    }
    if (!items) {
      if (!loading) load(convId);
      renderNote(t('canned.loading'));
      return;
    }
    if (failed) {
      renderNote(t('canned.failed'));
      return;
    }
    const q = fold(token.query);
    const starts = [];
    const contains = [];
    for (const it of items) {
      const sc = fold(it.shortcut);
      if (sc.startsWith(q)) starts.push(it);
      else if (sc.includes(q) || fold(it.filled || it.text).includes(q)) contains.push(it);
    }
    shown = [...starts, ...contains].slice(0, MAX_SHOWN);
    if (!shown.length) {
      close(); // nothing to pick: Enter sends as usual
      return;
    }
    active = Math.min(active, shown.length - 1);
    render();
  }

  function renderNote(text) {
    shown = [];
    clear(list);
    list.appendChild(h('li', { class: 'canned-note', role: 'presentation', text }));
    setOpen(true);
  }

  function render() {
    clear(list);
    shown.forEach((it, i) => {
      list.appendChild(h('li', {
        id: `canned-opt-${i}`,
        role: 'option',
        class: i === active ? 'canned-item active' : 'canned-item',
        'aria-selected': String(i === active),
        'data-testid': 'canned-item',
        'data-shortcut': it.shortcut,
        onmousedown: (e) => e.preventDefault(), // keep the focus in the textarea
        onclick: () => insert(it),
        onmousemove: () => {
          if (active !== i) {
            active = i;
            render();
          }
        },
      }, h('span', { class: 'canned-shortcut', text: `#${it.shortcut}` }),
      h('span', { class: 'canned-text', text: it.filled || it.text })));
    });
    setOpen(true);
    box.setAttribute('aria-activedescendant', `canned-opt-${active}`);
    const el = list.children[active];
    if (el) el.scrollIntoView({ block: 'nearest' });
  }

  function setOpen(open) {
    list.hidden = !open;
    box.setAttribute('aria-expanded', String(open));
    if (!open) box.removeAttribute('aria-activedescendant');
  }

  function close() {
    setOpen(false);
    shown = [];
    active = 0;
  }

  function insert(it) {
    if (!token) return;
    const text = it.filled || it.text || '';
    const end = box.selectionStart;
    box.value = box.value.slice(0, token.start) + text + box.value.slice(end);
    const caret = token.start + text.length;
    box.setSelectionRange(caret, caret);
    close();
    box.focus();
  }

  box.addEventListener('input', () => {
    active = 0;
    update();
  });
  box.addEventListener('click', update);
  box.addEventListener('blur', close);

  return {
    handleKey(e) {
      if (list.hidden || e.isComposing) return false;
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        close();
        return true;
      }
      if (!shown.length) {
        // Still loading: hold Enter back rather than send "#query".
        if (e.key === 'Enter' && !e.shiftKey && loading) {
          e.preventDefault();
          return true;
        }
        return false;
      }
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        active = (active + (e.key === 'ArrowDown' ? 1 : -1) + shown.length) % shown.length;
        render();
        return true;
      }
      if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
        e.preventDefault();
        insert(shown[active]);
        return true;
      }
      return false;
    },
    reset(id) {
      close();
      convId = id || null;
      items = null;
      loading = null;
      if (convId) load(convId); // ready before the agent types "#"
    },
    close,
  };
}
