// Live visitors (#/visitors): who is on the hotel's web site right now,
// the page they are on and for how long, with a button to start a chat
// (proactive chat: the message opens in their widget). The list refreshes
// every 5 seconds while shown.

import { extend, t, relativeTime } from './i18n.js';
import { h, clear, toast } from './dom.js';
import { api } from './api.js';

extend({
  en: {
    'visitors.title': 'Visitors on your site',
    'visitors.none': 'Nobody is on the site right now.',
    'visitors.page': 'Page',
    'visitors.onPage': 'On this page',
    'visitors.onSite': 'On the site',
    'visitors.chat': 'Start a chat',
    'visitors.open': 'Open the conversation',
    'visitors.message': 'Your message',
    'visitors.send': 'Send',
    'visitors.placeholder': 'Hello! Can I help you with your booking?',
    'visitors.sent': 'Sent: the chat opens in the visitor’s window.',
    'visitors.gone': 'This visitor has left the site.',
  },
  fr: {
    'visitors.title': 'Visiteurs sur votre site',
    'visitors.none': 'Personne sur le site en ce moment.',
    'visitors.page': 'Page',
    'visitors.onPage': 'Sur cette page',
    'visitors.onSite': 'Sur le site',
    'visitors.chat': 'Démarrer une discussion',
    'visitors.open': 'Ouvrir la conversation',
    'visitors.message': 'Votre message',
    'visitors.send': 'Envoyer',
    'visitors.placeholder': 'Bonjour ! Puis-je vous aider pour votre réservation ?',
    'visitors.sent': 'Envoyé : la discussion s’ouvre dans la fenêtre du visiteur.',
    'visitors.gone': 'Ce visiteur a quitté le site.',
  },
});

const REFRESH_MS = 5000;

// renderVisitors fills view and keeps it fresh while current() holds.
export function renderVisitors(view, { current }) {
  clear(view);
  const list = h('div', { class: 'visitors', 'data-testid': 'visitors' });
  view.appendChild(h('section', { class: 'section visitors-section' },
    h('h1', { id: 'section-title', tabindex: '-1', text: t('visitors.title') }), list));
  const refresh = async () => {
    if (!current() || view.hidden) return;
    try {
      const res = await api.visitors();
      if (current()) draw(list, res.items || []);
    } catch (err) {
      toast(err.message || String(err), 'error');
    }
    if (current()) setTimeout(refresh, REFRESH_MS);
  };
  refresh();
}

function draw(list, visitors) {
  // Keep an open composer: only redraw rows that are not being typed in.
  if (list.querySelector('.visitor-compose textarea:focus')) return;
  clear(list);
  if (!visitors.length) {
    list.appendChild(h('p', { class: 'list-empty', 'data-testid': 'visitors-empty', text: t('visitors.none') }));
    return;
  }
  const table = h('table', { class: 'admin-table' },
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', text: t('visitors.page') }),
      h('th', { scope: 'col', text: t('visitors.onPage') }),
      h('th', { scope: 'col', text: t('visitors.onSite') }),
      h('th', { scope: 'col', text: '' }))));
  const body = h('tbody');
  for (const v of visitors) body.appendChild(row(v));
  table.appendChild(body);
  list.appendChild(table);
}

function row(v) {
  const cell = h('td');
  if (v.conversationId) {
    cell.appendChild(h('a', { href: `#/open/all/${encodeURIComponent(v.conversationId)}`, text: t('visitors.open') }));
  } else {
    cell.appendChild(h('button', {
      type: 'button', 'data-testid': 'visitor-chat', text: t('visitors.chat'),
      onclick: (e) => compose(e.currentTarget, v),
    }));
  }
  return h('tr', { 'data-testid': 'visitor-row', 'data-id': v.id },
    h('td', null, h('span', { class: 'visitor-title', text: v.title || v.page }), h('br'),
      h('small', { class: 'visitor-url', text: v.page })),
    h('td', { text: relativeTime(v.onPageSince) }),
    h('td', { text: relativeTime(v.since) }),
    cell);
}

function compose(button, v) {
  const id = `visitor-msg-${v.id}`;
  const input = h('textarea', { id, rows: '2', 'data-testid': 'visitor-message', placeholder: t('visitors.placeholder') });
  const form = h('form', { class: 'visitor-compose' },
    h('label', { for: id, text: t('visitors.message') }), input,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'visitor-send', text: t('visitors.send') }));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    try {
      const conv = await api.startChat(v.id, v.channelId, text);
      toast(t('visitors.sent'));
      location.hash = `#/open/all/${encodeURIComponent(conv.id)}`;
    } catch (err) {
      toast(err.status === 404 ? t('visitors.gone') : (err.message || String(err)), 'error');
    }
  });
  button.replaceWith(form);
  input.focus();
}
