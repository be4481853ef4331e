// The open conversation: header, messages, composer.

import { api } from './api.js';
import { h, clear, $, toast, safeUrl } from './dom.js';
import {
  t, clockTime, fullTime, dayLabel, dayKey,
} from './i18n.js';
import {
  state, remember, agentName, teamName, contactName, participantIds, timeValue,
} from './state.js';
import { renderActions } from './actions.js';
import { channelLabel } from './list.js';

const DELIVERY_RANK = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };
const DELIVERY_ICON = { queued: '◷', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '⚠' };

let openSeq = 0;
let onClosed = () => {};

// initConversation wires the composer. closed() is called when the agent
// leaves the conversation view (back button).
export function initConversation({ closed }) {
  onClosed = closed;
  const form = $('composer-form');
  const box = $('composer');
  const priv = $('private-toggle');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    send();
  });
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey) {
      e.preventDefault();
      send();
    }
  });
  priv.addEventListener('change', renderComposerMode);
  $('conv-back').addEventListener('click', () => onClosed());
  renderComposerMode();
}

function renderComposerMode() {
  const on = $('private-toggle').checked;
  $('composer-form').classList.toggle('private', on);
  $('composer').placeholder = t(on ? 'composer.placeholderPrivate' : 'composer.placeholder');
  $('send').textContent = t(on ? 'composer.sendNote' : 'composer.send');
}

// openConversation shows conversation id and loads its messages.
export async function openConversation(id) {
  const seq = ++openSeq;
  const known = state.latest.get(id);
  state.selectedId = id;
  state.current = known || null;
  state.messages = new Map();
  $('conv-empty').hidden = true;
  $('conv-view').hidden = false;
  document.body.classList.add('show-conversation');
  $('composer').value = '';
  $('private-toggle').checked = false;
  renderComposerMode();
  clear($('messages'));
  $('messages').appendChild(h('li', { class: 'messages-note', text: t('conv.loading') }));
  if (known) renderHeader();
  try {
    const [conv, page] = await Promise.all([
      known ? Promise.resolve(known) : api.conversation(id),
      api.messages(id),
    ]);
    if (seq !== openSeq) return;
    if (!state.current || state.current.id !== id) state.current = remember(conv);
    for (const m of (page && page.items) || []) mergeMessage(m);
    renderHeader();
    renderMessages(true);
  } catch (err) {
    if (seq !== openSeq) return;
    toast(err.message, 'error');
    if (err.status === 404) closeConversation();
  }
}

// reloadCurrent refreshes the open conversation (after a reconnection).
export async function reloadCurrent() {
  const id = state.current && state.current.id;
  if (!id) return;
  const seq = openSeq;
  try {
    const [conv, page] = await Promise.all([api.conversation(id), api.messages(id)]);
    if (seq !== openSeq) return;
    applyConversation(conv);
    for (const m of (page && page.items) || []) mergeMessage(m);
    renderMessages(false);
  } catch (err) {
    if (seq === openSeq && err.status !== 401) toast(err.message, 'error');
  }
}

export function closeConversation() {
  openSeq++;
  state.selectedId = null;
  state.current = null;
  state.messages = new Map();
  $('conv-view').hidden = true;
  $('conv-empty').hidden = false;
  document.body.classList.remove('show-conversation');
}

// applyConversation updates the header and actions when conv is the open one.
export function applyConversation(incoming) {
  const conv = remember(incoming);
  if (!state.current || state.current.id !== conv.id) return;
  state.current = conv;
  renderHeader();
}

// applyMessage adds or updates a message of the open conversation.
export function applyMessage(msg) {
  if (!msg || !state.current || msg.conversationId !== state.current.id) return;
  mergeMessage(msg);
  renderMessages(false);
}

function mergeMessage(msg) {
  if (!msg || !msg.id) return;
  const old = state.messages.get(msg.id);
  if (old && (DELIVERY_RANK[old.delivery] ?? -1) > (DELIVERY_RANK[msg.delivery] ?? -1)) {
    state.messages.set(msg.id, { ...msg, delivery: old.delivery });
  } else {
    state.messages.set(msg.id, msg);
  }
}

function renderHeader() {
  const conv = state.current;
  if (!conv) return;
  $('conv-title').textContent = contactName(conv);
  const meta = $('conv-meta');
  clear(meta);
  const channel = conv.channel || {};
  const parts = [
    h('span', { class: `chan chan-${channel.type || 'unknown'}`, text: channelLabel(channel.type) }),
    channel.name ? h('span', { text: channel.name }) : null,
    conv.contact && conv.contact.handle && conv.contact.handle !== contactName(conv)
      ? h('span', { text: conv.contact.handle }) : null,
    h('span', {
      class: `badge status-${conv.status}`, 'data-testid': 'conv-status', 'data-status': conv.status,
      text: t(`status.${conv.status}`),
    }),
    h('span', {
      'data-testid': 'conv-assignee',
      text: conv.assigneeId ? t('conv.assignee', { name: agentName(conv.assigneeId) }) : t('conv.unassigned'),
    }),
    conv.teamId ? h('span', { text: t('conv.team', { name: teamName(conv.teamId) }) }) : null,
  ];
  const others = participantIds(conv).filter((p) => p !== conv.assigneeId);
  if (others.length) {
    parts.push(h('span', { text: t('conv.participants', { names: others.map(agentName).join(', ') }) }));
  }
  if (conv.status === 'pending') {
    parts.push(h('span', {
      'data-testid': 'conv-snoozed',
      text: conv.snoozedUntil ? t('conv.snoozedUntil', { when: fullTime(conv.snoozedUntil) })
        : t('conv.snoozedUntilReply'),
    }));
  }
  if (conv.awaitingReply) parts.push(h('span', { class: 'badge awaiting', text: t('conv.awaiting') }));
  if (conv.status === 'closed' && conv.wrapUp && (conv.wrapUp.topic || conv.wrapUp.mood || conv.wrapUp.unsure)) {
    const mood = conv.wrapUp.unsure ? t('close.mood.unsure')
      : conv.wrapUp.mood ? t(`close.mood.${conv.wrapUp.mood}`) : '—';
    parts.push(h('span', { text: t('conv.wrapUp', { topic: conv.wrapUp.topic || '—', mood }) }));
  }
  if (conv.csat && conv.csat.score) {
    parts.push(h('span', { 'data-testid': 'conv-csat', text: t('conv.csat', { score: conv.csat.score }) }));
  }
  for (const p of parts) if (p) meta.appendChild(p);
  renderActions($('actions'), conv);
  const spam = conv.status === 'spam';
  $('spam-notice').hidden = !spam;
  $('composer-form').hidden = spam;
}

function sortedMessages() {
  // Same instant: the customer's message first (the bot answered it).
  const inFirst = (m) => (m.direction === 'in' ? 0 : 1);
  return [...state.messages.values()].sort((a, b) => (timeValue(a.createdAt) - timeValue(b.createdAt))
    || inFirst(a) - inFirst(b));
}

function renderMessages(forceBottom) {
  const list = $('messages');
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  clear(list);
  const msgs = sortedMessages();
  if (!msgs.length) list.appendChild(h('li', { class: 'messages-note', text: t('conv.noMessages') }));
  let day = '';
  for (const m of msgs) {
    const k = dayKey(m.createdAt);
    if (k && k !== day) {
      day = k;
      list.appendChild(h('li', { class: 'day-sep', role: 'separator', text: dayLabel(m.createdAt) }));
    }
    list.appendChild(messageItem(m));
  }
  if (forceBottom || nearBottom) list.scrollTop = list.scrollHeight;
}

function messageItem(m) {
  const author = m.author || {};
  const type = author.type || (m.direction === 'in' ? 'contact' : 'agent');
  const classes = ['msg', `from-${type}`, m.direction === 'in' ? 'dir-in' : 'dir-out'];
  if (m.private) classes.push('private');
  const name = author.name || (type === 'agent' && author.id ? agentName(author.id) : t(`author.${type}`));
  const bubble = h('div', { class: 'bubble' });
  if (type !== 'system') {
    bubble.appendChild(h('div', { class: 'msg-head' },
      h('span', { class: 'author', 'data-testid': 'message-author', text: name }),
      m.private ? h('span', { class: 'private-label', text: t('message.private') }) : null));
  }
  if (m.text) bubble.appendChild(h('div', { class: 'msg-text', 'data-testid': 'message-text', text: m.text }));
  const atts = (m.attachments || []).map(attachment).filter(Boolean);
  if (atts.length) bubble.appendChild(h('div', { class: 'attachments' }, atts));
  const foot = h('div', { class: 'msg-foot' },
    h('time', { datetime: m.createdAt || '', title: fullTime(m.createdAt), text: clockTime(m.createdAt) }));
  if (m.direction === 'out' && m.delivery && !m.private) {
    foot.appendChild(h('span', {
      class: `delivery delivery-${m.delivery}`,
      'data-testid': 'message-delivery',
      'data-delivery': m.delivery,
      title: t(`delivery.${m.delivery}`),
    }, h('span', { 'aria-hidden': 'true', text: DELIVERY_ICON[m.delivery] || '' }),
    ' ', h('span', { class: 'delivery-text', text: t(`delivery.${m.delivery}`) })));
  }
  bubble.appendChild(foot);
  return h('li', {
    class: classes.join(' '),
    'data-testid': 'message',
    'data-id': m.id,
    'data-author': type,
    'data-private': m.private ? 'true' : 'false',
  }, bubble);
}

function attachment(a) {
  const url = safeUrl(a && a.url);
  if (!url) return null;
  const label = a.name || t('message.attachment');
  const isImage = typeof a.contentType === 'string' && a.contentType.startsWith('image/');
  return h('a', {
    class: 'attachment', href: url, target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'attachment',
  }, isImage ? h('img', { src: url, alt: label, loading: 'lazy' }) : label);
}

async function send() {
  const conv = state.current;
  const box = $('composer');
  const btn = $('send');
  const text = box.value.trim();
  // One send at a time: Enter does not go through the disabled button.
  if (!conv || !text || btn.disabled) return;
  const isPrivate = $('private-toggle').checked;
  btn.disabled = true;
  box.setAttribute('aria-busy', 'true');
  try {
    const msg = await api.send(conv.id, text, isPrivate);
    if (state.current && state.current.id === conv.id) {
      if (box.value.trim() === text) box.value = '';
      applyMessage(msg);
    }
  } catch (err) {
    toast(err.message, 'error');
  } finally {
    btn.disabled = false;
    box.removeAttribute('aria-busy');
    box.focus();
  }
}
