// The admin console: a side menu of sections (#/admin/<section>) and the
// section's page. Each section module exports render(container, ctx).

import { extend, t } from '../i18n.js';
import { h, clear } from '../dom.js';
import { loading, loadFailed } from './ui.js';

extend({
  en: {
    'admin.title': 'Administration',
    'admin.menu': 'Admin sections',
    'admin.channels': 'Channels',
    'admin.channels.lead': 'Where your guests write to you: the chat on your website, SMS, Telegram and partner platforms.',
    'admin.agents': 'Agents',
    'admin.agents.lead': 'The people who answer. Admins can also change these settings.',
    'admin.teams': 'Teams',
    'admin.teams.lead': 'Group agents (reception, housekeeping…) so conversations can be sent to a whole team.',
    'admin.canned': 'Canned answers',
    'admin.canned.lead': 'Saved replies agents insert by typing # and the shortcut.',
    'admin.bot': 'Bot rules',
    'admin.bot.lead': 'Automatic answers to frequent questions. Rules with a higher priority are tried first.',
    'admin.topics': 'Wrap-up topics',
    'admin.topics.lead': 'The topics agents choose from when they close a conversation. They feed the reports.',
    'admin.settings': 'Settings',
    'admin.settings.lead': 'How conversations are routed, what the bot says, opening hours, surveys and spam protection.',
  },
  fr: {
    'admin.title': 'Administration',
    'admin.menu': 'Sections de l’administration',
    'admin.channels': 'Canaux',
    'admin.channels.lead': 'Là où vos clients vous écrivent : le chat de votre site, les SMS, Telegram et les plateformes partenaires.',
    'admin.agents': 'Agents',
    'admin.agents.lead': 'Les personnes qui répondent. Les administrateurs peuvent aussi modifier ces réglages.',
    'admin.teams': 'Équipes',
    'admin.teams.lead': 'Regroupez les agents (réception, étages…) pour confier des conversations à toute une équipe.',
    'admin.canned': 'Réponses enregistrées',
    'admin.canned.lead': 'Des réponses prêtes que les agents insèrent en tapant # puis le raccourci.',
    'admin.bot': 'Règles du robot',
    'admin.bot.lead': 'Des réponses automatiques aux questions fréquentes. Les règles de plus haute priorité sont essayées d’abord.',
    'admin.topics': 'Sujets de clôture',
    'admin.topics.lead': 'Les sujets que les agents choisissent en fermant une conversation. Ils alimentent les rapports.',
    'admin.settings': 'Réglages',
    'admin.settings.lead': 'Répartition des conversations, messages du robot, horaires d’ouverture, enquêtes et protection contre le spam.',
  },
});

// SECTIONS in menu order, each with its module.
const SECTIONS = [
  ['channels', () => import('./channels.js')],
  ['agents', () => import('./agents.js')],
  ['teams', () => import('./teams.js')],
  ['canned', () => import('./canned.js')],
  ['bot', () => import('./bot.js')],
  ['topics', () => import('./topics.js')],
  ['settings', () => import('./settings.js')],
];

let shell = null; // {root, nav, title, lead, content}

function buildShell(root) {
  clear(root);
  const nav = h('nav', { class: 'admin-nav', 'aria-label': t('admin.menu') },
    h('p', { class: 'admin-nav-title', text: t('admin.title') }),
    h('ul', null, SECTIONS.map(([name]) => h('li', null,
      h('a', { href: `#/admin/${name}`, 'data-section': name, 'data-testid': `admin-nav-${name}`, text: t(`admin.${name}`) })))));
  const title = h('h1', { id: 'admin-title', tabindex: '-1', 'data-testid': 'admin-title' });
  const lead = h('p', { class: 'admin-lead' });
  const content = h('div', { class: 'admin-content', 'data-testid': 'admin-content' });
  const main = h('section', { class: 'admin-main', 'aria-labelledby': 'admin-title' }, title, lead, content);
  root.appendChild(h('div', { class: 'admin', 'data-testid': 'admin' }, nav, main));
  shell = { root, nav, title, lead, content };
}

// renderAdmin shows section (default: channels) in root.
export async function renderAdmin(root, section, ctx) {
  const entry = SECTIONS.find(([name]) => name === section) || SECTIONS[0];
  const [name, load] = entry;
  if (!shell || shell.root !== root || !root.contains(shell.nav)) buildShell(root);
  const hadFocusInMenu = shell.nav.contains(document.activeElement);
  for (const a of shell.nav.querySelectorAll('a[data-section]')) {
    if (a.dataset.section === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  shell.title.textContent = t(`admin.${name}`);
  shell.lead.textContent = t(`admin.${name}.lead`);
  document.title = `${t(`admin.${name}`)} · ${t('admin.title')} · ${t('app.title')}`;
  const content = shell.content;
  content.dataset.section = name;
  loading(content);
  if (hadFocusInMenu) shell.title.focus();
  const run = async () => {
    try {
      const mod = await load();
      if (!ctx.current()) return;
      await mod.render(content, { ...ctx, refresh: run, stillHere: () => ctx.current() && content.dataset.section === name });
    } catch (err) {
      if (ctx.current()) loadFailed(content, err, run);
    }
  };
  await run();
}
