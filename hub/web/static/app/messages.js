// Messages of the open conversation: merging live updates and rendering
// them by author (customer, agent, bot, system, private note), with
// attachments and delivery state.

import { h, clear, safeUrl } from './dom.js';
import {
  extend, t, clockTime, fullTime, dayLabel, dayKey,
} from './i18n.js';
import { state, agentName, timeValue } from './state.js';
import { icon } from './icons.js';

extend({
  en: {
    'message.survey': 'Satisfaction survey',
    'message.failedBecause': 'Not delivered: {error}',
    'message.quickReplies': 'Quick replies',
    'message.openAttachment': 'Open {name}',
    'size.kb': '{n} KB',
    'size.mb': '{n} MB',
  },
  fr: {
    'message.survey': 'Enquête de satisfaction',
    'message.failedBecause': 'Non distribué : {error}',
    'message.quickReplies': 'Réponses rapides',
    'message.openAttachment': 'Ouvrir {name}',
    'size.kb': '{n} Ko',
    'size.mb': '{n} Mo',
  },
});

// The server's forward-only order: a state only ever moves to a higher
// rank, and failed ranks with delivered.
const DELIVERY_RANK = { queued: 1, sent: 2, delivered: 3, failed: 3, read: 4 };
const DELIVERY_ICON = { queued: '◷', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '⚠' };

// mergeMessage stores msg in state.messages, never moving its delivery
// state backwards (frames may arrive out of order).
export function mergeMessage(msg) {
  if (!msg || !msg.id) return;
  const old = state.messages.get(msg.id);
  if (old && (DELIVERY_RANK[old.delivery] ?? 0) > (DELIVERY_RANK[msg.delivery] ?? 0)) {
    state.messages.set(msg.id, { ...msg, delivery: old.delivery, deliveryError: old.deliveryError });
  } else {
    state.messages.set(msg.id, msg);
  }
}

function sortedMessages() {
  // Same instant: the customer's message first (the bot answered it).
  const inFirst = (m) => (m.direction === 'in' ? 0 : 1);
  return [...state.messages.values()].sort((a, b) => (timeValue(a.createdAt) - timeValue(b.createdAt))
    || inFirst(a) - inFirst(b));
}

// renderMessages redraws list; it stays scrolled to the bottom when it was
// there (or when forceBottom).
export function renderMessages(list, forceBottom) {
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
  if (m.kind) classes.push(`kind-${m.kind}`);
  const name = author.name || (type === 'agent' && author.id ? agentName(author.id) : t(`author.${type}`));
  const bubble = h('div', { class: 'bubble' });
  if (type !== 'system') {
    bubble.appendChild(h('div', { class: 'msg-head' },
      h('span', { class: 'author', 'data-testid': 'message-author', text: name }),
      m.private ? h('span', { class: 'private-label', text: t('message.private') }) : null,
      m.kind === 'survey' ? h('span', { class: 'kind-label', text: t('message.survey') }) : null));
  }
  if (m.text) bubble.appendChild(h('div', { class: 'msg-text', 'data-testid': 'message-text', text: m.text }));
  if (Array.isArray(m.buttons) && m.buttons.length) {
    bubble.appendChild(h('ul', { class: 'quick-replies', 'aria-label': t('message.quickReplies') },
      m.buttons.map((b) => h('li', { text: b }))));
  }
  const atts = (m.attachments || []).map(attachment).filter(Boolean);
  if (atts.length) bubble.appendChild(h('div', { class: 'attachments' }, atts));
  bubble.appendChild(foot(m));
  return h('li', {
    class: classes.join(' '),
    'data-testid': 'message',
    'data-id': m.id,
    'data-author': type,
    'data-private': m.private ? 'true' : 'false',
    'data-kind': m.kind || null,
  }, bubble);
}

function foot(m) {
  const el = h('div', { class: 'msg-foot' },
    h('time', { datetime: m.createdAt || '', title: fullTime(m.createdAt), text: clockTime(m.createdAt) }));
  if (m.direction !== 'out' || !m.delivery || m.private) return el;
  const label = t(`delivery.${m.delivery}`);
  const failed = m.delivery === 'failed';
  el.appendChild(h('span', {
    class: `delivery delivery-${m.delivery}`,
    'data-testid': 'message-delivery',
    'data-delivery': m.delivery,
    title: failed && m.deliveryError ? t('message.failedBecause', { error: m.deliveryError }) : label,
  }, h('span', { 'aria-hidden': 'true', text: DELIVERY_ICON[m.delivery] || '' }),
  ' ', h('span', { class: 'delivery-text', text: label })));
  if (failed && m.deliveryError) {
    return h('div', null, el, h('p', {
      class: 'delivery-error', 'data-testid': 'message-delivery-error', role: 'note',
      text: t('message.failedBecause', { error: m.deliveryError }),
    }));
  }
  return el;
}

function attachment(a) {
  const url = safeUrl(a && a.url);
  if (!url) return null;
  const label = a.name || t('message.attachment');
  const isImage = typeof a.contentType === 'string' && a.contentType.startsWith('image/');
  if (isImage) {
    return h('a', {
      class: 'attachment attachment-image', href: url, target: '_blank', rel: 'noopener noreferrer',
      'data-testid': 'attachment', 'data-kind': 'image', title: t('message.openAttachment', { name: label }),
    }, h('img', { src: url, alt: label, loading: 'lazy', 'data-testid': 'attachment-image' }));
  }
  return h('a', {
    class: 'attachment attachment-file', href: url, target: '_blank', rel: 'noopener noreferrer',
    'data-testid': 'attachment', 'data-kind': 'file', download: a.name || true,
  }, icon('file'), h('span', { text: label }), a.size ? h('span', { class: 'size', text: size(a.size) }) : null);
}

function size(bytes) {
  if (bytes >= 1048576) return t('size.mb', { n: (bytes / 1048576).toFixed(1) });
  return t('size.kb', { n: Math.max(1, Math.round(bytes / 1024)) });
}
