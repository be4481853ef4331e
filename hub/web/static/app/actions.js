// Conversation actions: the toolbar (which buttons depend on status and
// assignee) and the dialogs for transfer, invite, snooze and close.

import { api } from './api.js';
import { h, clear, $, toast, restoreToasts } from './dom.js';
import { t } from './i18n.js';
import { state, participantIds, isAdmin } from './state.js';

let onUpdated = () => {};
let target = null; // conversation the open dialog acts on
let topicsLoaded = false;

// initActions wires the dialogs. updated(conv) receives every conversation
// an action returns.
export function initActions({ updated }) {
  onUpdated = updated;
  for (const dlg of document.querySelectorAll('dialog.dialog')) {
    for (const b of dlg.querySelectorAll('[data-dismiss]')) b.addEventListener('click', () => dlg.close());
  }

  $('form-transfer').addEventListener('submit', (e) => {
    e.preventDefault();
    const v = $('transfer-target').value;
    if (!v) return;
    const [kind, id] = [v.slice(0, v.indexOf(':')), v.slice(v.indexOf(':') + 1)];
    fromDialog('dlg-transfer', 'transfer', kind === 'team' ? { teamId: id } : { agentId: id });
  });

  $('form-invite').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = $('invite-agent').value;
    if (id) fromDialog('dlg-invite', 'invite', { agentId: id });
  });

  for (const b of document.querySelectorAll('#dlg-snooze [data-preset]')) {
    b.addEventListener('click', () => {
      const p = b.dataset.preset;
      if (p === 'reply') fromDialog('dlg-snooze', 'snooze', { untilReply: true });
      else fromDialog('dlg-snooze', 'snooze', { until: rfc3339(presetTime(p)) });
    });
  }
  $('form-snooze').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('snooze-until');
    const when = new Date(input.value); // datetime-local: local time
    if (Number.isNaN(when.getTime()) || when.getTime() <= Date.now()) {
      input.setCustomValidity(t('snooze.past'));
      input.reportValidity();
      return;
    }
    fromDialog('dlg-snooze', 'snooze', { until: rfc3339(when) });
  });
  $('snooze-until').addEventListener('input', (e) => e.target.setCustomValidity(''));

  $('form-close').addEventListener('submit', (e) => {
    e.preventDefault();
    const mood = $('close-mood').value;
    if (!mood) {
      $('close-mood').reportValidity();
      return;
    }
    const body = {
      topic: $('close-topic').value.trim(),
      unsure: mood === 'unsure',
      survey: $('close-survey').checked,
    };
    if (mood !== 'unsure') body.mood = mood;
    fromDialog('dlg-close', 'close', body);
  });
}

// renderActions fills container with the buttons that make sense for conv.
export function renderActions(container, conv) {
  clear(container);
  const me = state.me && state.me.id;
  const mine = !!me && conv.assigneeId === me;
  const live = conv.status === 'open' || conv.status === 'pending' || conv.status === 'bot';
  const joined = participantIds(conv).includes(me);
  const add = (name, handler, cls) => container.appendChild(h('button', {
    type: 'button',
    class: cls || '',
    id: `action-${name}`,
    'data-testid': `action-${name}`,
    'data-action': name,
    text: t(`action.${name}`),
    onclick: () => handler(conv),
  }));

  if (live && !mine) add('assign', (c) => run(c, 'assign', {}), 'primary');
  if (live && conv.assigneeId && (mine || isAdmin())) add('release', (c) => run(c, 'release', {}));
  if (live) add('transfer', openTransfer);
  if (live) add('invite', openInvite);
  if (live && joined && !mine) add('leave', (c) => run(c, 'leave', {}));
  if (conv.status === 'open' || conv.status === 'pending') add('snooze', openSnooze);
  if (live) add('close', openClose);
  if (conv.status === 'closed') add('reopen', (c) => run(c, 'reopen', {}), 'primary');
  if (conv.status === 'spam') add('not-spam', (c) => run(c, 'not-spam', {}));
  else {
    add('spam', (c) => {
      if (window.confirm(t('confirm.spam'))) run(c, 'spam', {});
    }, 'danger');
  }
}

// run performs one action and reports the outcome. Returns true on success.
async function run(conv, action, body) {
  const buttons = [...document.querySelectorAll('#actions button, dialog[open] button')];
  for (const b of buttons) b.disabled = true;
  try {
    const updated = await api.act(conv.id, action, body);
    if (updated && updated.id) onUpdated(updated);
    toast(t(`done.${action}`), 'success');
    return true;
  } catch (err) {
    toast(err.message, 'error');
    return false;
  } finally {
    for (const b of buttons) if (b.isConnected) b.disabled = false;
  }
}

async function fromDialog(dialogId, action, body) {
  if (!target) return;
  if (await run(target, action, body)) $(dialogId).close();
}

function show(dialogId, conv) {
  target = conv;
  const dlg = $(dialogId);
  dlg.addEventListener('close', () => {
    target = null;
    restoreToasts();
  }, { once: true });
  dlg.showModal();
}

function agentsSorted() {
  return [...state.agents.values()].sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

function openTransfer(conv) {
  const sel = $('transfer-target');
  clear(sel);
  sel.appendChild(h('option', { value: '', text: t('transfer.choose') }));
  const agents = agentsSorted().filter((a) => a.id !== conv.assigneeId);
  if (agents.length) {
    sel.appendChild(h('optgroup', { label: t('transfer.agents') },
      agents.map((a) => h('option', { value: `agent:${a.id}`, text: agentLabel(a) }))));
  }
  const teams = [...state.teams.values()].sort((a, b) => String(a.name).localeCompare(String(b.name)));
  if (teams.length) {
    sel.appendChild(h('optgroup', { label: t('transfer.teams') },
      teams.map((tm) => h('option', { value: `team:${tm.id}`, text: tm.name }))));
  }
  show('dlg-transfer', conv);
}

function openInvite(conv) {
  const sel = $('invite-agent');
  clear(sel);
  sel.appendChild(h('option', { value: '', text: t('invite.choose') }));
  const taken = new Set([conv.assigneeId, ...participantIds(conv)]);
  for (const a of agentsSorted()) {
    if (!taken.has(a.id)) sel.appendChild(h('option', { value: a.id, text: agentLabel(a) }));
  }
  show('dlg-invite', conv);
}

function agentLabel(a) {
  const name = a.name || a.email || a.id;
  return state.me && state.me.id === a.id ? t('agent.me', { name }) : name;
}

function openSnooze(conv) {
  const input = $('snooze-until');
  input.value = '';
  input.min = localInputValue(new Date(Date.now() + 60000));
  input.setCustomValidity('');
  show('dlg-snooze', conv);
}

function openClose(conv) {
  $('close-topic').value = '';
  $('close-mood').value = '';
  $('close-survey').checked = true;
  loadTopics();
  show('dlg-close', conv);
}

// loadTopics fills the topic suggestions once, if the server offers them.
async function loadTopics() {
  if (topicsLoaded) return;
  topicsLoaded = true;
  try {
    const res = await api.wrapUpTopics();
    const list = $('close-topics');
    for (const item of (res && res.items) || []) {
      const name = typeof item === 'string' ? item : item && (item.name || item.topic || item.label);
      if (name) list.appendChild(h('option', { value: name }));
    }
  } catch {
    // Suggestions are optional.
  }
}

function presetTime(p) {
  const d = new Date();
  if (p === 'hour') return new Date(d.getTime() + 3600000);
  d.setDate(d.getDate() + 1);
  d.setHours(9, 0, 0, 0);
  return d;
}

// rfc3339 formats d in UTC without fractional seconds.
function rfc3339(d) {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// localInputValue formats d for a datetime-local input (local time).
function localInputValue(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
