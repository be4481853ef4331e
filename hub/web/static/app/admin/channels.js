// Admin → Channels: list, connect (one form per type), connection details
// (webhook URLs, the web chat snippet), edit, enable/disable, Telegram
// health check, delete.

import { extend, t } from '../i18n.js';
import { h, clear, toast } from '../dom.js';
import { adminApi } from '../api.js';
import {
  field, formDialog, infoDialog, confirmDialog, copyField, secretToggle, badge, tableOf, toolbar,
  svgEl, nextId, loadFailed,
} from './ui.js';
import { TYPES, CREATE_FIELDS, S } from './channelstrings.js';

extend(S);

const ICONS = {
  webchat: ['M4 4h12a2 2 0 0 1 2 2v7a2 2 0 0 1-2 2H9l-4 3v-3H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z'],
  sms: ['M7 2h6a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2z', 'M9 15h2'],
  telegram: ['M2.5 9.5 17.5 3l-3 14-4.5-4-2 3.5-.5-5z', 'M7.5 11.5 17.5 3'],
  partner: ['M8.5 11.5a3 3 0 0 0 4.2 0l3-3a3 3 0 0 0-4.2-4.2l-1 1', 'M11.5 8.5a3 3 0 0 0-4.2 0l-3 3a3 3 0 0 0 4.2 4.2l1-1'],
};

export function typeIcon(type) {
  return svgEl('svg', { class: `type-icon type-${type}`, viewBox: '0 0 20 20', width: 20, height: 20, 'aria-hidden': 'true', focusable: 'false' },
    (ICONS[type] || ICONS.partner).map((d) => svgEl('path', { d })));
}

function typeLabel(type) {
  return t(`chan.type.${type}`);
}

// snippet is the web chat embed code for a channel.
export function snippet(id) {
  return `<script src="${location.origin}/widget.js" data-channel="${id}" async></script>`;
}

// details are a channel's connection instructions: webhook URLs or the snippet.
function details(ch) {
  const out = [h('p', { class: 'setup-text', text: t(`chan.setup.${ch.type}`) })];
  if (ch.type === 'webchat') {
    out.push(copyField({ label: t('chan.snippet'), value: snippet(ch.id), testid: 'channel-snippet', multiline: true, hint: t('chan.snippetHint') }));
    out.push(h('p', { class: 'field-hint' }, t('chan.tryDemo'), ' ',
      h('a', { href: `/demo?channel=${encodeURIComponent(ch.id)}`, target: '_blank', rel: 'noopener', text: t('chan.demoLink') })));
  }
  const urls = Object.entries(ch.webhookUrls || {}).sort(([a], [b]) => (a === 'inbound' ? -1 : b === 'inbound' ? 1 : a.localeCompare(b)));
  for (const [key, url] of urls) {
    const known = ['inbound', 'status'].includes(key);
    out.push(copyField({
      label: known ? t(`chan.url.${key}`) : key, value: url, testid: 'channel-webhook-url', key,
      hint: known ? t(`chan.urlHint.${ch.type}.${key}`) : '',
    }));
  }
  return out;
}

function showDetails(ch) {
  infoDialog({ title: t('chan.detailsTitle', { name: ch.name }), testid: 'dialog-channel-details', wide: true, nodes: details(ch) });
}

// configField builds the input of one provider setting.
function configField(type, spec, value, editing) {
  const label = t(`chan.f.${type}.${spec.key}`) === `chan.f.${type}.${spec.key}` ? (spec.label || spec.key) : t(`chan.f.${type}.${spec.key}`);
  let hint = t(`chan.h.${type}.${spec.key}`);
  if (hint === `chan.h.${type}.${spec.key}`) hint = '';
  if (spec.secret && editing && value) hint = [t('chan.secretKept'), hint].filter(Boolean).join(' ');
  const f = field({
    label, hint, required: !!spec.required && !editing, optional: !spec.required,
    kind: spec.secret && !editing ? 'password' : (spec.type || 'text'),
    value, placeholder: spec.placeholder, autocomplete: spec.secret ? 'new-password' : 'off',
    testid: `channel-config-${spec.key}`, spellcheck: 'false', step: spec.step, min: spec.min,
    addon: spec.secret && !editing ? secretToggle : undefined,
  });
  if (spec.secret && editing) f.input.addEventListener('focus', () => f.input.select());
  return f;
}

function createDialog(done) {
  let type = 'webchat';
  let configBox = null;
  let configFields = [];
  formDialog({
    title: t('chan.addTitle'), testid: 'dialog-channel', wide: true, submitLabel: t('chan.create'),
    build(body, form) {
      const group = nextId('type');
      const radios = h('div', { class: 'type-cards' }, TYPES.map((ty) => {
        const id = `${group}-${ty}`;
        const input = h('input', { type: 'radio', name: group, id, value: ty, 'data-testid': `channel-type-${ty}`, checked: ty === type });
        input.addEventListener('change', () => { if (input.checked) setType(ty); });
        return h('div', { class: 'type-card' }, input,
          h('label', { for: id }, typeIcon(ty), h('span', { class: 'type-name', text: typeLabel(ty) }),
            h('span', { class: 'type-desc', text: t(`chan.desc.${ty}`) })));
      }));
      body.append(h('fieldset', { class: 'type-picker' }, h('legend', { text: t('chan.type') }), radios));
      const name = form.add('name', field({ label: t('chan.name'), required: true, testid: 'channel-name', hint: t('chan.nameHint'), autocomplete: 'off' }));
      const bot = form.add('botEnabled', field({ label: t('chan.bot'), kind: 'checkbox', value: true, testid: 'channel-bot', hint: t('chan.botHint') }));
      configBox = h('div', { class: 'config-box' });
      body.append(name.wrap, bot.wrap, configBox);
      const setType = (ty) => {
        type = ty;
        for (const f of configFields) form.fields.delete(f.key);
        clear(configBox);
        configFields = CREATE_FIELDS[ty].map((spec) => {
          const f = configField(ty, spec, '', false);
          f.key = spec.key;
          form.add(spec.key, f);
          return f;
        });
        if (configFields.length) {
          configBox.append(h('fieldset', { class: 'config-fields' }, h('legend', { text: t('chan.settingsOf', { type: typeLabel(ty) }) }),
            h('p', { class: 'field-hint', text: t(`chan.where.${ty}`) }), configFields.map((f) => f.wrap)));
        } else {
          configBox.append(h('p', { class: 'field-hint', text: t('chan.noSettings') }));
        }
      };
      setType(type);
    },
    async submit(form, view) {
      const config = {};
      for (const f of configFields) {
        const v = String(f.value).trim();
        if (v) config[f.key] = v;
      }
      const body = { type, name: form.get('name').value.trim(), botEnabled: form.get('botEnabled').value };
      if (Object.keys(config).length) body.config = config;
      const ch = await adminApi.createChannel(body);
      view.show([h('p', { class: 'success-text', role: 'status', 'data-testid': 'channel-created', text: t('chan.created', { name: ch.name }) }), details(ch)],
        t('chan.createdTitle'));
      done();
    },
  });
}

function editDialog(ch, done) {
  const specs = (ch.fields && ch.fields.length) ? ch.fields : (CREATE_FIELDS[ch.type] || []);
  const known = new Map((CREATE_FIELDS[ch.type] || []).map((s) => [s.key, s]));
  formDialog({
    title: t('chan.editTitle', { name: ch.name }), testid: 'dialog-channel-edit', wide: true,
    build(body, form) {
      form.add('name', field({ label: t('chan.name'), required: true, value: ch.name, testid: 'channel-name' }));
      form.add('botEnabled', field({ label: t('chan.bot'), kind: 'checkbox', value: ch.botEnabled, testid: 'channel-bot', hint: t('chan.botHint') }));
      body.append(form.get('name').wrap, form.get('botEnabled').wrap);
      const fs = specs.map((spec) => {
        const f = configField(ch.type, { ...(known.get(spec.key) || {}), ...spec }, (ch.config || {})[spec.key] || '', true);
        f.initial = (ch.config || {})[spec.key] || '';
        f.secret = !!spec.secret;
        form.add(spec.key, f);
        return f;
      });
      if (fs.length) {
        body.append(h('fieldset', { class: 'config-fields' }, h('legend', { text: t('chan.settingsOf', { type: typeLabel(ch.type) }) }), fs.map((f) => f.wrap)));
      }
    },
    async submit(form) {
      const config = {};
      for (const spec of specs) {
        const f = form.get(spec.key);
        const v = String(f.value).trim();
        if (v === f.initial) continue;
        config[spec.key] = v === '' ? null : v;
      }
      const body = { name: form.get('name').value.trim(), botEnabled: form.get('botEnabled').value };
      if (Object.keys(config).length) body.config = config;
      await adminApi.updateChannel(ch.id, body);
      toast(t('chan.saved'), 'success');
      done();
    },
  });
}

async function checkHealth(ch, btn) {
  btn.disabled = true;
  try {
    const hl = await adminApi.channelHealth(ch.id);
    const rows = [
      [t('chan.health.state'), hl.ok ? t('chan.health.ok') : t('chan.health.bad')],
      [t('chan.health.mode'), hl.mode ? t(`chan.health.mode.${hl.mode}`) : '—'],
    ];
    if (hl.webhookUrl) rows.push([t('chan.health.webhook'), hl.webhookUrl]);
    if (hl.pendingUpdates) rows.push([t('chan.health.pending'), String(hl.pendingUpdates)]);
    rows.push([t('chan.health.lastError'), hl.lastError || t('chan.health.none')]);
    if (hl.lastErrorAt) rows.push([t('chan.health.lastErrorAt'), new Date(hl.lastErrorAt).toLocaleString()]);
    infoDialog({
      title: t('chan.health.title', { name: ch.name }), testid: 'dialog-channel-health',
      nodes: [h('p', { class: `health-banner ${hl.ok ? 'ok' : 'bad'}`, role: 'status', 'data-testid': 'channel-health', 'data-ok': String(!!hl.ok),
        text: hl.ok ? t('chan.health.okLong') : t('chan.health.badLong') }),
      h('dl', { class: 'kv' }, rows.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]))],
    });
  } catch (err) {
    toast(t('chan.health.failed', { message: err.message }), 'error');
  } finally {
    btn.disabled = false;
  }
}

async function toggle(ch, refresh) {
  try {
    await adminApi.updateChannel(ch.id, { disabled: !ch.disabled });
    toast(ch.disabled ? t('chan.enabledToast', { name: ch.name }) : t('chan.disabledToast', { name: ch.name }), 'success');
    refresh();
  } catch (err) {
    toast(err.message, 'error');
  }
}

async function remove(ch, refresh) {
  const ok = await confirmDialog({
    title: t('chan.deleteTitle'), message: t('chan.deleteConfirm', { name: ch.name }), confirmLabel: t('chan.deleteOk'),
  });
  if (!ok) return;
  try {
    await adminApi.deleteChannel(ch.id);
    toast(t('chan.deleted', { name: ch.name }), 'success');
    refresh();
  } catch (err) {
    toast(err.message, 'error');
  }
}

function row(ch, refresh) {
  const health = ch.type === 'telegram'
    ? h('button', { type: 'button', 'data-testid': 'channel-check', 'aria-label': t('chan.checkLabel', { name: ch.name }), text: t('chan.check') })
    : null;
  if (health) health.addEventListener('click', () => checkHealth(ch, health));
  const named = (key) => ({ 'aria-label': t(key, { name: ch.name }) });
  return h('tr', { 'data-testid': 'channel-row', 'data-id': ch.id, 'data-type': ch.type, class: ch.disabled ? 'row-off' : '' },
    h('td', null, h('span', { class: 'type-cell' }, typeIcon(ch.type), typeLabel(ch.type))),
    h('th', { scope: 'row', class: 'name-cell', text: ch.name }),
    h('td', null, ch.disabled ? badge(t('chan.disabled'), 'off') : badge(t('chan.enabled'), 'on')),
    h('td', null, ch.botEnabled ? t('ui.yes') : t('ui.no')),
    h('td', { class: 'row-actions' },
      h('button', { type: 'button', 'data-testid': 'channel-details', ...named('chan.detailsLabel'), text: t('chan.details'), onclick: () => showDetails(ch) }),
      h('button', { type: 'button', 'data-testid': 'channel-edit', ...named('chan.editLabel'), text: t('ui.edit'), onclick: () => editDialog(ch, refresh) }),
      h('button', {
        type: 'button', 'data-testid': 'channel-toggle', ...named(ch.disabled ? 'chan.enableLabel' : 'chan.disableLabel'),
        text: ch.disabled ? t('chan.enable') : t('chan.disable'), onclick: () => toggle(ch, refresh),
      }),
      health,
      h('button', { type: 'button', class: 'danger', 'data-testid': 'channel-delete', ...named('chan.deleteLabel'), text: t('ui.delete'), onclick: () => remove(ch, refresh) })));
}

export async function render(container, ctx) {
  let res;
  try {
    res = await adminApi.channels();
  } catch (err) {
    loadFailed(container, err, ctx.refresh);
    return;
  }
  if (!ctx.stillHere()) return;
  const refresh = () => render(container, ctx);
  const items = (res && res.items) || [];
  clear(container);
  container.append(toolbar(h('button', {
    type: 'button', class: 'primary', 'data-testid': 'channel-add', text: t('chan.add'), onclick: () => createDialog(refresh),
  })));
  if (!items.length) {
    container.append(h('p', { class: 'section-note', 'data-testid': 'channel-empty', text: t('chan.empty') }));
    return;
  }
  container.append(tableOf({
    caption: t('admin.channels'), testid: 'channel-table',
    columns: [t('chan.col.type'), t('chan.col.name'), t('chan.col.state'), t('chan.col.bot'), { label: t('ui.actions'), cls: 'actions-col' }],
    rows: items.map((ch) => row(ch, refresh)),
  }));
}
