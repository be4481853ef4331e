// Entry point of the agent app: session, login form, header, live feed and
// the wiring between list, conversation and actions.
//
// The URL hash keeps the view: #/<tab>/<filter>[/<conversation id>].
// #/admin/<section> and #/reports are router.js's views (admins).

import { api, setToken, onUnauthorized } from './api.js';
import { applyI18n, t } from './i18n.js';
import { $ } from './dom.js';
import { state, TABS, FILTERS } from './state.js';
import { LiveFeed } from './ws.js';
import {
  initList, loadList, setView, upsertConversation, setSelected,
} from './list.js';
import {
  initConversation, openConversation, closeConversation, applyConversation, applyMessage,
  reloadCurrent,
} from './conversation.js';
import { initActions } from './actions.js';
import { initDesk } from './desk.js';
import { initLangSwitch, initShell, route as routeSection } from './router.js';

const feed = new LiveFeed({
  onEvent,
  onReconnect: () => {
    loadList();
    reloadCurrent();
  },
  onStatus: (s) => {
    const el = $('ws-status');
    el.dataset.state = s;
    el.textContent = t(`ws.${s}`);
  },
  onAuthLost: async () => {
    try {
      await api.me();
    } catch (err) {
      if (err.status === 401) sessionLost();
    }
  },
});

function showView(view) {
  $('boot').hidden = true;
  $('login-view').hidden = view !== 'login';
  $('app-view').hidden = view !== 'app';
}

function showLogin(message) {
  showView('login');
  const err = $('login-error');
  err.textContent = message || '';
  err.hidden = !message;
  $('login-password').value = '';
  $('login-email').focus();
}

async function enter(agent) {
  state.me = agent;
  $('agent-name').textContent = agent.name || agent.email;
  $('agent-name').title = t('header.signedInAs', { name: agent.email || agent.name });
  showView('app');
  initShell(agent);
  routeSection();
  await loadDirectory();
  const { id } = readHash(false);
  feed.start();
  await loadList();
  if (id) select(id);
}

// loadDirectory fetches agents and teams (names for rows, transfer targets).
async function loadDirectory() {
  const [agents, teams] = await Promise.allSettled([api.agents(), api.teams()]);
  state.agents = new Map();
  state.teams = new Map();
  if (agents.status === 'fulfilled') {
    for (const a of (agents.value && agents.value.items) || []) state.agents.set(a.id, a);
  }
  if (!state.agents.has(state.me.id)) state.agents.set(state.me.id, state.me);
  if (teams.status === 'fulfilled') {
    for (const tm of (teams.value && teams.value.items) || []) state.teams.set(tm.id, tm);
  }
}

function select(id) {
  setSelected(id);
  openConversation(id);
  writeHash();
}

function writeHash() {
  const sel = state.selectedId ? `/${encodeURIComponent(state.selectedId)}` : '';
  const hash = `#/${state.tab}/${state.filter}${sel}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

// readHash applies the hash to the view. With apply, the list reloads and the
// conversation opens or closes to match; otherwise only the state is set.
function readHash(apply) {
  const [tab, filter, rawId] = location.hash.replace(/^#\/?/, '').split('/');
  let id = '';
  try {
    id = rawId ? decodeURIComponent(rawId) : '';
  } catch {
    id = '';
  }
  const view = {};
  if (TABS.includes(tab)) view.tab = tab;
  if (FILTERS.includes(filter)) view.filter = filter;
  if (apply) {
    setView(view);
    if (id && id !== state.selectedId) select(id);
    else if (!id && state.selectedId) closeAndDeselect();
  } else {
    if (view.tab) state.tab = view.tab;
    if (view.filter) state.filter = view.filter;
  }
  return { id };
}

function closeAndDeselect() {
  closeConversation();
  setSelected(null);
  writeHash();
}

function conversationChanged(conv) {
  if (!conv || !conv.id) return;
  upsertConversation(conv);
  applyConversation(conv);
}

function onEvent(frame) {
  switch (frame.type) {
    case 'conversation.created':
    case 'conversation.updated':
      conversationChanged(frame.conversation);
      break;
    case 'message.created':
    case 'message.updated':
      conversationChanged(frame.conversation);
      applyMessage(frame.message);
      break;
    default:
      break;
  }
}

function resetState() {
  feed.stop();
  closeConversation();
  state.me = null;
  state.items = [];
  state.next = '';
  state.latest = new Map();
}

function sessionLost() {
  if (!state.me) return;
  resetState();
  setToken('');
  showLogin(t('error.session'));
}

async function onLogin(e) {
  e.preventDefault();
  const email = $('login-email').value.trim();
  const password = $('login-password').value;
  const btn = $('login-submit');
  const err = $('login-error');
  if (!email || !password) {
    (email ? $('login-password') : $('login-email')).focus();
    return;
  }
  btn.disabled = true;
  btn.textContent = t('login.busy');
  err.hidden = true;
  try {
    const res = await api.login(email, password);
    setToken(res.token);
    $('login-password').value = '';
    await enter(res.agent);
  } catch (ex) {
    err.textContent = ex.message || t('login.failed');
    err.hidden = false;
    $('login-password').value = '';
    $('login-password').focus();
  } finally {
    btn.disabled = false;
    btn.textContent = t('login.submit');
  }
}

async function onLogout() {
  try {
    await api.logout();
  } catch {
    // The local session ends anyway.
  }
  resetState();
  setToken('');
  showLogin('');
}

async function boot() {
  applyI18n(document);
  initLangSwitch();
  $('login-form').addEventListener('submit', onLogin);
  $('logout').addEventListener('click', onLogout);
  initList({ select, changed: writeHash });
  initConversation({ closed: closeAndDeselect });
  initActions({ updated: conversationChanged });
  initDesk();
  onUnauthorized(sessionLost);
  window.addEventListener('hashchange', () => {
    // #/admin/... and #/reports are the router's; the rest is the inbox's.
    if (state.me && !routeSection()) readHash(true);
  });
  try {
    const res = await api.me();
    await enter(res.agent || res);
  } catch (err) {
    showLogin(err.status === 401 ? '' : err.message);
  }
}

boot();
