// Conversation actions: the toolbar (which buttons show depends on the
// status, the assignee, the conference and the agent's role) and running
// an action. The dialogs live in dialogs.js.

import { api } from './api.js';
import { h, clear, toast } from './dom.js';
import { extend, t } from './i18n.js';
import { state, participantIds, isAdmin } from './state.js';
import {
  initDialogs, openTransfer, openInvite, openSnooze, openClose, confirmSpam,
} from './dialogs.js';

extend({
  en: {
    'action.end-conference': 'End conference',
    'action.accept': 'Accept',
    'action.decline': 'Decline',
    'done.end-conference': 'Conference ended.',
    'done.accept': 'Conversation accepted.',
    'done.decline': 'Offer declined.',
    'action.hint.assign': 'Take this conversation',
    'action.hint.release': 'Put it back in the queue, unassigned',
    'action.hint.transfer': 'Hand it to another agent or a team',
    'action.hint.invite': 'Ask another agent to join (conference)',
    'action.hint.snooze': 'Put it on hold until a time',
    'action.hint.close': 'Close with a wrap-up',
  },
  fr: {
    'action.end-conference': 'Terminer la conférence',
    'action.accept': 'Accepter',
    'action.decline': 'Refuser',
    'done.end-conference': 'Conférence terminée.',
    'done.accept': 'Conversation acceptée.',
    'done.decline': 'Proposition refusée.',
    'action.hint.assign': 'Prendre cette conversation',
    'action.hint.release': 'La remettre dans la file, non assignée',
    'action.hint.transfer': 'La confier à un autre agent ou à une équipe',
    'action.hint.invite': 'Inviter un autre agent (conférence)',
    'action.hint.snooze': 'La mettre en attente jusqu’à une heure',
    'action.hint.close': 'La fermer avec un bilan',
  },
});

let onUpdated = () => {};

// initActions wires the dialogs. updated(conv) receives every conversation
// an action returns.
export function initActions({ updated }) {
  onUpdated = updated;
  initDialogs(run);
}

// renderActions fills container with the buttons that make sense for conv.
export function renderActions(container, conv) {
  clear(container);
  const me = state.me && state.me.id;
  const admin = isAdmin();
  const mine = !!me && conv.assigneeId === me;
  const live = conv.status === 'open' || conv.status === 'pending' || conv.status === 'bot';
  const held = conv.status === 'open' || conv.status === 'pending';
  const joined = participantIds(conv).includes(me);
  const conference = participantIds(conv).some((p) => p !== conv.assigneeId) || (conv.invites || []).length > 0;
  const mayHandOn = mine || !conv.assigneeId || admin;
  const add = (name, handler, cls) => container.appendChild(h('button', {
    type: 'button',
    class: cls || '',
    id: `action-${name}`,
    'data-testid': `action-${name}`,
    'data-action': name,
    title: t(`action.hint.${name}`) === `action.hint.${name}` ? null : t(`action.hint.${name}`),
    text: t(`action.${name}`),
    onclick: () => handler(conv),
  }));

  if (live && !conv.assigneeId) add('assign', (c) => run(c, 'assign', {}), 'primary');
  if (live && conv.assigneeId && (mine || admin)) add('release', (c) => run(c, 'release', {}));
  if (live && conv.assigneeId && (mine || admin)) add('transfer', openTransfer);
  if (live && (mine || joined || admin)) add('invite', openInvite);
  if (live && conference && (mine || admin)) add('end-conference', (c) => run(c, 'end-conference', {}));
  if (live && joined && !mine) add('leave', (c) => run(c, 'leave', {}));
  if (held && mayHandOn) add('snooze', openSnooze);
  if (held && mayHandOn) add('close', openClose);
  if (conv.status === 'closed') add('reopen', (c) => run(c, 'reopen', {}), 'primary');
  if (conv.status === 'spam') add('not-spam', (c) => run(c, 'not-spam', {}));
  else add('spam', confirmSpam, 'danger');
}

// run performs one action and reports the outcome. Returns true on success.
export async function run(conv, action, body) {
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
