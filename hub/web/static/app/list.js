// The conversation list: tabs, assignee filter, search, rows, paging, and
// live upserts.

import { api } from './api.js';
import { h, clear, $, toast, debounce } from './dom.js';
import { t, relativeTime, fullTime } from './i18n.js';
import {
  state, TABS, FILTERS, remember, agentName, contactName, timeValue,
} from './state.js';

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
  for (const b of document.querySelectorAll('[data-filter]')) {
    b.addEventListener('click', () => setView({ filter: b.dataset.filter }));
  }
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
  // Keyboard: arrow keys move between rows.
  $('conv-list').addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const rows = [...document.querySelectorAll('#conv-list .conv-row')];
    const i = rows.indexOf(document.activeElement);
    if (i < 0) return;
    const next = rows[i + (e.key === 'ArrowDown' ? 1 : -1)];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  });
  // Relative times age: refresh them every minute.
  setInterval(refreshTimes, 60000);
}

// setView changes tab/filter/q and reloads the list.
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
    b.classList.toggle('active', on);
  }
  for (const b of document.querySelectorAll('[data-filter]')) {
    const on = b.dataset.filter === state.filter;
    b.setAttribute('aria-pressed', String(on));
    b.classList.toggle('active', on);
  }
}

function query(cursor) {
  return {
    status: state.tab,
    assignee: state.filter === 'mine' ? 'me' : state.filter === 'none' ? 'none' : '',
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

// matches reports whether conv belongs in the current tab and filter.
// The search text is evaluated by the server only: with a search active,
// live updates refresh rows already shown but never add new ones.
function matches(conv) {
  if (state.tab !== 'all' && conv.status !== state.tab) return false;
  if (state.filter === 'mine' && conv.assigneeId !== (state.me && state.me.id)) return false;
  if (state.filter === 'none' && conv.assigneeId) return false;
  return true;
}

// upsertConversation applies a changed conversation (from the live feed or
// an action) to the list: updated in place, added, or removed.
export function upsertConversation(incoming) {
  const conv = remember(incoming);
  if (conv !== incoming) return; // stale
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
  const classes = ['conv-row'];
  if (conv.status === 'open' && !conv.assigneeId) classes.push('waiting');
  if (conv.awaitingReply) classes.push('awaiting');
  if (conv.id === state.selectedId) classes.push('selected');
  const channel = conv.channel || {};
  const when = conv.lastMessageAt || conv.createdAt;
  return h('button', {
    type: 'button',
    class: classes.join(' '),
    'data-testid': 'conv-row',
    'data-id': conv.id,
    'data-status': conv.status,
    'aria-current': conv.id === state.selectedId ? 'true' : null,
    onclick: () => onSelect(conv.id),
  },
  h('span', { class: 'row-top' },
    h('span', {
      class: `chan chan-${channel.type || 'unknown'}`,
      'data-testid': 'conv-channel',
      title: channel.name || '',
      text: channelLabel(channel.type),
    }),
    h('span', { class: 'contact', 'data-testid': 'conv-contact', text: contactName(conv) }),
    h('time', {
      class: 'when', 'data-testid': 'conv-time', datetime: when || '', title: fullTime(when),
      text: relativeTime(when),
    })),
  h('span', { class: 'row-bottom' },
    h('span', {
      class: 'last', 'data-testid': 'conv-last', text: conv.lastMessageText || t('list.noText'),
    }),
    state.tab === 'all'
      ? h('span', { class: `badge status-${conv.status}`, text: t(`status.${conv.status}`) }) : null,
    h('span', {
      class: 'assignee',
      text: conv.assigneeId ? agentName(conv.assigneeId) : t('list.unassigned'),
    })));
}

export function channelLabel(type) {
  const key = `channel.${type}`;
  const label = t(key);
  return label === key ? type || '?' : label;
}

function refreshTimes() {
  for (const el of document.querySelectorAll('#conv-list time.when')) {
    el.textContent = relativeTime(el.getAttribute('datetime'));
  }
}
