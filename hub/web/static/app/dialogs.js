// The action dialogs: transfer (agent or team), invite, snooze (presets or
// a date), close (wrap-up topic, mood, survey) and the spam confirmation.
// Each acts on the conversation it was opened for.

import { h, clear, $, restoreToasts } from './dom.js';
import { extend, t } from './i18n.js';
import { state, participantIds } from './state.js';
import { rest } from './rest.js';
import { serverNow } from './clock.js';

extend({
  en: {
    'snooze.tonight': 'Until tonight 18:00',
    'snooze.nextWeek': 'Until Monday 9:00',
    'close.noTopic': 'No topic',
    'spam.title': 'Mark as spam?',
    'spam.submit': 'Mark as spam',
    'agent.status.available': 'available',
    'agent.status.away': 'away',
    'agent.status.offline': 'offline',
    'agent.status.rona': 'not answering',
    'agent.withStatus': '{name} — {status}',
  },
  fr: {
    'snooze.tonight': 'Jusqu’à ce soir 18 h',
    'snooze.nextWeek': 'Jusqu’à lundi 9 h',
    'close.noTopic': 'Sans sujet',
    'spam.title': 'Marquer comme spam ?',
    'spam.submit': 'Marquer comme spam',
    'agent.status.available': 'disponible',
    'agent.status.away': 'absent',
    'agent.status.offline': 'hors ligne',
    'agent.status.rona': 'ne répond pas',
    'agent.withStatus': '{name} — {status}',
  },
});

let run = async () => false;
let target = null; // conversation the open dialog acts on

// initDialogs wires the dialogs; act(conv, action, body) performs an action
// and resolves to true on success.
export function initDialogs(act) {
  run = act;
  for (const dlg of document.querySelectorAll('dialog.dialog')) {
    for (const b of dlg.querySelectorAll('[data-dismiss]')) b.addEventListener('click', () => dlg.close());
  }

  $('form-transfer').addEventListener('submit', (e) => {
    e.preventDefault();
    const v = $('transfer-target').value;
    if (!v) {
      $('transfer-target').reportValidity();
      return;
    }
    const i = v.indexOf(':');
    const [kind, id] = [v.slice(0, i), v.slice(i + 1)];
    submit('dlg-transfer', 'transfer', kind === 'team' ? { teamId: id } : { agentId: id });
  });

  $('form-invite').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = $('invite-agent').value;
    if (id) submit('dlg-invite', 'invite', { agentId: id });
    else $('invite-agent').reportValidity();
  });

  for (const b of document.querySelectorAll('#dlg-snooze [data-preset]')) {
    b.addEventListener('click', () => {
      const p = b.dataset.preset;
      submit('dlg-snooze', 'snooze', p === 'reply' ? { untilReply: true } : { preset: p });
    });
  }
  $('form-snooze').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('snooze-until');
    const when = new Date(input.value); // datetime-local: local time
    if (Number.isNaN(when.getTime()) || when.getTime() <= serverNow()) {
      input.setCustomValidity(t('snooze.past'));
      input.reportValidity();
      return;
    }
    submit('dlg-snooze', 'snooze', { until: rfc3339(when) });
  });
  $('snooze-until').addEventListener('input', (e) => e.target.setCustomValidity(''));

  $('form-close').addEventListener('submit', (e) => {
    e.preventDefault();
    const mood = $('close-mood').value;
    if (!mood) {
      $('close-mood').reportValidity();
      return;
    }
    const topic = $('close-topic');
    const body = {
      topic: topic ? topic.value.trim() : '',
      unsure: mood === 'unsure',
      survey: $('close-survey').checked,
    };
    if (mood !== 'unsure') body.mood = mood;
    submit('dlg-close', 'close', body);
  });

  $('form-spam').addEventListener('submit', (e) => {
    e.preventDefault();
    submit('dlg-spam', 'spam', {});
  });
}

async function submit(dialogId, action, body) {
  if (!target) return;
  if (await run(target, action, body)) $(dialogId).close();
}

function show(dialogId, conv, focusId) {
  target = conv;
  const dlg = $(dialogId);
  dlg.addEventListener('close', () => {
    target = null;
    restoreToasts();
  }, { once: true });
  dlg.showModal();
  if (focusId && $(focusId)) $(focusId).focus();
}

function agentsSorted() {
  return [...state.agents.values()]
    .filter((a) => !a.disabled)
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

function agentLabel(a) {
  const name = a.name || a.email || a.id;
  const who = state.me && state.me.id === a.id ? t('agent.me', { name }) : name;
  return a.status ? t('agent.withStatus', { name: who, status: t(`agent.status.${a.status}`) }) : who;
}

export function openTransfer(conv) {
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
  show('dlg-transfer', conv, 'transfer-target');
}

export function openInvite(conv) {
  const sel = $('invite-agent');
  clear(sel);
  sel.appendChild(h('option', { value: '', text: t('invite.choose') }));
  const taken = new Set([conv.assigneeId, ...participantIds(conv), ...(conv.invites || []).map((i) => i.agentId)]);
  for (const a of agentsSorted()) {
    if (!taken.has(a.id)) sel.appendChild(h('option', { value: a.id, text: agentLabel(a) }));
  }
  show('dlg-invite', conv, 'invite-agent');
}

export function openSnooze(conv) {
  const input = $('snooze-until');
  input.value = '';
  input.min = localInputValue(new Date(serverNow() + 60000));
  input.setCustomValidity('');
  show('dlg-snooze', conv);
}

export function openClose(conv) {
  $('close-mood').value = '';
  $('close-survey').checked = true;
  renderTopicField([]);
  loadTopics();
  show('dlg-close', conv);
}

export function confirmSpam(conv) {
  show('dlg-spam', conv, 'spam-cancel');
}

// renderTopicField shows a select of the workspace's wrap-up topics, or a
// free text field when it has none (any topic is then accepted).
function renderTopicField(topics) {
  const box = $('close-topic-field');
  const old = $('close-topic');
  const keep = old ? old.value : '';
  const hadFocus = !!old && document.activeElement === old;
  clear(box);
  box.appendChild(h('label', { for: 'close-topic', text: t('close.topic') }));
  if (topics.length) {
    box.appendChild(h('select', { id: 'close-topic', 'data-testid': 'close-topic' },
      h('option', { value: '', text: t('close.noTopic') }),
      topics.map((name) => h('option', { value: name, text: name }))));
    $('close-topic').value = topics.includes(keep) ? keep : '';
  } else {
    box.appendChild(h('input', {
      id: 'close-topic', type: 'text', maxlength: '200', autocomplete: 'off', 'data-testid': 'close-topic',
      placeholder: t('close.topicPlaceholder'), value: keep,
    }));
  }
  if (hadFocus) $('close-topic').focus();
}

let topicsSeq = 0;

// loadTopics reads the topics every time the dialog opens: admins change them.
async function loadTopics() {
  const seq = ++topicsSeq;
  try {
    const res = await rest.topics();
    if (seq !== topicsSeq) return;
    const topics = ((res && res.items) || []).filter((x) => typeof x === 'string' && x);
    renderTopicField(topics);
  } catch {
    // Without the list, any topic can still be typed.
  }
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
