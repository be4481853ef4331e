// The business hours editor of Admin → Settings: one row per weekday
// (Monday first), each with zero or more opening spans.

import { extend, t, lang } from '../i18n.js';
import { h, clear } from '../dom.js';
import { nextId } from './ui.js';

extend({
  en: {
    'hours.title': 'Opening hours',
    'hours.hint': 'When people answer, in the time zone above. Outside them, handovers get the out-of-hours notice and wait in the queue for the morning. A closing time earlier than the opening time runs past midnight.',
    'hours.always': 'No hours set: you count as always open.',
    'hours.closed': 'Closed',
    'hours.add': 'Add hours',
    'hours.addLabel': 'Add opening hours on {day}',
    'hours.remove': 'Remove',
    'hours.removeLabel': 'Remove {day} {open}–{close}',
    'hours.opens': '{day}: opens at',
    'hours.closes': '{day}: closes at',
    'hours.to': 'to',
    'hours.copy': 'Copy Monday to every day',
    'hours.weekdays': 'Copy Monday to Tuesday–Friday',
  },
  fr: {
    'hours.title': 'Horaires d’ouverture',
    'hours.hint': 'Quand une personne répond, dans le fuseau horaire ci-dessus. En dehors, les transferts reçoivent le message hors horaires et attendent le matin dans la file. Une fermeture plus tôt que l’ouverture passe minuit.',
    'hours.always': 'Aucun horaire : vous êtes considéré comme toujours ouvert.',
    'hours.closed': 'Fermé',
    'hours.add': 'Ajouter des horaires',
    'hours.addLabel': 'Ajouter des horaires le {day}',
    'hours.remove': 'Retirer',
    'hours.removeLabel': 'Retirer {day} {open}–{close}',
    'hours.opens': '{day} : ouvre à',
    'hours.closes': '{day} : ferme à',
    'hours.to': 'à',
    'hours.copy': 'Copier le lundi sur toute la semaine',
    'hours.weekdays': 'Copier le lundi sur mardi–vendredi',
  },
});

// ORDER lists weekdays Monday first; the API counts 0 = Sunday.
const ORDER = [1, 2, 3, 4, 5, 6, 0];

function dayName(day) {
  // 2024-01-07 was a Sunday.
  const d = new Date(Date.UTC(2024, 0, 7 + day, 12));
  const s = new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(d);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// hoursEditor edits a list of {day, open, close}. It returns the field-like
// object Admin → Settings uses: wrap, value, setError, setErrorAt(i, msg).
export function hoursEditor(initial) {
  // spans per day, as [{open, close}]
  const days = new Map(ORDER.map((d) => [d, []]));
  for (const s of initial || []) {
    if (days.has(s.day)) days.get(s.day).push({ open: s.open, close: s.close === '24:00' ? '00:00' : s.close });
  }
  const body = h('div', { class: 'hours-days' });
  const always = h('p', { class: 'field-hint', 'data-testid': 'hours-always', text: t('hours.always') });
  const errId = nextId('hours-error');
  const error = h('p', { class: 'field-error', id: errId, role: 'alert', hidden: true, 'data-testid': 'hours-error' });
  let order = []; // [{day, index}] in the order value() lists spans

  const readInputs = () => {
    for (const row of body.querySelectorAll('[data-span]')) {
      const [day, i] = row.dataset.span.split(':').map(Number);
      const [open, close] = row.querySelectorAll('input');
      days.get(day)[i] = { open: open.value, close: close.value };
    }
  };

  const draw = (focus) => {
    clear(body);
    let any = false;
    for (const day of ORDER) {
      const name = dayName(day);
      const spans = days.get(day);
      any = any || spans.length > 0;
      const list = h('div', { class: 'hours-spans' });
      if (!spans.length) list.append(h('span', { class: 'muted', text: t('hours.closed') }));
      spans.forEach((s, i) => {
        const oid = nextId('open');
        const cid = nextId('close');
        list.append(h('div', { class: 'hours-span', 'data-span': `${day}:${i}`, 'data-testid': 'hours-span' },
          h('label', { for: oid, class: 'visually-hidden', text: t('hours.opens', { day: name }) }),
          h('input', { id: oid, type: 'time', value: s.open, required: true, 'data-testid': `hours-open-${day}` }),
          h('span', { 'aria-hidden': 'true', text: ` ${t('hours.to')} ` }),
          h('label', { for: cid, class: 'visually-hidden', text: t('hours.closes', { day: name }) }),
          h('input', { id: cid, type: 'time', value: s.close, required: true, 'data-testid': `hours-close-${day}` }),
          h('button', {
            type: 'button', class: 'small', text: t('hours.remove'),
            'aria-label': t('hours.removeLabel', { day: name, open: s.open, close: s.close }),
            onclick: () => { readInputs(); spans.splice(i, 1); draw({ day, add: true }); },
          })));
      });
      const addBtn = h('button', {
        type: 'button', class: 'small', 'data-testid': `hours-add-${day}`, 'data-day': day,
        'aria-label': t('hours.addLabel', { day: name }), text: t('hours.add'),
        onclick: () => {
          readInputs();
          const last = spans[spans.length - 1];
          spans.push(last ? { open: last.close || '14:00', close: '20:00' } : { open: '08:00', close: '20:00' });
          draw({ day, index: spans.length - 1 });
        },
      });
      body.append(h('div', { class: 'hours-day', role: 'group', 'aria-label': name, 'data-day': day },
        h('span', { class: 'hours-name', text: name }), list, addBtn));
    }
    always.hidden = any;
    if (focus) {
      const sel = focus.add ? `[data-day="${focus.day}"] button[data-testid^=hours-add]` : `[data-span="${focus.day}:${focus.index}"] input`;
      const el = body.querySelector(sel);
      if (el) el.focus();
    }
  };

  const copyMonday = (targets) => {
    readInputs();
    const monday = days.get(1).map((s) => ({ ...s }));
    for (const d of targets) if (d !== 1) days.set(d, monday.map((s) => ({ ...s })));
    draw();
  };

  draw();
  const wrap = h('fieldset', { class: 'hours', 'data-testid': 'hours-editor' },
    h('legend', { text: t('hours.title') }),
    h('p', { class: 'field-hint', text: t('hours.hint') }),
    always, body, error,
    h('div', { class: 'admin-toolbar' },
      h('button', { type: 'button', class: 'small', text: t('hours.weekdays'), onclick: () => copyMonday([2, 3, 4, 5]) }),
      h('button', { type: 'button', class: 'small', text: t('hours.copy'), onclick: () => copyMonday(ORDER) })));

  return {
    wrap, kind: 'hours', required: false,
    get input() {
      return body.querySelector('input') || body.querySelector('button');
    },
    get value() {
      readInputs();
      order = [];
      const out = [];
      for (const day of ORDER) {
        days.get(day).forEach((s, index) => {
          order.push({ day, index });
          out.push({ day, open: s.open, close: s.close });
        });
      }
      return out;
    },
    setError(message) {
      error.textContent = message;
      error.hidden = !message;
      for (const el of body.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    },
    // setErrorAt marks the i-th span of the last value read.
    setErrorAt(i, message) {
      this.setError(message);
      const at = order[i];
      if (!at) return;
      const row = body.querySelector(`[data-span="${at.day}:${at.index}"]`);
      if (!row) return;
      for (const input of row.querySelectorAll('input')) input.setAttribute('aria-invalid', 'true');
      const first = row.querySelector('input');
      first.setAttribute('aria-describedby', errId);
      first.focus();
    },
  };
}
