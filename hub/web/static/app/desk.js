// The agent's desk around the list and the conversation: presence, alerts
// and team chat in the top bar, offer banners, and the live frames the
// app's core does not handle itself (agent.updated, hold.released) plus
// the server-time readings the live timers rely on.

import { h, $, toast } from './dom.js';
import { extend, t } from './i18n.js';
import { state, isMe, contactName } from './state.js';
import { onFeed } from './ws.js';
import { noteServerTime } from './clock.js';
import { upsertConversation } from './list.js';
import { applyConversation } from './conversation.js';
import { initPresence } from './presence.js';
import { initOffers } from './offers.js';
import { initNotify } from './notify.js';
import { initChat } from './chat.js';

extend({
  en: {
    'desk.tools': 'My desk',
    'hold.back': 'Back from hold: {name}.',
  },
  fr: {
    'desk.tools': 'Mon poste',
    'hold.back': 'Retour d’attente : {name}.',
  },
});

// initDesk builds the desk's controls; call it once, at boot.
export function initDesk() {
  const tools = h('div', { class: 'desk-tools', role: 'group', 'aria-label': t('desk.tools') });
  const topbar = document.querySelector('.topbar');
  topbar.insertBefore(tools, $('agent-name'));
  const panes = document.querySelector('.panes');
  initPresence(tools, panes);
  initOffers(panes);
  initNotify(tools);
  initChat(tools, panes);
  onFeed('incoming', readServerTime);
  onFeed('frame', onFrame);
}

// readServerTime notes the timestamps a frame carries that the server
// stamped at the moment it announced them.
function readServerTime(f) {
  switch (f.type) {
    case 'conversation.created':
      if (f.conversation) noteServerTime(f.conversation.createdAt);
      break;
    case 'message.created':
      // Inbound messages carry the provider's time; ours are the server's.
      if (f.message && f.message.direction === 'out') noteServerTime(f.message.createdAt);
      break;
    case 'agent.updated':
      if (f.agent) noteServerTime(f.agent.statusAt);
      break;
    case 'chat.message':
      if (f.chat) noteServerTime(f.chat.createdAt);
      break;
    default:
      break;
  }
}

function onFrame(f) {
  if (f.type === 'agent.updated' && f.agent && f.agent.id) {
    const known = state.agents.get(f.agent.id);
    state.agents.set(f.agent.id, { ...(known || {}), ...f.agent });
  }
  if (f.type === 'hold.released' && f.conversation) {
    upsertConversation(f.conversation);
    applyConversation(f.conversation);
    if (isMe(f.conversation.assigneeId)) toast(t('hold.back', { name: contactName(f.conversation) }), 'info');
  }
}
