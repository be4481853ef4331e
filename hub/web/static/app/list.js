// The conversation list: tabs (with live counts), assignee and team
// filters, search, rows, paging, and live upserts.

import { api } from './api.js';
import { h, clear, $, toast, debounce } from './dom.js';
import {
  extend, t, relativeTime, fullTime,
} from './i18n.js';
import {
  state, TABS, FILTERS, remember, agentName, contactName, timeValue, conversationChanged,
  offerForMe,
} from './state.js';
import { serverNow, since, duration } from './clock.js';
import { icon } from './icons.js';
import { initCounts } from './counts.js';
import { onFeed } from './ws.js';

extend({
  en: {
    'filter.team': 'Team',
    'filter.allTeams': 'All teams',
    'list.waitingLabel': 'Customer waiting for a reply for {time}',
    'list.offered': 'Offered to you',
  },
  fr: {
    'filter.team': 'Équipe',
    'filter.allTeams': 'Toutes les équipes',
    'list.waitingLabel': 'Le client attend une réponse depuis {time}',
    'list.offered': 'Proposée à vous',
  },
});

let onSelect = () => {};
let onChange = () => {};
let loadSeq = 0; // ignores answers of superseded loads

// initList wires the list controls. select(id) opens a conversation;
// changed() is called after the tab, filter or search changed.
export function initList({ select, changed }) {
  onSelect = select;
  onChange = changed;
  for (const b of document.querySelectorAll('[data-tab]')) {
    b.addEventListener('click', () => setView({ tab: b.dataset.tab }));
  }
  // Tabs pattern: one tab stop, arrow keys move and select.
  document.querySelector('[role=tablist]').addEventListener('keydown', (e) => {
    const tabs = [...document.querySelectorAll('[data-tab]')];
    const i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    let j = -1;
    if (e.key === 'ArrowRight') j = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = tabs.length - 1;
    if (j < 0) return;
    e.preventDefault();
    tabs[j].focus();
    setView({ tab: tabs[j].dataset.tab });
  });
  for (const b of document.querySelectorAll('[data-filter]')) {
    b.addEventListener('click', () => setView({ filter: b.dataset.filter }));
  }
  initCounts();
  initTeamFilter();
  const search = $('search');
  const run = debounce(() => setView({ q: search.value.trim() }), 300);
  search.addEventListener('input', run);
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && search.value) {
      search.value = '';
      setView({ q: '' });
    }
  });
  $('load-more').addEventListener('click', loadMore);
  $('conv-list').addEventListener('keydown', onListKey);
  onFeed('start', renderTeamFilter);
  // Relative times and waiting times age: refresh them often.
  setInterval(refreshTimes, 15000);
}

// openFromElsewhere opens a conversation as a click on its row would.
export function openFromElsewhere(id) {
  onSelect(id);
}

// Keyboard: arrow keys, Home and End move between rows.
function onListKey(e) {
  const rows = [...document.querySelectorAll('#conv-list .conv-row')];
  const i = rows.indexOf(document.activeElement);
  if (i < 0 || !rows.length) return;
  let next = null;
  if (e.key === 'ArrowDown') next = rows[i + 1];
  else if (e.key === 'ArrowUp') next = rows[i - 1];
  else if (e.key === 'Home') next = rows[0];
  else if (e.key === 'End') next = rows[rows.length - 1];
  if (next) {
    e.preventDefault();
    next.focus();
  }
}

function initTeamFilter() {
  const select = h('select', {
    id: 'filter-team', 'data-testid': 'filter-team', 'aria-label': t('filter.team'), hidden: true,
    onchange: (e) => setView({ team: e.target.value }),
  });
  document.querySelector('.filters').appendChild(select);
}

// renderTeamFilter fills the team select from the directory (state.teams).
export function renderTeamFilter() {
  const select = $('filter-team');
  if (!select) return;
  clear(select);
  select.appendChild(h('option', { value: '', text: t('filter.allTeams') }));
  const teams = [...state.teams.values()].sort((a, b) => String(a.name).localeCompare(String(b.name)));
  for (const tm of teams) select.appendChild(h('option', { value: tm.id, text: tm.name }));
  if (state.team && !state.teams.has(state.team)) state.team = '';
  select.value = state.team;
  select.hidden = teams.length === 0;
}

// setView changes tab/filter/team/q and reloads the list.
export function setView(change) {
  let dirty = false;
  if (change.tab && TABS.includes(change.tab) && change.tab !== state.tab) {
    state.tab = change.tab;
    dirty = true;
  }
  if (change.filter && FILTERS.includes(change.filter) && change.filter !== state.filter) {
    state.filter = change.filter;
    dirty = true;
  }
  if (typeof change.team === 'string' && change.team !== state.team) {
    state.team = change.team;
    dirty = true;
  }
  if (typeof change.q === 'string' && change.q !== state.q) {
    state.q = change.q;
    dirty = true;
  }
  if (change.q !== undefined && $('search').value.trim() !== state.q) $('search').value = state.q;
  renderControls();
  if (dirty) {
    onChange();
    loadList();
  }
}

function renderControls() {
  for (const b of document.querySelectorAll('[data-tab]')) {
    const on = b.dataset.tab === state.tab;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
    b.classList.toggle('active', on);
  }
  for (const b of document.querySelectorAll('[data-filter]')) {
    const on = b.dataset.filter === state.filter;
    b.setAttribute('aria-pressed', String(on));
    b.classList.toggle('active', on);
  }
  const team = $('filter-team');
  if (team && team.value !== state.team) team.value = state.team;
}

function query(cursor) {
  return {
    status: state.tab,
    assignee: state.filter === 'mine' ? 'me' : state.filter === 'none' ? 'none' : '',
    team: state.team,
    q: state.q,
    cursor: cursor || '',
  };
}

// loadList (re)loads the first page for the current view.
export async function loadList() {
  renderControls();
  const seq = ++loadSeq;
  const list = $('conv-list');
  list.setAttribute('aria-busy', 'true');
  try {
    const page = await api.conversations(query(''));
    if (seq !== loadSeq) return;
    state.items = (page.items || []).map(remember);
    state.next = page.next || '';
    renderList();
  } catch (err) {
    if (seq === loadSeq) toast(err.message, 'error');
  } finally {
    if (seq === loadSeq) list.setAttribute('aria-busy', 'false');
  }
}

async function loadMore() {
  if (!state.next) return;
  const seq = loadSeq;
  const btn = $('load-more');
  btn.disabled = true;
  try {
    const page = await api.conversations(query(state.next));
    if (seq !== loadSeq) return;
    const seen = new Set(state.items.map((c) => c.id));
    for (const c of page.items || []) if (!seen.has(c.id)) state.items.push(remember(c));
    state.next = page.next || '';
    renderList();
  } catch (err) {
    toast(err.message, 'error');
  } finally {
    btn.disabled = false;
  }
}

// matches reports whether conv belongs in the current tab and filters.
// The search text is evaluated by the server only: with a search active,
// live updates refresh rows already shown but never add new ones.
function matches(conv) {
  if (state.tab !== 'all' && conv.status !== state.tab) return false;
  if (state.filter === 'mine' && conv.assigneeId !== (state.me && state.me.id)) return false;
  if (state.filter === 'none' && conv.assigneeId) return false;
  if (state.team && conv.teamId !== state.team) return false;
  return true;
}

// upsertConversation applies a changed conversation (from the live feed or
// an action) to the list: updated in place, added, or removed.
export function upsertConversation(incoming) {
  if (!incoming || !incoming.id) return;
  const previous = state.latest.get(incoming.id);
  const conv = remember(incoming);
  if (conv !== incoming) return; // stale
  conversationChanged(conv, previous);
  const i = state.items.findIndex((c) => c.id === conv.id);
  if (!matches(conv)) {
    if (i >= 0) {
      state.items.splice(i, 1);
      renderList();
    }
    return;
  }
  if (i >= 0) state.items[i] = conv;
  else if (state.q) return;
  else state.items.push(conv);
  sortItems();
  renderList();
}

function sortItems() {
  state.items.sort((a, b) => timeValue(b.lastMessageAt || b.createdAt)
    - timeValue(a.lastMessageAt || a.createdAt));
}

export function setSelected(id) {
  state.selectedId = id;
  for (const row of document.querySelectorAll('#conv-list .conv-row')) {
    const on = row.dataset.id === id;
    row.classList.toggle('selected', on);
    if (on) row.setAttribute('aria-current', 'true');
    else row.removeAttribute('aria-current');
  }
}

export function renderList() {
  const list = $('conv-list');
  const hadFocus = list.contains(document.activeElement)
    ? document.activeElement.dataset.id : null;
  clear(list);
  for (const conv of state.items) list.appendChild(h('li', null, row(conv)));
  $('list-empty').hidden = state.items.length > 0;
  $('load-more').hidden = !state.next;
  if (hadFocus) {
    const again = list.querySelector(`.conv-row[data-id="${CSS.escape(hadFocus)}"]`);
    if (again) again.focus();
  }
  const waiting = state.items.filter((c) => c.awaitingReply).length;
  document.title = waiting ? `(${waiting}) ${t('app.inbox')} — ${t('app.title')}`
    : `${t('app.inbox')} — ${t('app.title')}`;
}

function row(conv) {
  const unassigned = conv.status === 'open' && !conv.assigneeId;
  const awaiting = !!conv.awaitingReply;
  const classes = ['conv-row'];
  if (unassigned) classes.push('waiting');
  if (awaiting) classes.push('awaiting');
  if (conv.id === state.selectedId) classes.push('selected');
  const channel = conv.channel || {};
  const when = conv.lastMessageAt || conv.createdAt;
  const offered = offerForMe(conv);
  return h('button', {
    type: 'button',
    class: classes.join(' '),
    'data-testid': 'conv-row',
    'data-id': conv.id,
    'data-status': conv.status,
    'data-unassigned': String(unassigned),
    'data-awaiting': String(awaiting),
    'data-offered': offered ? 'true' : null,
    'aria-current': conv.id === state.selectedId ? 'true' : null,
    onclick: () => onSelect(conv.id),
  },
  h('span', { class: 'row-top' },
    tagged(channelChip(channel), 'conv-channel'),
    h('span', { class: 'contact', 'data-testid': 'conv-contact', text: contactName(conv) }),
    h('time', {
      class: 'when', 'data-testid': 'conv-time', datetime: when || '', title: fullTime(when),
      text: relativeTime(when, serverNow()),
    })),
  h('span', { class: 'row-bottom' },
    h('span', {
      class: 'last', 'data-testid': 'conv-last', text: conv.lastMessageText || t('list.noText'),
    }),
    awaiting && conv.awaitingSince ? waitBadge(conv.awaitingSince) : null,
    offered ? h('span', { class: 'badge offered', text: t('list.offered') }) : null,
    state.tab === 'all'
      ? h('span', { class: `badge status-${conv.status}`, text: t(`status.${conv.status}`) }) : null,
    h('span', {
      class: 'assignee',
      text: conv.assigneeId ? agentName(conv.assigneeId) : t('list.unassigned'),
    })));
}

function tagged(el, testid) {
  el.dataset.testid = testid;
  return el;
}

function waitBadge(sinceIso) {
  const el = h('span', { class: 'wait', 'data-testid': 'conv-waiting', 'data-since': sinceIso },
    icon('clock'), h('span', { class: 'wait-text' }));
  fillWait(el);
  return el;
}

function fillWait(el) {
  const ms = since(el.dataset.since);
  if (ms === null) return;
  const time = duration(ms);
  el.querySelector('.wait-text').textContent = time;
  el.title = t('list.waitingLabel', { time });
}

// channelChip is the channel's icon with its name for assistive technology.
export function channelChip(channel) {
  const type = (channel && channel.type) || 'unknown';
  const label = channelLabel(type);
  return h('span', {
    class: `chan chan-${type}`,
    'data-channel': type,
    title: channel && channel.name ? `${label} — ${channel.name}` : label,
  }, icon(type), h('span', { class: 'visually-hidden', text: label }));
}

export function channelLabel(type) {
  const key = `channel.${type}`;
  const label = t(key);
  return label === key ? type || '?' : label;
}

function refreshTimes() {
  const now = serverNow();
  for (const el of document.querySelectorAll('#conv-list time.when')) {
    el.textContent = relativeTime(el.getAttribute('datetime'), now);
  }
  for (const el of document.querySelectorAll('#conv-list .wait')) fillWait(el);
}
