// Admin → Agents: who answers, their role, presence and capacity; add
// agents and change their role, capacity or access.

import { extend, t } from '../i18n.js';
import { h, clear, toast } from '../dom.js';
import { adminApi } from '../api.js';
import { field, formDialog, badge, tableOf, toolbar, loadFailed, intOf } from './ui.js';

extend({
  en: {
    'ag.add': 'Add an agent',
    'ag.addTitle': 'Add an agent',
    'ag.create': 'Add agent',
    'ag.editTitle': 'Edit {name}',
    'ag.editLabel': 'Edit {name}',
    'ag.name': 'Name',
    'ag.email': 'Email',
    'ag.emailHint': 'They sign in with this address.',
    'ag.role': 'Role',
    'ag.role.agent': 'Agent',
    'ag.role.admin': 'Admin',
    'ag.roleHint': 'Admins also see Reports and Admin.',
    'ag.password': 'Password',
    'ag.passwordHint': 'At least 10 characters. Share it privately; they can sign in right away.',
    'ag.newPassword': 'New password',
    'ag.newPasswordHint': 'Leave empty to keep the current password.',
    'ag.capacity': 'Capacity (open conversations at once)',
    'ag.capacityHint': '0 uses the workspace setting ({n}).',
    'ag.disabled': 'Account disabled',
    'ag.disabledHint': 'A disabled agent cannot sign in and gets no conversations.',
    'ag.status.available': 'Available',
    'ag.status.away': 'Away',
    'ag.status.offline': 'Offline',
    'ag.status.rona': 'Missed an offer',
    'ag.default': 'Default ({n})',
    'ag.active': 'Active',
    'ag.off': 'Disabled',
    'ag.you': '(you)',
    'ag.created': '{name} was added.',
    'ag.saved': 'Agent saved.',
    'ag.col.name': 'Name',
    'ag.col.email': 'Email',
    'ag.col.role': 'Role',
    'ag.col.status': 'Status',
    'ag.col.capacity': 'Capacity',
    'ag.col.account': 'Account',
  },
  fr: {
    'ag.add': 'Ajouter un agent',
    'ag.addTitle': 'Ajouter un agent',
    'ag.create': 'Ajouter l’agent',
    'ag.editTitle': 'Modifier {name}',
    'ag.editLabel': 'Modifier {name}',
    'ag.name': 'Nom',
    'ag.email': 'E-mail',
    'ag.emailHint': 'Il se connecte avec cette adresse.',
    'ag.role': 'Rôle',
    'ag.role.agent': 'Agent',
    'ag.role.admin': 'Administrateur',
    'ag.roleHint': 'Les administrateurs voient aussi Rapports et Administration.',
    'ag.password': 'Mot de passe',
    'ag.passwordHint': 'Au moins 10 caractères. Transmettez-le en privé ; il peut se connecter tout de suite.',
    'ag.newPassword': 'Nouveau mot de passe',
    'ag.newPasswordHint': 'Laissez vide pour garder le mot de passe actuel.',
    'ag.capacity': 'Capacité (conversations ouvertes en même temps)',
    'ag.capacityHint': '0 utilise le réglage de l’espace ({n}).',
    'ag.disabled': 'Compte désactivé',
    'ag.disabledHint': 'Un agent désactivé ne peut pas se connecter et ne reçoit aucune conversation.',
    'ag.status.available': 'Disponible',
    'ag.status.away': 'Absent',
    'ag.status.offline': 'Hors ligne',
    'ag.status.rona': 'Offre manquée',
    'ag.default': 'Par défaut ({n})',
    'ag.active': 'Actif',
    'ag.off': 'Désactivé',
    'ag.you': '(vous)',
    'ag.created': '{name} a été ajouté.',
    'ag.saved': 'Agent enregistré.',
    'ag.col.name': 'Nom',
    'ag.col.email': 'E-mail',
    'ag.col.role': 'Rôle',
    'ag.col.status': 'Statut',
    'ag.col.capacity': 'Capacité',
    'ag.col.account': 'Compte',
  },
});

const ROLES = () => [['agent', t('ag.role.agent')], ['admin', t('ag.role.admin')]];

function createDialog(done) {
  formDialog({
    title: t('ag.addTitle'), testid: 'dialog-agent', submitLabel: t('ag.create'),
    build(body, form) {
      body.append(
        form.add('name', field({ label: t('ag.name'), required: true, testid: 'agent-name-input', autocomplete: 'off' })).wrap,
        form.add('email', field({ label: t('ag.email'), kind: 'email', required: true, testid: 'agent-email', hint: t('ag.emailHint'), autocomplete: 'off', spellcheck: 'false' })).wrap,
        form.add('role', field({ label: t('ag.role'), kind: 'select', options: ROLES(), value: 'agent', testid: 'agent-role', hint: t('ag.roleHint') })).wrap,
        form.add('password', field({ label: t('ag.password'), kind: 'password', required: true, testid: 'agent-password', hint: t('ag.passwordHint'), autocomplete: 'new-password' })).wrap,
      );
    },
    async submit(form) {
      const a = await adminApi.createAgent({
        name: form.get('name').value.trim(), email: form.get('email').value.trim(),
        role: form.get('role').value, password: form.get('password').value,
      });
      toast(t('ag.created', { name: a.name }), 'success');
      done();
    },
  });
}

function editDialog(a, defaultCap, done) {
  formDialog({
    title: t('ag.editTitle', { name: a.name || a.email }), testid: 'dialog-agent-edit',
    build(body, form) {
      body.append(
        form.add('name', field({ label: t('ag.name'), required: true, value: a.name, testid: 'agent-name-input' })).wrap,
        form.add('role', field({ label: t('ag.role'), kind: 'select', options: ROLES(), value: a.role, testid: 'agent-role', hint: t('ag.roleHint') })).wrap,
        form.add('maxOpen', field({
          label: t('ag.capacity'), kind: 'number', min: 0, max: 100, step: 1, value: a.maxOpen || 0,
          testid: 'agent-capacity', hint: t('ag.capacityHint', { n: defaultCap }),
        })).wrap,
        form.add('disabled', field({ label: t('ag.disabled'), kind: 'checkbox', value: a.disabled, testid: 'agent-disabled', hint: t('ag.disabledHint') })).wrap,
        form.add('password', field({ label: t('ag.newPassword'), kind: 'password', optional: true, testid: 'agent-password', hint: t('ag.newPasswordHint'), autocomplete: 'new-password' })).wrap,
      );
    },
    async submit(form) {
      const body = {
        name: form.get('name').value.trim(), role: form.get('role').value,
        maxOpen: intOf(form.get('maxOpen').value), disabled: form.get('disabled').value,
      };
      if (form.get('password').value) body.password = form.get('password').value;
      await adminApi.updateAgent(a.id, body);
      toast(t('ag.saved'), 'success');
      done();
    },
  });
}

export async function render(container, ctx) {
  let agents;
  let settings;
  try {
    [agents, settings] = await Promise.all([adminApi.agents(), adminApi.settings().catch(() => ({}))]);
  } catch (err) {
    loadFailed(container, err, ctx.refresh);
    return;
  }
  if (!ctx.stillHere()) return;
  const refresh = () => render(container, ctx);
  const defaultCap = (settings && settings.maxOpenPerAgent) || 5;
  const items = ((agents && agents.items) || []).slice()
    .sort((x, y) => (x.name || x.email).localeCompare(y.name || y.email));
  clear(container);
  container.append(toolbar(h('button', {
    type: 'button', class: 'primary', 'data-testid': 'agent-add', text: t('ag.add'), onclick: () => createDialog(refresh),
  })));
  container.append(tableOf({
    caption: t('admin.agents'), testid: 'agent-table',
    columns: [t('ag.col.name'), t('ag.col.email'), t('ag.col.role'), t('ag.col.status'), t('ag.col.capacity'), t('ag.col.account'),
      { label: t('ui.actions'), cls: 'actions-col' }],
    rows: items.map((a) => {
      const status = a.status || 'offline';
      return h('tr', { 'data-testid': 'agent-row', 'data-id': a.id, class: a.disabled ? 'row-off' : '' },
        h('th', { scope: 'row', class: 'name-cell' }, a.name || a.email,
          ctx.me && ctx.me.id === a.id ? h('span', { class: 'muted', text: ` ${t('ag.you')}` }) : null),
        h('td', { class: 'wrap-anywhere', text: a.email }),
        h('td', null, a.role === 'admin' ? badge(t('ag.role.admin'), 'admin') : t('ag.role.agent')),
        h('td', null, h('span', { class: `presence presence-${status}`, text: t(`ag.status.${status}`) })),
        h('td', { text: a.maxOpen > 0 ? String(a.maxOpen) : t('ag.default', { n: defaultCap }) }),
        h('td', null, a.disabled ? badge(t('ag.off'), 'off') : badge(t('ag.active'), 'on')),
        h('td', { class: 'row-actions' }, h('button', {
          type: 'button', 'data-testid': 'agent-edit', 'aria-label': t('ag.editLabel', { name: a.name || a.email }),
          text: t('ui.edit'), onclick: () => editDialog(a, defaultCap, refresh),
        })));
    }),
  }));
}
