// Admin → Canned answers: saved replies agents insert with #shortcut.

import { extend, t } from '../i18n.js';
import { h, clear, toast } from '../dom.js';
import { adminApi } from '../api.js';
import { field, formDialog, confirmDialog, tableOf, toolbar, loadFailed } from './ui.js';

extend({
  en: {
    'can.add': 'Add a canned answer',
    'can.addTitle': 'Add a canned answer',
    'can.editTitle': 'Edit #{shortcut}',
    'can.editLabel': 'Edit #{shortcut}',
    'can.deleteLabel': 'Delete #{shortcut}',
    'can.shortcut': 'Shortcut',
    'can.shortcutHint': 'Letters, digits, - or _ (up to 40). Agents type #{example} in the reply box.',
    'can.text': 'Text',
    'can.textHint': 'Up to 2,000 characters. {{contact.name}} becomes the guest’s name, {{workspace.name}} your hotel’s or shop’s name.',
    'can.insert': 'Insert',
    'can.insertLabel': 'Insert:',
    'can.insertContact': 'Guest name',
    'can.insertWorkspace': 'Hotel or shop name',
    'can.empty': 'No canned answer yet. Save the replies you type every day: opening hours, directions, Wi-Fi…',
    'can.saved': 'Canned answer saved.',
    'can.deleteTitle': 'Delete this canned answer?',
    'can.deleteConfirm': '#{shortcut} will no longer be offered to agents.',
    'can.deleteOk': 'Delete',
    'can.deleted': '#{shortcut} deleted.',
    'can.col.shortcut': 'Shortcut',
    'can.col.text': 'Text',
  },
  fr: {
    'can.add': 'Ajouter une réponse',
    'can.addTitle': 'Ajouter une réponse enregistrée',
    'can.editTitle': 'Modifier #{shortcut}',
    'can.editLabel': 'Modifier #{shortcut}',
    'can.deleteLabel': 'Supprimer #{shortcut}',
    'can.shortcut': 'Raccourci',
    'can.shortcutHint': 'Lettres, chiffres, - ou _ (40 au plus). Les agents tapent #{example} dans la zone de réponse.',
    'can.text': 'Texte',
    'can.textHint': '2 000 caractères au plus. {{contact.name}} devient le nom du client, {{workspace.name}} le nom de votre hôtel ou boutique.',
    'can.insert': 'Insérer',
    'can.insertLabel': 'Insérer :',
    'can.insertContact': 'Nom du client',
    'can.insertWorkspace': 'Nom de l’hôtel ou de la boutique',
    'can.empty': 'Aucune réponse enregistrée. Gardez les réponses que vous tapez chaque jour : horaires, accès, Wi-Fi…',
    'can.saved': 'Réponse enregistrée.',
    'can.deleteTitle': 'Supprimer cette réponse ?',
    'can.deleteConfirm': '#{shortcut} ne sera plus proposée aux agents.',
    'can.deleteOk': 'Supprimer',
    'can.deleted': '#{shortcut} supprimée.',
    'can.col.shortcut': 'Raccourci',
    'can.col.text': 'Texte',
  },
});

// insertAt puts text at the cursor of a textarea.
export function insertAt(area, text) {
  const start = area.selectionStart ?? area.value.length;
  const end = area.selectionEnd ?? start;
  area.setRangeText(text, start, end, 'end');
  area.focus();
}

// variableButtons are buttons inserting {{contact.name}} and {{workspace.name}}.
export function variableButtons(area) {
  return h('div', { class: 'insert-row', role: 'group', 'aria-label': t('can.insert') },
    h('span', { class: 'muted', text: t('can.insertLabel') }),
    h('button', { type: 'button', class: 'small', text: `{{contact.name}} — ${t('can.insertContact')}`, onclick: () => insertAt(area, '{{contact.name}}') }),
    h('button', { type: 'button', class: 'small', text: `{{workspace.name}} — ${t('can.insertWorkspace')}`, onclick: () => insertAt(area, '{{workspace.name}}') }));
}

function cannedDialog(item, done) {
  formDialog({
    title: item ? t('can.editTitle', { shortcut: item.shortcut }) : t('can.addTitle'), testid: 'dialog-canned', wide: true,
    build(body, form) {
      const shortcut = form.add('shortcut', field({
        label: t('can.shortcut'), required: true, value: item ? item.shortcut : '', testid: 'canned-shortcut',
        hint: t('can.shortcutHint', { example: item ? item.shortcut : 'wifi' }), autocomplete: 'off', spellcheck: 'false',
      }));
      const text = form.add('text', field({
        label: t('can.text'), kind: 'textarea', rows: 6, required: true, value: item ? item.text : '', testid: 'canned-text', hint: t('can.textHint'),
      }));
      body.append(shortcut.wrap, text.wrap);
      text.wrap.insertBefore(variableButtons(text.input), text.input.nextSibling);
    },
    async submit(form) {
      const body = { shortcut: form.get('shortcut').value.trim().replace(/^#/, ''), text: form.get('text').value };
      if (item) await adminApi.updateCanned(item.id, body);
      else await adminApi.createCanned(body);
      toast(t('can.saved'), 'success');
      done();
    },
  });
}

async function remove(item, done) {
  const ok = await confirmDialog({
    title: t('can.deleteTitle'), message: t('can.deleteConfirm', { shortcut: item.shortcut }), confirmLabel: t('can.deleteOk'),
  });
  if (!ok) return;
  try {
    await adminApi.deleteCanned(item.id);
    toast(t('can.deleted', { shortcut: item.shortcut }), 'success');
    done();
  } catch (err) {
    toast(err.message, 'error');
  }
}

export async function render(container, ctx) {
  let res;
  try {
    res = await adminApi.canned();
  } catch (err) {
    loadFailed(container, err, ctx.refresh);
    return;
  }
  if (!ctx.stillHere()) return;
  const refresh = () => render(container, ctx);
  const items = ((res && res.items) || []).slice().sort((a, b) => a.shortcut.localeCompare(b.shortcut));
  clear(container);
  container.append(toolbar(h('button', {
    type: 'button', class: 'primary', 'data-testid': 'canned-add', text: t('can.add'), onclick: () => cannedDialog(null, refresh),
  })));
  if (!items.length) {
    container.append(h('p', { class: 'section-note', 'data-testid': 'canned-empty', text: t('can.empty') }));
    return;
  }
  container.append(tableOf({
    caption: t('admin.canned'), testid: 'canned-table',
    columns: [t('can.col.shortcut'), t('can.col.text'), { label: t('ui.actions'), cls: 'actions-col' }],
    rows: items.map((c) => h('tr', { 'data-testid': 'canned-row', 'data-id': c.id },
      h('th', { scope: 'row', class: 'name-cell' }, h('code', { text: `#${c.shortcut}` })),
      h('td', null, h('p', { class: 'clamp', text: c.text })),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', 'data-testid': 'canned-edit', 'aria-label': t('can.editLabel', { shortcut: c.shortcut }), text: t('ui.edit'), onclick: () => cannedDialog(c, refresh) }),
        h('button', { type: 'button', class: 'danger', 'data-testid': 'canned-delete', 'aria-label': t('can.deleteLabel', { shortcut: c.shortcut }), text: t('ui.delete'), onclick: () => remove(c, refresh) })))),
  }));
}
