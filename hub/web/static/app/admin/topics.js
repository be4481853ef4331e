// Admin → Wrap-up topics: an editable list saved at once (PUT).

import { extend, t } from '../i18n.js';
import { h, clear, toast } from '../dom.js';
import { adminApi } from '../api.js';
import { loadFailed, nextId } from './ui.js';

extend({
  en: {
    'top.topic': 'Topic {n}',
    'top.add': 'Add a topic',
    'top.remove': 'Remove',
    'top.removeLabel': 'Remove topic {n}',
    'top.up': 'Move up',
    'top.down': 'Move down',
    'top.upLabel': 'Move topic {n} up',
    'top.downLabel': 'Move topic {n} down',
    'top.save': 'Save topics',
    'top.saved': 'Topics saved.',
    'top.none': 'No topics: agents may type any topic when closing. Add some to keep the reports tidy.',
    'top.hint': 'Up to 100 topics of 200 characters. Empty lines and duplicates are dropped when saving.',
    'top.placeholder': 'e.g. Booking change',
  },
  fr: {
    'top.topic': 'Sujet {n}',
    'top.add': 'Ajouter un sujet',
    'top.remove': 'Retirer',
    'top.removeLabel': 'Retirer le sujet {n}',
    'top.up': 'Monter',
    'top.down': 'Descendre',
    'top.upLabel': 'Monter le sujet {n}',
    'top.downLabel': 'Descendre le sujet {n}',
    'top.save': 'Enregistrer les sujets',
    'top.saved': 'Sujets enregistrés.',
    'top.none': 'Aucun sujet : les agents peuvent saisir n’importe quel sujet à la clôture. Ajoutez-en pour des rapports clairs.',
    'top.hint': 'Jusqu’à 100 sujets de 200 caractères. Les lignes vides et les doublons sont retirés à l’enregistrement.',
    'top.placeholder': 'par ex. Modification de réservation',
  },
});

export async function render(container, ctx) {
  let res;
  try {
    res = await adminApi.topics();
  } catch (err) {
    loadFailed(container, err, ctx.refresh);
    return;
  }
  if (!ctx.stillHere()) return;
  let items = ((res && res.items) || []).slice();
  const list = h('ol', { class: 'topic-list', 'data-testid': 'topic-list' });
  const none = h('p', { class: 'section-note', text: t('top.none') });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true, 'data-testid': 'topics-error' });

  const read = () => [...list.querySelectorAll('input')].map((i) => i.value);
  const draw = (focusIndex) => {
    clear(list);
    none.hidden = items.length > 0;
    items.forEach((value, i) => {
      const id = nextId('topic');
      const n = i + 1;
      const input = h('input', { id, type: 'text', value, maxlength: 200, 'data-testid': 'topic-input', placeholder: t('top.placeholder') });
      const move = (d) => {
        items = read();
        const j = i + d;
        [items[i], items[j]] = [items[j], items[i]];
        draw(j);
      };
      list.append(h('li', { class: 'topic-row', 'data-testid': 'topic-row' },
        h('label', { for: id, class: 'topic-label', text: t('top.topic', { n }) }), input,
        h('button', { type: 'button', class: 'small', 'aria-label': t('top.upLabel', { n }), text: '↑', disabled: i === 0, onclick: () => move(-1) }),
        h('button', { type: 'button', class: 'small', 'aria-label': t('top.downLabel', { n }), text: '↓', disabled: i === items.length - 1, onclick: () => move(1) }),
        h('button', {
          type: 'button', class: 'small danger', 'data-testid': 'topic-remove', 'aria-label': t('top.removeLabel', { n }), text: t('top.remove'),
          onclick: () => { items = read(); items.splice(i, 1); draw(Math.min(i, items.length - 1)); },
        })));
    });
    if (focusIndex !== undefined && focusIndex >= 0) {
      const input = list.querySelectorAll('input')[focusIndex];
      if (input) input.focus();
    }
  };
  const add = h('button', {
    type: 'button', 'data-testid': 'topic-add', text: t('top.add'),
    onclick: () => { items = read(); items.push(''); draw(items.length - 1); },
  });
  const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'topics-save', text: t('top.save') });
  const form = h('form', { class: 'topics-form', novalidate: true },
    h('p', { class: 'field-hint', text: t('top.hint') }), none, list, error,
    h('div', { class: 'admin-toolbar' }, add, save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    save.disabled = true;
    try {
      const out = await adminApi.putTopics(read().map((s) => s.trim()).filter(Boolean));
      items = ((out && out.items) || []).slice();
      draw();
      toast(t('top.saved'), 'success');
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    } finally {
      save.disabled = false;
    }
  });
  clear(container);
  container.append(form);
  draw();
}
