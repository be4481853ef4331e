// Presence: the Available / Away switch in the top bar (PATCH
// /agents/me/status), kept true by agent.updated frames about me. When an
// offer rang out unanswered the hub sets me "rona" (no more offers): a
// notice says so, with a button to become available again.

import { h, toast } from './dom.js';
import { extend, t } from './i18n.js';
import { state } from './state.js';
import { rest } from './rest.js';
import { onFeed } from './ws.js';

extend({
  en: {
    'presence.label': 'My status',
    'presence.available': 'Available',
    'presence.away': 'Away',
    'presence.offline': 'Offline',
    'presence.rona': 'Not answering',
    'presence.current': 'Status: {status}',
    'rona.text': 'An offer rang out unanswered, so no new conversations are offered to you.',
    'rona.button': 'Become available',
  },
  fr: {
    'presence.label': 'Mon statut',
    'presence.available': 'Disponible',
    'presence.away': 'Absent',
    'presence.offline': 'Hors ligne',
    'presence.rona': 'Sans réponse',
    'presence.current': 'Statut : {status}',
    'rona.text': 'Une proposition est restée sans réponse : aucune nouvelle conversation ne vous est proposée.',
    'rona.button': 'Redevenir disponible',
  },
});

const CHOICES = ['available', 'away'];

let group = null;
let notice = null;
let busy = false;

// initPresence puts the switch in slot and the notice before the element
// before (the panes).
export function initPresence(slot, before) {
  group = h('div', {
    class: 'status-switch', role: 'group', 'aria-label': t('presence.label'), 'data-testid': 'presence',
  }, CHOICES.map((s) => h('button', {
    type: 'button', class: `status-opt status-opt-${s}`, 'data-status': s, 'data-testid': `status-${s}`,
    'aria-pressed': 'false', onclick: () => setStatus(s),
  }, h('span', { class: 'dot', 'aria-hidden': 'true' }), h('span', { text: t(`presence.${s}`) }))));
  slot.appendChild(group);

  notice = h('div', { class: 'rona-notice', role: 'alert', 'data-testid': 'rona-notice', hidden: true },
    h('span', { text: t('rona.text') }),
    h('button', {
      type: 'button', class: 'primary', 'data-testid': 'rona-available', text: t('rona.button'),
      onclick: () => setStatus('available'),
    }));
  before.parentNode.insertBefore(notice, before);

  onFeed('start', () => render());
  onFeed('stop', () => {
    notice.hidden = true;
  });
  onFeed('frame', (f) => {
    if (f.type !== 'agent.updated' || !f.agent || !state.me || f.agent.id !== state.me.id) return;
    state.me.status = f.agent.status;
    render();
  });
}

async function setStatus(status) {
  if (busy || !state.me) return;
  busy = true;
  for (const b of group.querySelectorAll('button')) b.disabled = true;
  notice.querySelector('button').disabled = true;
  try {
    const agent = await rest.setStatus(status);
    if (agent && state.me && agent.id === state.me.id) state.me.status = agent.status;
    render();
  } catch (err) {
    toast(err.message, 'error');
  } finally {
    busy = false;
    for (const b of group.querySelectorAll('button')) b.disabled = false;
    notice.querySelector('button').disabled = false;
  }
}

function render() {
  const status = (state.me && state.me.status) || 'offline';
  group.dataset.status = status;
  group.title = t('presence.current', { status: t(`presence.${status}`) });
  for (const b of group.querySelectorAll('button')) {
    b.setAttribute('aria-pressed', String(b.dataset.status === status));
  }
  notice.hidden = status !== 'rona';
  if (state.me && state.agents.has(state.me.id)) state.agents.get(state.me.id).status = status;
}
