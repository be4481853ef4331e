// Offers and invitations for me, as banners under the top bar: a routing
// offer or a transfer (Accept / Decline before offer.expiresAt) and a
// conference invitation (Join). Each shows a live countdown. The banners
// follow every conversation the app sees (list, live feed, actions).

import { api } from './api.js';
import { h, clear, toast } from './dom.js';
import { extend, t } from './i18n.js';
import {
  state, remember, offerForMe, agentName, contactName, onConversationChange,
} from './state.js';
import { onFeed } from './ws.js';
import {
  noteServerTime, until, stopwatch, onTick,
} from './clock.js';
import { upsertConversation, openFromElsewhere, channelChip } from './list.js';
import { applyConversation } from './conversation.js';

extend({
  en: {
    'offer.region': 'Offers for you',
    'offer.route': 'New conversation for you',
    'offer.transfer': 'Transferred to you by {name}',
    'offer.invite': '{name} invites you to join',
    'offer.accept': 'Accept',
    'offer.join': 'Join',
    'offer.decline': 'Decline',
    'offer.dismiss': 'Dismiss',
    'offer.view': 'View',
    'offer.left': '{time} left to answer',
    'offer.expired': 'Expired',
    'offer.new.route': 'New conversation offered to you: {name}.',
    'offer.new.transfer': 'Conversation transferred to you: {name}.',
    'done.join': 'You joined the conversation.',
  },
  fr: {
    'offer.region': 'Propositions pour vous',
    'offer.route': 'Nouvelle conversation pour vous',
    'offer.transfer': 'Transférée par {name}',
    'offer.invite': '{name} vous invite à rejoindre',
    'offer.accept': 'Accepter',
    'offer.join': 'Rejoindre',
    'offer.decline': 'Refuser',
    'offer.dismiss': 'Ignorer',
    'offer.view': 'Voir',
    'offer.left': '{time} pour répondre',
    'offer.expired': 'Expirée',
    'offer.new.route': 'Nouvelle conversation proposée : {name}.',
    'offer.new.transfer': 'Conversation transférée à vous : {name}.',
    'done.join': 'Vous avez rejoint la conversation.',
  },
});

const EXPIRED_LINGER_MS = 4000;

let tray = null;
const shown = new Map(); // conversation id → {key, el}
const seen = new Set(); // offers already announced: "<id>|<at or expiresAt>"
const dismissed = new Set(); // keys dismissed here, or expired by our clock
let syncQueued = false;

export function initOffers(before) {
  tray = h('section', {
    id: 'offers', class: 'offers', 'data-testid': 'offers', 'aria-label': t('offer.region'), hidden: true,
  });
  before.parentNode.insertBefore(tray, before);
  onConversationChange(queueSync);
  onFeed('incoming', (f) => {
    const offer = f.conversation && offerForMe(f.conversation);
    // An offer arriving live was made just now: its time is the server's.
    if (offer && offer.at && !seen.has(offerKey(f.conversation.id, offer))) noteServerTime(offer.at);
  });
  onFeed('frame', queueSync);
  onFeed('start', scan);
  onFeed('reconnect', scan);
  onFeed('stop', () => {
    for (const { el } of shown.values()) el.remove();
    shown.clear();
    tray.hidden = true;
  });
  onTick(tick);
}

// scan looks for offers made while the page was not listening.
async function scan() {
  try {
    const page = await api.conversations({ status: 'open' });
    for (const c of (page && page.items) || []) remember(c);
  } catch {
    // The live feed still brings new offers.
  }
  sync();
}

function queueSync() {
  if (syncQueued) return;
  syncQueued = true;
  queueMicrotask(() => {
    syncQueued = false;
    sync();
  });
}

function offerKey(id, offer) {
  return `${id}|${offer.kind}|${offer.at || offer.expiresAt}`;
}

function sync() {
  const want = new Map();
  for (const conv of state.latest.values()) {
    const offer = offerForMe(conv);
    if (offer && !dismissed.has(offerKey(conv.id, offer))) want.set(conv.id, { conv, offer });
  }
  for (const [id, entry] of shown) {
    const w = want.get(id);
    if (!w || offerKey(id, w.offer) !== entry.key) {
      entry.el.remove();
      shown.delete(id);
    }
  }
  for (const [id, { conv, offer }] of want) {
    if (shown.has(id)) continue;
    const key = offerKey(id, offer);
    const el = banner(conv, offer);
    shown.set(id, { key, el });
    tray.appendChild(el);
    if (!seen.has(key)) {
      seen.add(key);
      if (offer.kind !== 'invite') toast(t(`offer.new.${offer.kind}`, { name: contactName(conv) }), 'info');
    }
  }
  tray.hidden = shown.size === 0;
  tick();
}

function banner(conv, offer) {
  const invite = offer.kind === 'invite';
  const label = invite ? t('offer.invite', { name: agentName(offer.fromAgentId) })
    : offer.kind === 'transfer' ? t('offer.transfer', { name: agentName(offer.fromAgentId) })
      : t('offer.route');
  const titleId = `offer-title-${conv.id}`;
  const total = offer.at ? Math.max(1, Date.parse(offer.expiresAt) - Date.parse(offer.at)) : 30000;
  const accept = h('button', {
    type: 'button', class: 'primary', 'data-testid': 'offer-accept',
    text: t(invite ? 'offer.join' : 'offer.accept'), onclick: () => answer(conv.id, 'accept', invite ? 'done.join' : 'done.accept'),
  });
  const decline = invite
    ? h('button', {
      type: 'button', 'data-testid': 'offer-dismiss', text: t('offer.dismiss'),
      onclick: () => {
        dismissed.add(offerKey(conv.id, offer));
        sync();
      },
    })
    : h('button', {
      type: 'button', 'data-testid': 'offer-decline', text: t('offer.decline'),
      onclick: () => answer(conv.id, 'decline', 'done.decline'),
    });
  return h('div', {
    class: `offer offer-${offer.kind}`, role: 'group', 'aria-labelledby': titleId,
    'data-testid': 'offer-banner', 'data-id': conv.id, 'data-kind': offer.kind,
    'data-expires': offer.expiresAt, 'data-total': String(total),
  },
  channelChip(conv.channel),
  h('div', { class: 'offer-body' },
    h('p', { class: 'offer-title', id: titleId },
      h('strong', { text: contactName(conv) }), ' — ', h('span', { text: label })),
    conv.lastMessageText ? h('p', { class: 'offer-last', text: conv.lastMessageText }) : null),
  h('div', { class: 'offer-time' },
    h('span', { class: 'offer-countdown', 'data-testid': 'offer-countdown', role: 'timer' }),
    h('progress', { max: String(total), value: String(total), 'aria-hidden': 'true' })),
  h('div', { class: 'offer-buttons' },
    h('button', {
      type: 'button', 'data-testid': 'offer-view', text: t('offer.view'), onclick: () => openFromElsewhere(conv.id),
    }),
    decline, accept));
}

async function answer(id, action, done) {
  const entry = shown.get(id);
  const buttons = entry ? [...entry.el.querySelectorAll('button')] : [];
  for (const b of buttons) b.disabled = true;
  try {
    const conv = await api.act(id, action, {});
    if (conv && conv.id) {
      upsertConversation(conv);
      applyConversation(conv);
    }
    toast(t(done), 'success');
    if (action === 'accept') openFromElsewhere(id);
  } catch (err) {
    toast(err.message, 'error');
    for (const b of buttons) if (b.isConnected) b.disabled = false;
  }
}

function tick() {
  for (const [id, entry] of shown) {
    const el = entry.el;
    const left = until(el.dataset.expires);
    if (left === null) continue;
    const countdown = el.querySelector('.offer-countdown');
    const bar = el.querySelector('progress');
    if (left > 0) {
      countdown.textContent = stopwatch(left + 999); // 0:01 until the very end
      countdown.setAttribute('aria-label', t('offer.left', { time: stopwatch(left + 999) }));
      bar.value = left;
      continue;
    }
    if (el.dataset.expired) continue;
    el.dataset.expired = 'true';
    clear(countdown);
    countdown.textContent = t('offer.expired');
    countdown.removeAttribute('aria-label');
    bar.value = 0;
    for (const b of el.querySelectorAll('[data-testid=offer-accept], [data-testid=offer-decline]')) b.disabled = true;
    // The server ends the offer; if its word is late, stop showing it anyway.
    setTimeout(() => {
      const now = shown.get(id);
      if (now && now.el === el) {
        dismissed.add(now.key);
        el.remove();
        shown.delete(id);
        tray.hidden = shown.size === 0;
      }
    }, EXPIRED_LINGER_MS);
  }
}
