// The top bar's navigation (Inbox / Reports / Admin), its language switch,
// and the views outside the inbox: #/admin/<section> and #/reports. Their
// code loads on first use, so agents never download it.
//
// main.js calls initLangSwitch() at boot, initShell(agent) once signed in,
// and route() on every hash change: route() returns true when the hash
// belongs to one of these views (the inbox's own routing then stays out).

import { extend, t, LANGUAGES, lang, setLang } from './i18n.js';
import { $, h, clear, toast } from './dom.js';

extend({
  en: {
    'nav.label': 'Main',
    'nav.inbox': 'Inbox',
    'nav.reports': 'Reports',
    'nav.visitors': 'Visitors',
    'nav.admin': 'Admin',
    'nav.language': 'Language',
    'nav.deniedTitle': 'Admins only',
    'nav.denied': 'This page is for workspace admins. Ask an admin if you need something changed.',
    'nav.back': 'Back to the inbox',
    'nav.loadFailed': 'This page could not be loaded: {message}',
  },
  fr: {
    'nav.label': 'Principal',
    'nav.inbox': 'Messages',
    'nav.reports': 'Rapports',
    'nav.visitors': 'Visiteurs',
    'nav.admin': 'Administration',
    'nav.language': 'Langue',
    'nav.deniedTitle': 'Réservé aux administrateurs',
    'nav.denied': 'Cette page est réservée aux administrateurs de l’espace. Demandez à un administrateur si vous avez besoin d’un changement.',
    'nav.back': 'Retour à la boîte de réception',
    'nav.loadFailed': 'Impossible de charger cette page : {message}',
  },
});

let me = null;
let seq = 0;
let lastInbox = '#/';

// sectionOf reads a hash: {view: 'admin', section} or {view: 'reports'},
// null for the inbox.
export function sectionOf(hash = location.hash) {
  const parts = String(hash || '').replace(/^#\/?/, '').split('/');
  if (parts[0] === 'admin') return { view: 'admin', section: parts[1] || '' };
  if (parts[0] === 'reports') return { view: 'reports' };
  if (parts[0] === 'visitors') return { view: 'visitors' };
  return null;
}

// initLangSwitch fills the language select; a change reloads in that language.
export function initLangSwitch() {
  const sel = $('lang-switch');
  if (!sel || sel.options.length) return;
  for (const [code, name] of Object.entries(LANGUAGES)) {
    sel.appendChild(h('option', { value: code, lang: code, text: name }));
  }
  sel.value = lang;
  sel.addEventListener('change', () => setLang(sel.value));
  window.addEventListener('hashchange', (e) => {
    try {
      const old = new URL(e.oldURL).hash;
      if (!sectionOf(old)) lastInbox = old || '#/';
    } catch {
      // an unparsable old URL: keep the last known inbox view
    }
    const inbox = $('nav-inbox');
    if (inbox) inbox.href = lastInbox;
  });
}

// initShell shows the admin links to admins only.
export function initShell(agent) {
  me = agent;
  const admin = !!agent && agent.role === 'admin';
  for (const id of ['nav-reports', 'nav-admin']) {
    const el = $(id);
    if (el) el.hidden = !admin;
  }
}

function markNav(view) {
  for (const [id, v] of [['nav-inbox', 'inbox'], ['nav-visitors', 'visitors'], ['nav-reports', 'reports'], ['nav-admin', 'admin']]) {
    const el = $(id);
    if (!el) continue;
    if (v === view) el.setAttribute('aria-current', 'page');
    else el.removeAttribute('aria-current');
  }
}

function denied(view) {
  clear(view);
  view.appendChild(h('div', { class: 'section-denied', 'data-testid': 'section-denied' },
    h('h1', { text: t('nav.deniedTitle') }),
    h('p', { text: t('nav.denied') }),
    h('a', { href: lastInbox, text: t('nav.back') })));
}

// route shows the view the hash names. It returns true for the admin and
// reports views, false for the inbox (shown again).
export function route() {
  const r = sectionOf();
  const panes = document.querySelector('#app-view > .panes');
  const view = $('section-view');
  if (!view) return false;
  document.body.classList.toggle('in-section', !!r);
  if (panes) panes.hidden = !!r;
  view.hidden = !r;
  markNav(r ? r.view : 'inbox');
  if (!r) {
    seq += 1;
    document.title = `${t('app.inbox')} — ${t('app.title')}`;
    return false;
  }
  const mine = ++seq;
  const current = () => mine === seq;
  if (r.view === 'visitors') {
    // Every agent may see who is on the site and start a chat.
    import('./visitors.js').then((m) => m.renderVisitors(view, { me, current })).catch((err) => {
      if (current()) toast(t('nav.loadFailed', { message: err.message || String(err) }), 'error');
    });
    return true;
  }
  if (!me || me.role !== 'admin') {
    denied(view);
    return true;
  }
  const load = r.view === 'admin'
    ? import('./admin/index.js').then((m) => m.renderAdmin(view, r.section, { me, current }))
    : import('./reports.js').then((m) => m.renderReports(view, { me, current }));
  load.catch((err) => {
    if (current()) toast(t('nav.loadFailed', { message: err.message || String(err) }), 'error');
  });
  return true;
}
