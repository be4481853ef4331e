// Admin → Teams: create, rename, choose members, delete.

import { extend, t } from '../i18n.js';
import { h, clear, toast } from '../dom.js';
import { adminApi } from '../api.js';
import { field, formDialog, confirmDialog, tableOf, toolbar, loadFailed, nextId } from './ui.js';

extend({
  en: {
    'team.add': 'Create a team',
    'team.addTitle': 'Create a team',
    'team.create': 'Create team',
    'team.editTitle': 'Edit team “{name}”',
    'team.editLabel': 'Edit {name}',
    'team.deleteLabel': 'Delete {name}',
    'team.name': 'Team name',
    'team.nameHint': 'e.g. Reception, Housekeeping, Restaurant.',
    'team.members': 'Members',
    'team.membersHint': 'Members see the team’s queue and can be sent its conversations.',
    'team.noAgents': 'Add agents first (Admin → Agents).',
    'team.none': 'No members yet',
    'team.count': '{n} members',
    'team.count1': '1 member',
    'team.empty': 'No team yet. Teams are optional: without them every agent shares one queue.',
    'team.created': 'Team “{name}” created.',
    'team.saved': 'Team saved.',
    'team.deleteTitle': 'Delete this team?',
    'team.deleteConfirm': 'Team “{name}” will be deleted. Conversations waiting in its queue move to the general queue.',
    'team.deleteOk': 'Delete team',
    'team.deleted': 'Team “{name}” deleted.',
    'team.col.name': 'Team',
    'team.col.members': 'Members',
  },
  fr: {
    'team.add': 'Créer une équipe',
    'team.addTitle': 'Créer une équipe',
    'team.create': 'Créer l’équipe',
    'team.editTitle': 'Modifier l’équipe « {name} »',
    'team.editLabel': 'Modifier {name}',
    'team.deleteLabel': 'Supprimer {name}',
    'team.name': 'Nom de l’équipe',
    'team.nameHint': 'par ex. Réception, Étages, Restaurant.',
    'team.members': 'Membres',
    'team.membersHint': 'Les membres voient la file de l’équipe et peuvent recevoir ses conversations.',
    'team.noAgents': 'Ajoutez d’abord des agents (Administration → Agents).',
    'team.none': 'Aucun membre',
    'team.count': '{n} membres',
    'team.count1': '1 membre',
    'team.empty': 'Aucune équipe. Elles sont facultatives : sans elles, tous les agents partagent une seule file.',
    'team.created': 'Équipe « {name} » créée.',
    'team.saved': 'Équipe enregistrée.',
    'team.deleteTitle': 'Supprimer cette équipe ?',
    'team.deleteConfirm': 'L’équipe « {name} » sera supprimée. Les conversations en attente dans sa file passent dans la file générale.',
    'team.deleteOk': 'Supprimer l’équipe',
    'team.deleted': 'Équipe « {name} » supprimée.',
    'team.col.name': 'Équipe',
    'team.col.members': 'Membres',
  },
});

// membersField is a checkbox list of agents, read back as agent ids.
function membersField(agents, chosen) {
  const boxes = agents.map((a) => {
    const id = nextId('member');
    const input = h('input', { type: 'checkbox', id, value: a.id, 'data-testid': 'team-member', checked: chosen.has(a.id) });
    return {
      input,
      node: h('li', { class: 'check-row' }, input,
        h('label', { for: id }, a.name || a.email, h('span', { class: 'muted', text: ` — ${a.email}` }))),
    };
  });
  const hintId = nextId('hint');
  const error = h('p', { class: 'field-error', hidden: true });
  const wrap = h('fieldset', { class: 'members', 'aria-describedby': hintId },
    h('legend', { text: t('team.members') }),
    h('p', { class: 'field-hint', id: hintId, text: t('team.membersHint') }),
    boxes.length ? h('ul', { class: 'check-list' }, boxes.map((b) => b.node)) : h('p', { class: 'muted', text: t('team.noAgents') }),
    error);
  return {
    wrap, kind: 'members', required: false,
    input: boxes.length ? boxes[0].input : wrap,
    get value() {
      return boxes.filter((b) => b.input.checked).map((b) => b.input.value);
    },
    setError(message) {
      error.textContent = message;
      error.hidden = !message;
    },
  };
}

function teamDialog(team, agents, done) {
  formDialog({
    title: team ? t('team.editTitle', { name: team.name }) : t('team.addTitle'),
    testid: 'dialog-team', submitLabel: team ? t('ui.save') : t('team.create'),
    build(body, form) {
      body.append(
        form.add('name', field({ label: t('team.name'), required: true, value: team ? team.name : '', testid: 'team-name', hint: t('team.nameHint'), autocomplete: 'off' })).wrap,
        form.add('agentIds', membersField(agents, new Set(team ? team.agentIds || [] : []))).wrap,
      );
    },
    async submit(form) {
      const body = { name: form.get('name').value.trim(), agentIds: form.get('agentIds').value };
      const saved = team ? await adminApi.updateTeam(team.id, body) : await adminApi.createTeam(body);
      toast(team ? t('team.saved') : t('team.created', { name: saved.name }), 'success');
      done();
    },
  });
}

async function remove(team, done) {
  const ok = await confirmDialog({ title: t('team.deleteTitle'), message: t('team.deleteConfirm', { name: team.name }), confirmLabel: t('team.deleteOk') });
  if (!ok) return;
  try {
    await adminApi.deleteTeam(team.id);
    toast(t('team.deleted', { name: team.name }), 'success');
    done();
  } catch (err) {
    toast(err.message, 'error');
  }
}

export async function render(container, ctx) {
  let teams;
  let agents;
  try {
    [teams, agents] = await Promise.all([adminApi.teams(), adminApi.agents()]);
  } catch (err) {
    loadFailed(container, err, ctx.refresh);
    return;
  }
  if (!ctx.stillHere()) return;
  const refresh = () => render(container, ctx);
  const people = ((agents && agents.items) || []).slice()
    .sort((x, y) => (x.name || x.email).localeCompare(y.name || y.email));
  const byId = new Map(((agents && agents.items) || []).map((a) => [a.id, a]));
  const items = ((teams && teams.items) || []).slice().sort((x, y) => x.name.localeCompare(y.name));
  clear(container);
  container.append(toolbar(h('button', {
    type: 'button', class: 'primary', 'data-testid': 'team-add', text: t('team.add'), onclick: () => teamDialog(null, people, refresh),
  })));
  if (!items.length) {
    container.append(h('p', { class: 'section-note', 'data-testid': 'team-empty', text: t('team.empty') }));
    return;
  }
  container.append(tableOf({
    caption: t('admin.teams'), testid: 'team-table',
    columns: [t('team.col.name'), t('team.col.members'), { label: t('ui.actions'), cls: 'actions-col' }],
    rows: items.map((tm) => {
      const ids = tm.agentIds || [];
      const names = ids.map((id) => (byId.get(id) ? byId.get(id).name || byId.get(id).email : id));
      const count = ids.length === 1 ? t('team.count1') : t('team.count', { n: ids.length });
      return h('tr', { 'data-testid': 'team-row', 'data-id': tm.id },
        h('th', { scope: 'row', class: 'name-cell', text: tm.name }),
        h('td', null, ids.length ? [h('strong', { text: count }), h('span', { class: 'muted', text: ` — ${names.join(', ')}` })] : h('span', { class: 'muted', text: t('team.none') })),
        h('td', { class: 'row-actions' },
          h('button', { type: 'button', 'data-testid': 'team-edit', 'aria-label': t('team.editLabel', { name: tm.name }), text: t('ui.edit'), onclick: () => teamDialog(tm, people, refresh) }),
          h('button', { type: 'button', class: 'danger', 'data-testid': 'team-delete', 'aria-label': t('team.deleteLabel', { name: tm.name }), text: t('ui.delete'), onclick: () => remove(tm, refresh) })));
    }),
  }));
}
