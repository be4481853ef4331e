// Admin → Settings: routing, the bot's messages, opening hours, the
// satisfaction survey and spam rules, saved together with PATCH /settings
// (only the settings shown here are sent).

import { extend, t } from '../i18n.js';
import { h, clear, toast } from '../dom.js';
import { adminApi } from '../api.js';
import { field, Form, loadFailed, lines, intOf, nextId } from './ui.js';
import { hoursEditor } from './hours.js';
import { SETTINGS_STRINGS } from './settingstrings.js';

extend(SETTINGS_STRINGS);

// GROUPS: [group, [[key, kind, extra]]] in page order. Number fields show
// their default (used when 0) in the hint.
const GROUPS = [
  ['routing', [
    ['routingMode', 'select', { options: ['manual', 'auto'] }],
    ['maxOpenPerAgent', 'number', { min: 0, max: 100 }],
    ['offerTimeoutSeconds', 'number', { min: 0 }],
    ['maxOfferAttempts', 'number', { min: 0 }],
    ['offlineGraceSeconds', 'number', { min: 0 }],
    ['holdToQueueIfOffline', 'checkbox'],
    ['idleCloseMinutes', 'number', { min: 0 }],
  ]],
  ['bot', [
    ['botGreeting', 'textarea'],
    ['botFallback', 'textarea'],
    ['handoffNotice', 'textarea'],
    ['outOfHoursNotice', 'textarea'],
    ['botHandoffAfter', 'number', { min: 0, max: 20 }],
    ['botIdleCloseMinutes', 'number', { min: 0, max: 10080 }],
  ]],
  ['hours', [
    ['timeZone', 'text', { required: true }],
  ]],
  ['survey', [
    ['surveyWindowMinutes', 'number', { min: 0, max: 43200 }],
    ['surveyQuestion', 'textarea'],
  ]],
  ['spam', [
    ['spamMaxMessages', 'number', { min: 0, max: 50 }],
    ['spamWindowSeconds', 'number', { min: 0, max: 3600 }],
    ['spamMaxRepeats', 'number', { min: 0, max: 100 }],
    ['spamMaxLinks', 'number', { min: 0, max: 100 }],
    ['spamBlocklist', 'list'],
  ]],
];

function zoneList() {
  const id = nextId('zones');
  let zones = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = ['Europe/Paris', 'Europe/London', 'America/New_York'];
  }
  if (!zones.includes('UTC')) zones = ['UTC', ...zones];
  return { id, node: h('datalist', { id }, zones.map((z) => h('option', { value: z }))) };
}

function buildField(key, kind, extra, value) {
  const o = {
    label: t(`set.${key}`), testid: `setting-${key}`, name: key, required: extra && extra.required,
    min: extra && extra.min, max: extra && extra.max,
  };
  const hint = t(`set.${key}.hint`);
  if (hint !== `set.${key}.hint`) o.hint = hint;
  if (kind === 'select') {
    return field({ ...o, kind: 'select', options: extra.options.map((v) => [v, t(`set.${key}.${v}`)]), value: value || extra.options[0] });
  }
  if (kind === 'list') return field({ ...o, kind: 'textarea', rows: 4, value: (value || []).join('\n'), spellcheck: 'false' });
  if (kind === 'textarea') return field({ ...o, kind: 'textarea', rows: 2, value: value || '' });
  if (kind === 'number') return field({ ...o, kind: 'number', step: 1, value: value || 0, inputmode: 'numeric' });
  if (kind === 'checkbox') return field({ ...o, kind: 'checkbox', value: !!value });
  return field({ ...o, kind, value: value || '', autocomplete: 'off', spellcheck: 'false' });
}

function readValue(kind, f) {
  if (kind === 'number') return intOf(f.value);
  if (kind === 'list') return lines(f.value);
  if (kind === 'checkbox') return !!f.value;
  return kind === 'text' ? String(f.value).trim() : f.value;
}

function draw(container, settings) {
  const form = new Form();
  const kinds = new Map();
  const sections = GROUPS.map(([group, keys]) => {
    const legendId = nextId('grp');
    const nodes = keys.map(([key, kind, extra]) => {
      kinds.set(key, kind);
      const f = form.add(key, buildField(key, kind, extra, settings[key]));
      return f.wrap;
    });
    if (group === 'hours') {
      const zones = zoneList();
      form.get('timeZone').input.setAttribute('list', zones.id);
      nodes.push(zones.node);
      const hours = form.add('businessHours', hoursEditor(settings.businessHours));
      nodes.push(hours.wrap);
    }
    return h('section', { class: 'settings-group', 'aria-labelledby': legendId, 'data-group': group },
      h('h2', { id: legendId, text: t(`set.g.${group}`) }),
      h('p', { class: 'field-hint', text: t(`set.g.${group}.lead`) }),
      h('div', { class: 'settings-fields' }, nodes));
  });
  const alert = h('p', { class: 'form-error', role: 'alert', hidden: true, 'data-testid': 'settings-error' });
  const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'settings-save', text: t('set.save') });
  const el = h('form', { class: 'settings-form', novalidate: true, 'data-testid': 'settings-form' },
    sections, h('div', { class: 'save-bar' }, alert, save));
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.clearErrors();
    alert.hidden = true;
    if (!form.checkRequired()) return;
    const patch = {};
    for (const [key, kind] of kinds) patch[key] = readValue(kind, form.get(key));
    patch.businessHours = form.get('businessHours').value;
    save.disabled = true;
    save.textContent = t('ui.saving');
    try {
      const saved = await adminApi.patchSettings(patch);
      toast(t('set.saved'), 'success');
      clear(container);
      draw(container, saved || settings);
    } catch (err) {
      const m = /^businessHours\[(\d+)\]/.exec(err.field || '');
      let shown = false;
      if (m) {
        form.get('businessHours').setErrorAt(Number(m[1]), String(err.message).replace(/^businessHours\[\d+\]: /, ''));
        shown = true;
      } else {
        shown = form.showError(err);
      }
      if (!shown) {
        alert.textContent = err.message;
        alert.hidden = false;
      }
    } finally {
      save.disabled = false;
      save.textContent = t('set.save');
    }
  });
  container.append(el);
}

export async function render(container, ctx) {
  let settings;
  try {
    settings = await adminApi.settings();
  } catch (err) {
    loadFailed(container, err, ctx.refresh);
    return;
  }
  if (!ctx.stillHere()) return;
  clear(container);
  draw(container, settings || {});
}
