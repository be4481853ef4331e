// Team chat: a collapsible side panel with the rooms I may use (my teams'
// rooms, and one direct room with each other agent), the selected room's
// messages and a composer. Live through chat.message frames; rooms not
// being read count their unread messages (shown on the top bar button).

import { h, clear, toast } from './dom.js';
import {
  extend, t, clockTime, fullTime,
} from './i18n.js';
import { state, agentName, teamName, isMe } from './state.js';
import { rest } from './rest.js';
import { onFeed } from './ws.js';
import { icon } from './icons.js';

extend({
  en: {
    'chat.title': 'Team chat',
    'chat.toggle': 'Team chat',
    'chat.unread': '{n} unread',
    'chat.close': 'Close team chat',
    'chat.rooms': 'Rooms',
    'chat.back': 'All rooms',
    'chat.teamRoom': '# {name}',
    'chat.noRooms': 'No rooms yet: join a team or add agents.',
    'chat.empty': 'No messages yet. Say hello!',
    'chat.loading': 'Loading…',
    'chat.input': 'Message to {room}',
    'chat.placeholder': 'Write to your colleagues… (Enter to send)',
    'chat.send': 'Send',
  },
  fr: {
    'chat.title': 'Chat d’équipe',
    'chat.toggle': 'Chat d’équipe',
    'chat.unread': '{n} non lus',
    'chat.close': 'Fermer le chat d’équipe',
    'chat.rooms': 'Salons',
    'chat.back': 'Tous les salons',
    'chat.teamRoom': '# {name}',
    'chat.noRooms': 'Aucun salon : rejoignez une équipe ou ajoutez des agents.',
    'chat.empty': 'Pas encore de message. Dites bonjour !',
    'chat.loading': 'Chargement…',
    'chat.input': 'Message pour {room}',
    'chat.placeholder': 'Écrivez à vos collègues… (Entrée pour envoyer)',
    'chat.send': 'Envoyer',
  },
});

let toggleBtn = null;
let badge = null;
let panel = null;
const ui = {};
let rooms = [];
let current = null; // room being read
let messages = []; // of current
const unread = new Map(); // room → count
let loadSeq = 0;

// initChat puts the toggle in slot and the panel in host (the panes).
export function initChat(slot, host) {
  badge = h('span', { class: 'count-badge', 'data-testid': 'chat-unread', hidden: true });
  toggleBtn = h('button', {
    type: 'button', class: 'chat-toggle', 'data-testid': 'chat-toggle', 'aria-controls': 'chat-panel', title: t('chat.toggle'),
    'aria-expanded': 'false', onclick: () => setOpen(panel.hidden),
  }, icon('chat'), h('span', { class: 'label', text: t('chat.toggle') }), badge);
  slot.appendChild(toggleBtn);

  ui.rooms = h('ul', { class: 'chat-rooms', 'aria-label': t('chat.rooms'), 'data-testid': 'chat-rooms' });
  ui.roomTitle = h('h3', { class: 'chat-room-title', id: 'chat-room-title', 'data-testid': 'chat-room-title' });
  ui.log = h('ol', {
    class: 'chat-messages', role: 'log', 'aria-labelledby': 'chat-room-title', 'data-testid': 'chat-messages',
  });
  ui.input = h('textarea', {
    id: 'chat-input', rows: '2', 'data-testid': 'chat-input', placeholder: t('chat.placeholder'), onkeydown: onInputKey,
  });
  ui.label = h('label', { for: 'chat-input', class: 'visually-hidden' });
  ui.send = h('button', { type: 'submit', class: 'primary', 'data-testid': 'chat-send', text: t('chat.send') });
  ui.roomView = h('div', { class: 'chat-room', hidden: true },
    h('div', { class: 'chat-room-head' },
      h('button', {
        type: 'button', class: 'chat-back', 'data-testid': 'chat-back', text: `← ${t('chat.back')}`,
        onclick: () => showRooms(),
      }),
      ui.roomTitle),
    ui.log,
    h('form', { class: 'chat-composer', onsubmit: onSend }, ui.label, ui.input, ui.send));
  panel = h('aside', {
    id: 'chat-panel', class: 'chat-panel', 'data-testid': 'chat-panel', 'aria-labelledby': 'chat-title', hidden: true,
    onkeydown: (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        setOpen(false);
        toggleBtn.focus();
      }
    },
  },
  h('div', { class: 'chat-head' },
    h('h2', { id: 'chat-title', text: t('chat.title') }),
    h('button', {
      type: 'button', class: 'icon-button', 'aria-label': t('chat.close'), 'data-testid': 'chat-close',
      onclick: () => {
        setOpen(false);
        toggleBtn.focus();
      },
    }, icon('close'))),
  ui.rooms,
  ui.roomView);
  host.appendChild(panel);

  onFeed('start', loadRooms);
  onFeed('reconnect', () => {
    loadRooms();
    if (current) openRoom(current, false);
  });
  onFeed('stop', reset);
  onFeed('frame', (f) => {
    if (f.type === 'chat.message' && f.chat) received(f.chat);
  });
}

function reset() {
  setOpen(false);
  rooms = [];
  current = null;
  messages = [];
  unread.clear();
  renderBadge();
  clear(ui.rooms);
}

function setOpen(open) {
  panel.hidden = !open;
  toggleBtn.setAttribute('aria-expanded', String(open));
  document.body.classList.toggle('chat-open', open);
  if (!open) return;
  loadRooms();
  if (current) {
    markRead(current);
    ui.input.focus();
  } else {
    const first = ui.rooms.querySelector('button');
    if (first) first.focus();
  }
}

function roomName(room) {
  if (room.startsWith('team:')) return t('chat.teamRoom', { name: teamName(room.slice(5)) });
  const [a, b] = room.slice(3).split(':');
  return agentName(isMe(a) ? b : a);
}

async function loadRooms() {
  try {
    const res = await rest.chatRooms();
    rooms = ((res && res.items) || []).slice().sort((x, y) => {
      const team = (r) => (r.startsWith('team:') ? 0 : 1);
      return team(x) - team(y) || roomName(x).localeCompare(roomName(y));
    });
    renderRooms();
  } catch (err) {
    if (!panel.hidden && err.status !== 401) toast(err.message, 'error');
  }
}

// renderRooms draws the room list; when the rooms did not change it only
// updates the marks, so focus and a click in progress are kept.
function renderRooms() {
  const buttons = [...ui.rooms.querySelectorAll('[data-room]')];
  if (buttons.length !== rooms.length || buttons.some((b, i) => b.dataset.room !== rooms[i])) {
    clear(ui.rooms);
    if (!rooms.length) ui.rooms.appendChild(h('li', { class: 'chat-note', text: t('chat.noRooms') }));
    for (const room of rooms) {
      ui.rooms.appendChild(h('li', null, h('button', {
        type: 'button', class: 'chat-room-btn', 'data-testid': 'chat-room', 'data-room': room,
        onclick: () => openRoom(room, true),
      }, icon(room.startsWith('team:') ? 'chat' : 'person'),
      h('span', { class: 'chat-room-name', text: roomName(room) }),
      h('span', { class: 'count-badge', hidden: true }))));
    }
  }
  for (const b of ui.rooms.querySelectorAll('[data-room]')) {
    const room = b.dataset.room;
    const n = unread.get(room) || 0;
    b.classList.toggle('active', room === current);
    if (room === current) b.setAttribute('aria-current', 'true');
    else b.removeAttribute('aria-current');
    b.querySelector('.chat-room-name').textContent = roomName(room);
    const count = b.querySelector('.count-badge');
    count.hidden = n === 0;
    count.textContent = String(n);
    count.title = t('chat.unread', { n });
  }
}

function showRooms() {
  current = null;
  ui.roomView.hidden = true;
  ui.rooms.hidden = false;
  renderRooms();
  const first = ui.rooms.querySelector('button');
  if (first) first.focus();
}

async function openRoom(room, focus) {
  current = room;
  markRead(room);
  ui.rooms.hidden = true;
  ui.roomView.hidden = false;
  ui.roomTitle.textContent = roomName(room);
  ui.label.textContent = t('chat.input', { room: roomName(room) });
  clear(ui.log);
  ui.log.appendChild(h('li', { class: 'chat-note', text: t('chat.loading') }));
  if (focus) ui.input.focus();
  const seq = ++loadSeq;
  try {
    const res = await rest.chatMessages(room);
    if (seq !== loadSeq || current !== room) return;
    messages = (res && res.items) || [];
    renderLog();
  } catch (err) {
    if (seq === loadSeq) toast(err.message, 'error');
  }
}

function markRead(room) {
  unread.delete(room);
  renderBadge();
}

function renderBadge() {
  let total = 0;
  for (const n of unread.values()) total += n;
  badge.hidden = total === 0;
  badge.textContent = String(total);
  badge.title = t('chat.unread', { n: total });
  toggleBtn.setAttribute('aria-label', total ? `${t('chat.toggle')} (${t('chat.unread', { n: total })})` : t('chat.toggle'));
}

function renderLog() {
  clear(ui.log);
  if (!messages.length) ui.log.appendChild(h('li', { class: 'chat-note', text: t('chat.empty') }));
  for (const m of messages) {
    ui.log.appendChild(h('li', {
      class: isMe(m.authorId) ? 'chat-msg mine' : 'chat-msg', 'data-testid': 'chat-message', 'data-id': m.id,
    },
    h('div', { class: 'chat-msg-head' },
      h('span', { class: 'author', text: m.authorName || agentName(m.authorId) }),
      h('time', { datetime: m.createdAt, title: fullTime(m.createdAt), text: clockTime(m.createdAt) })),
    h('div', { class: 'chat-text', 'data-testid': 'chat-text', text: m.text })));
  }
  ui.log.scrollTop = ui.log.scrollHeight;
}

function received(m) {
  if (m.room === current) {
    if (!messages.some((x) => x.id === m.id)) {
      messages.push(m);
      renderLog();
    }
    if (!panel.hidden) return;
  }
  if (isMe(m.authorId)) return;
  unread.set(m.room, (unread.get(m.room) || 0) + 1);
  renderBadge();
  if (!ui.rooms.hidden) renderRooms();
}

function onInputKey(e) {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    onSend(e);
  }
}

async function onSend(e) {
  e.preventDefault();
  const text = ui.input.value.trim();
  const room = current;
  if (!text || !room || ui.send.disabled) return;
  ui.send.disabled = true;
  try {
    const m = await rest.postChat(room, text);
    if (ui.input.value.trim() === text) ui.input.value = '';
    if (m && m.id) received(m);
  } catch (err) {
    toast(err.message, 'error');
  } finally {
    ui.send.disabled = false;
    ui.input.focus();
  }
}
