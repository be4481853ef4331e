// The open conversation: header (with the live waiting timer), messages,
// composer (Enter sends, Shift+Enter breaks the line, "#" opens the canned
// answers), and the contact panel beside them.

import { api } from './api.js';
import { h, clear, $, toast } from './dom.js';
import { extend, t, fullTime } from './i18n.js';
import {
  state, remember, agentName, teamName, contactName, participantIds,
} from './state.js';
import { renderActions } from './actions.js';
import { channelChip, channelLabel } from './list.js';
import { mergeMessage, renderMessages } from './messages.js';
import { initCanned } from './canned.js';
import { initContact, showContact, hideContact } from './contact.js';
import { since, stopwatch, onTick } from './clock.js';
import { icon } from './icons.js';
import { initAttachments } from './upload.js';

extend({
  en: {
    'conv.waitingFor': 'Waiting {time}',
    'conv.waitingLabel': 'The customer has waited {time} for a reply',
    'conv.invited': 'Invited: {names}',
    'conv.optedOut': 'Opted out',
    'composer.notesOnlyClosed': 'This conversation is closed: reopen it to reply. You can still add private notes.',
    'composer.notesOnlyOptedOut': 'The customer opted out of messages (STOP): replies are refused until they send START. You can still add private notes.',
    'composer.hint': 'Type # for canned answers',
  },
  fr: {
    'conv.waitingFor': 'Attend depuis {time}',
    'conv.waitingLabel': 'Le client attend une réponse depuis {time}',
    'conv.invited': 'Invités : {names}',
    'conv.optedOut': 'Désinscrit',
    'composer.notesOnlyClosed': 'Cette conversation est fermée : rouvrez-la pour répondre. Les notes privées restent possibles.',
    'composer.notesOnlyOptedOut': 'Le client s’est désinscrit (STOP) : les réponses sont refusées jusqu’à ce qu’il envoie START. Les notes privées restent possibles.',
    'composer.hint': 'Tapez # pour les réponses types',
  },
});

let openSeq = 0;
let onClosed = () => {};
let canned = null;
let attachments = null;

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
  canned = initCanned(box, form);
  box.addEventListener('keydown', (e) => {
    if (canned.handleKey(e)) return;
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      send();
    }
  });
  priv.addEventListener('change', renderComposerMode);
  $('conv-back').addEventListener('click', () => onClosed());
  form.parentNode.insertBefore(h('p', {
    id: 'composer-notice', class: 'composer-notice', 'data-testid': 'composer-notice', role: 'note', hidden: true,
  }), form);
  const bar = form.querySelector('.composer-bar');
  bar.insertBefore(h('span', { class: 'composer-hint', id: 'composer-hint', text: t('composer.hint') }), $('send'));
  box.setAttribute('aria-describedby', 'composer-hint');
  attachments = initAttachments(form, bar, bar.firstChild);
  initContact($('conv-view'), document.querySelector('.conv-header'));
  onTick(tickTimer);
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
  canned.reset(id);
  attachments.reset();
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
    renderMessages($('messages'), true);
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
    renderMessages($('messages'), false);
  } catch (err) {
    if (seq === openSeq && err.status !== 401) toast(err.message, 'error');
  }
}

export function closeConversation() {
  openSeq++;
  state.selectedId = null;
  state.current = null;
  state.messages = new Map();
  canned.reset(null);
  hideContact();
  $('conv-view').hidden = true;
  $('conv-empty').hidden = false;
  document.body.classList.remove('show-conversation');
}

// applyConversation updates the header and actions when conv is the open one.
export function applyConversation(incoming) {
  if (!incoming || !incoming.id) return;
  const conv = remember(incoming);
  if (!state.current || state.current.id !== conv.id) return;
  state.current = conv;
  renderHeader();
}

// applyMessage adds or updates a message of the open conversation.
export function applyMessage(msg) {
  if (!msg || !state.current || msg.conversationId !== state.current.id) return;
  mergeMessage(msg);
  renderMessages($('messages'), false);
}

function renderHeader() {
  const conv = state.current;
  if (!conv) return;
  $('conv-title').textContent = contactName(conv);
  const meta = $('conv-meta');
  clear(meta);
  const channel = conv.channel || {};
  const parts = [
    h('span', { class: 'meta-channel' }, channelChip(channel),
      h('span', { text: channel.name || channelLabel(channel.type) })),
    // A web chat handle is an opaque visitor id: the contact panel has it.
    conv.contact && conv.contact.handle && conv.contact.handle !== contactName(conv) && channel.type !== 'webchat'
      ? h('span', { class: 'handle', 'data-testid': 'conv-handle', text: conv.contact.handle }) : null,
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
    parts.push(h('span', {
      'data-testid': 'conv-participants', text: t('conv.participants', { names: others.map(agentName).join(', ') }),
    }));
  }
  const invited = (conv.invites || []).map((i) => agentName(i.agentId));
  if (invited.length) parts.push(h('span', { text: t('conv.invited', { names: invited.join(', ') }) }));
  if (conv.status === 'pending') {
    parts.push(h('span', {
      'data-testid': 'conv-snoozed',
      text: conv.snoozedUntil ? t('conv.snoozedUntil', { when: fullTime(conv.snoozedUntil) })
        : t('conv.snoozedUntilReply'),
    }));
  }
  if (conv.optedOut) {
    parts.push(h('span', { class: 'badge opted-out', 'data-testid': 'conv-opted-out', text: t('conv.optedOut') }));
  }
  if (conv.awaitingReply && conv.awaitingSince) {
    const timer = h('span', {
      class: 'badge awaiting timer', 'data-testid': 'awaiting-timer', 'data-since': conv.awaitingSince, role: 'timer',
    }, icon('clock'), h('span', { class: 'timer-text' }));
    fillTimer(timer);
    parts.push(timer);
  } else if (conv.awaitingReply) {
    parts.push(h('span', { class: 'badge awaiting', text: t('conv.awaiting') }));
  }
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
  renderNotesOnly(conv, spam);
  showContact(conv);
}

// renderNotesOnly limits the composer to private notes where replies are
// refused (closed conversation, customer opted out).
function renderNotesOnly(conv, spam) {
  const notice = $('composer-notice');
  const priv = $('private-toggle');
  const reason = spam ? '' : conv.status === 'closed' ? 'composer.notesOnlyClosed'
    : conv.optedOut ? 'composer.notesOnlyOptedOut' : '';
  notice.hidden = !reason;
  notice.textContent = reason ? t(reason) : '';
  if (reason) {
    priv.checked = true;
    priv.disabled = true;
  } else if (priv.disabled) {
    priv.disabled = false;
    priv.checked = false;
  }
  renderComposerMode();
}

function fillTimer(el) {
  const ms = since(el.dataset.since);
  if (ms === null) return;
  el.querySelector('.timer-text').textContent = t('conv.waitingFor', { time: stopwatch(ms) });
  el.title = t('conv.waitingLabel', { time: stopwatch(ms) });
}

function tickTimer() {
  const el = document.querySelector('#conv-meta [data-testid=awaiting-timer]');
  if (el) fillTimer(el);
}

async function send() {
  const conv = state.current;
  const box = $('composer');
  const btn = $('send');
  const text = box.value.trim();
  const uploadIds = attachments.ids();
  // One send at a time: Enter does not go through the disabled button.
  if (!conv || (!text && !uploadIds.length) || btn.disabled || attachments.busy()) return;
  const isPrivate = $('private-toggle').checked;
  btn.disabled = true;
  box.setAttribute('aria-busy', 'true');
  canned.close();
  try {
    const msg = await api.send(conv.id, text, isPrivate, uploadIds);
    if (state.current && state.current.id === conv.id) {
      if (box.value.trim() === text) box.value = '';
      attachments.reset();
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
