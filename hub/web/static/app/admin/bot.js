// Admin → Bot rules: the rules by priority, and a "Try it" box that asks
// the bot (POST /bot/dry-run) what it would do with a message. Export and
// Import move the rules to another workspace as a file.

import { extend, t } from '../i18n.js';
import { h, clear, toast } from '../dom.js';
import { adminApi, request } from '../api.js';
import { field, confirmDialog, badge, tableOf, toolbar, loadFailed } from './ui.js';
import { ruleDialog, langName } from './botform.js';

extend({
  en: {
    'try.title': 'Try the bot',
    'try.lead': 'Type a message as a guest would: see which rule answers and what the bot says. Nothing is sent.',
    'try.text': 'Guest’s message',
    'try.placeholder': 'What time is breakfast?',
    'try.first': 'As the first message of a conversation (the greeting is sent too)',
    'try.submit': 'Try it',
    'try.busy': 'Asking the bot…',
    'try.rule': 'Rule “{name}” answers, because of the {trigger} “{term}”.',
    'try.matched': 'Matched text: “{text}”',
    'try.noRule': 'No rule matches this message.',
    'try.trigger.keyword': 'keyword',
    'try.trigger.phrase': 'phrase',
    'try.trigger.pattern': 'pattern',
    'try.lang': 'Language detected: {lang}',
    'try.langUnsure': 'Language detected: not sure (every rule may answer)',
    'try.open': 'Business hours: open now',
    'try.closed': 'Business hours: closed now (handovers get the out-of-hours notice)',
    'try.person': 'The guest asks for a person: the bot hands over whatever the rules say.',
    'try.does': 'The bot would:',
    'try.reply': 'Reply',
    'try.handoff': 'Hand over to {target}',
    'try.handoffOut': 'Hand over to {target}, out of hours',
    'try.queue': 'the general queue',
    'try.reason.requested': 'the guest asked for a person',
    'try.reason.unmatched': 'the bot did not understand several times',
    'try.reason.rule': 'the rule says so',
    'try.miss': 'Count the message as not understood',
    'try.choice': 'Take it as choice {n}: “{text}”',
    'try.nothing': 'Say nothing.',
    'rule.col.priority': 'Priority',
    'rule.col.name': 'Rule',
    'rule.col.triggers': 'Triggers',
    'rule.col.language': 'Language',
    'rule.col.does': 'Does',
    'rule.col.state': 'State',
    'rule.does.answer': 'Answers',
    'rule.does.both': 'Answers, then hands over',
    'rule.does.handoff': 'Hands over',
    'rule.on': 'On',
    'rule.off': 'Off',
    'rule.more': '+{n} more',
    'rule.unnamed': '(no name)',
    'rule.empty': 'No rule yet. Start with the three questions you get most often.',
    'rule.deleteTitle': 'Delete this rule?',
    'rule.deleteConfirm': 'The bot will stop answering with “{name}”.',
    'rule.deleteOk': 'Delete rule',
    'rule.deleted': 'Rule deleted.',
    'rule.export': 'Export',
    'rule.import': 'Import…',
    'rule.importNotJSON': 'This file is not a bot rules export (JSON).',
    'rule.imported': 'Rules imported: {n}.',
    'rule.importTeams': 'Rules whose team is not in this workspace: {n}. They hand over to the general queue; choose their team in the rule.',
  },
  fr: {
    'try.title': 'Essayer le robot',
    'try.lead': 'Tapez un message comme le ferait un client : voyez quelle règle répond et ce que dit le robot. Rien n’est envoyé.',
    'try.text': 'Message du client',
    'try.placeholder': 'À quelle heure est le petit-déjeuner ?',
    'try.first': 'Comme premier message d’une conversation (le message d’accueil est aussi envoyé)',
    'try.submit': 'Essayer',
    'try.busy': 'Le robot réfléchit…',
    'try.rule': 'La règle « {name} » répond, grâce {trigger} « {term} ».',
    'try.matched': 'Texte reconnu : « {text} »',
    'try.noRule': 'Aucune règle ne correspond à ce message.',
    'try.trigger.keyword': 'au mot-clé',
    'try.trigger.phrase': 'à l’expression',
    'try.trigger.pattern': 'au motif',
    'try.lang': 'Langue détectée : {lang}',
    'try.langUnsure': 'Langue détectée : incertaine (toutes les règles peuvent répondre)',
    'try.open': 'Horaires : ouvert en ce moment',
    'try.closed': 'Horaires : fermé en ce moment (les transferts reçoivent le message hors horaires)',
    'try.person': 'Le client demande une personne : le robot passe la main quelles que soient les règles.',
    'try.does': 'Le robot :',
    'try.reply': 'Répondrait',
    'try.handoff': 'Passerait la main à {target}',
    'try.handoffOut': 'Passerait la main à {target}, hors horaires',
    'try.queue': 'la file générale',
    'try.reason.requested': 'le client a demandé une personne',
    'try.reason.unmatched': 'le robot n’a pas compris plusieurs fois',
    'try.reason.rule': 'la règle le prévoit',
    'try.miss': 'Compterait le message comme non compris',
    'try.choice': 'Le prendrait comme le choix {n} : « {text} »',
    'try.nothing': 'Ne dirait rien.',
    'rule.col.priority': 'Priorité',
    'rule.col.name': 'Règle',
    'rule.col.triggers': 'Déclencheurs',
    'rule.col.language': 'Langue',
    'rule.col.does': 'Action',
    'rule.col.state': 'État',
    'rule.does.answer': 'Répond',
    'rule.does.both': 'Répond, puis passe la main',
    'rule.does.handoff': 'Passe la main',
    'rule.on': 'Active',
    'rule.off': 'Inactive',
    'rule.more': '+{n} autres',
    'rule.unnamed': '(sans nom)',
    'rule.empty': 'Aucune règle. Commencez par les trois questions qu’on vous pose le plus souvent.',
    'rule.deleteTitle': 'Supprimer cette règle ?',
    'rule.deleteConfirm': 'Le robot ne répondra plus avec « {name} ».',
    'rule.deleteOk': 'Supprimer la règle',
    'rule.deleted': 'Règle supprimée.',
    'rule.export': 'Exporter',
    'rule.import': 'Importer…',
    'rule.importNotJSON': 'Ce fichier n’est pas un export de règles (JSON).',
    'rule.imported': 'Règles importées : {n}.',
    'rule.importTeams': 'Règles dont l’équipe n’existe pas dans cet espace : {n}. Elles passent la main à la file générale ; choisissez leur équipe dans la règle.',
  },
});

function triggers(rule) {
  const all = [...rule.keywords, ...rule.phrases.map((p) => `“${p}”`), ...rule.patterns.map((p) => `/${p}/`)];
  const shown = all.slice(0, 6);
  return h('span', { class: 'chips' }, shown.map((x) => h('span', { class: 'chip', text: x })),
    all.length > shown.length ? h('span', { class: 'muted', text: t('rule.more', { n: all.length - shown.length }) }) : null);
}

function does(rule) {
  if (rule.handoff && rule.answer.trim()) return t('rule.does.both');
  return rule.handoff ? t('rule.does.handoff') : t('rule.does.answer');
}

async function remove(rule, done) {
  const name = rule.name || t('rule.unnamed');
  const ok = await confirmDialog({ title: t('rule.deleteTitle'), message: t('rule.deleteConfirm', { name }), confirmLabel: t('rule.deleteOk') });
  if (!ok) return;
  try {
    await adminApi.deleteBotRule(rule.id);
    toast(t('rule.deleted'), 'success');
    done();
  } catch (err) {
    toast(err.message, 'error');
  }
}

// transfer is Export (the rules as a file; the session cookie
// authenticates the download) and Import (a file's rules added to this
// workspace; the server checks them all before storing any).
function transfer(done) {
  const exportLink = h('a', { class: 'button-link', href: '/api/v1/bot/rules/export', download: 'bot-rules.json', 'data-testid': 'rule-export', text: t('rule.export') });
  const file = h('input', { type: 'file', accept: 'application/json,.json', hidden: true, 'data-testid': 'rule-import-file' });
  const btn = h('button', { type: 'button', 'data-testid': 'rule-import', text: t('rule.import'), onclick: () => file.click() });
  file.addEventListener('change', async () => {
    const chosen = file.files && file.files[0];
    if (!chosen) return;
    let doc;
    try {
      doc = JSON.parse(await chosen.text());
    } catch {
      toast(t('rule.importNotJSON'), 'error');
      return;
    } finally {
      file.value = '';
    }
    btn.disabled = true;
    try {
      const res = await request('POST', '/api/v1/bot/rules/import', doc);
      const dropped = (res.warnings || []).length;
      toast(t('rule.imported', { n: (res.items || []).length }) + (dropped ? ` ${t('rule.importTeams', { n: dropped })}` : ''), dropped ? 'info' : 'success');
      done();
    } catch (err) {
      toast(err.field ? `${err.field}: ${err.message}` : err.message, 'error');
    } finally {
      btn.disabled = false;
    }
  });
  return [exportLink, btn, file];
}

// explain renders a dry run's answer.
function explain(res, teams) {
  const out = [];
  if (res.rule) {
    out.push(h('p', { class: 'try-rule', 'data-testid': 'try-rule', 'data-rule-id': res.rule.id },
      t('try.rule', { name: res.rule.name || t('rule.unnamed'), trigger: t(`try.trigger.${res.rule.trigger}`), term: res.rule.term })));
    if (res.rule.matched) out.push(h('p', { class: 'muted', text: t('try.matched', { text: res.rule.matched }) }));
  } else {
    out.push(h('p', { class: 'try-rule', 'data-testid': 'try-rule', text: t('try.noRule') }));
  }
  const facts = [res.language ? t('try.lang', { lang: langName(res.language) }) : t('try.langUnsure'), res.open ? t('try.open') : t('try.closed')];
  if (res.asksForPerson) facts.push(t('try.person'));
  out.push(h('ul', { class: 'try-facts' }, facts.map((f) => h('li', { text: f }))));
  const steps = (res.actions || []).filter((a) => a.type !== 'matched');
  out.push(h('p', { class: 'try-does', text: t('try.does') }));
  if (!steps.length) out.push(h('p', { class: 'muted', text: t('try.nothing') }));
  out.push(h('ol', { class: 'try-actions', 'data-testid': 'try-actions' }, steps.map((a) => {
    if (a.type === 'reply') {
      return h('li', { 'data-type': 'reply' }, h('span', { class: 'muted', text: t('try.reply') }),
        h('div', { class: 'bot-bubble', 'data-testid': 'try-reply', text: a.text || '' }),
        a.buttons && a.buttons.length ? h('div', { class: 'chips' }, a.buttons.map((b) => h('span', { class: 'chip chip-button', text: b }))) : null);
    }
    if (a.type === 'handoff') {
      const team = teams.find((tm) => tm.id === a.teamId);
      const target = team ? team.name : t('try.queue');
      const reason = a.reason ? ` (${t(`try.reason.${a.reason}`)})` : '';
      return h('li', { 'data-type': 'handoff', text: t(a.outOfHours ? 'try.handoffOut' : 'try.handoff', { target }) + reason });
    }
    if (a.type === 'miss') return h('li', { 'data-type': 'miss', text: t('try.miss') });
    if (a.type === 'choice') return h('li', { 'data-type': 'choice', text: t('try.choice', { n: a.choice, text: a.text || '' }) });
    return h('li', { 'data-type': a.type, text: a.type });
  })));
  return out;
}

function tryBox(teams) {
  const text = field({ label: t('try.text'), testid: 'try-text', autocomplete: 'off', placeholder: t('try.placeholder') });
  const first = field({ label: t('try.first'), kind: 'checkbox', testid: 'try-first' });
  const result = h('div', { class: 'try-result', 'aria-live': 'polite', 'data-testid': 'bot-dry-run-result' });
  const btn = h('button', { type: 'submit', class: 'primary', 'data-testid': 'try-submit', text: t('try.submit') });
  const form = h('form', { class: 'try-form', novalidate: true }, text.wrap, h('div', { class: 'try-go' }, btn), first.wrap);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    text.setError('');
    if (!text.value.trim()) {
      text.setError(t('ui.required'));
      text.input.focus();
      return;
    }
    btn.disabled = true;
    clear(result);
    result.append(h('p', { class: 'muted', text: t('try.busy') }));
    try {
      const res = await adminApi.dryRun({ text: text.value, first: first.value });
      clear(result);
      result.append(...explain(res, teams));
    } catch (err) {
      clear(result);
      text.setError(err.message);
    } finally {
      btn.disabled = false;
    }
  });
  return h('section', { class: 'try-box', 'aria-labelledby': 'try-title' },
    h('h2', { id: 'try-title', text: t('try.title') }), h('p', { class: 'field-hint', text: t('try.lead') }), form, result);
}

export async function render(container, ctx) {
  let rules;
  let teams;
  try {
    [rules, teams] = await Promise.all([adminApi.botRules(), adminApi.teams()]);
  } catch (err) {
    loadFailed(container, err, ctx.refresh);
    return;
  }
  if (!ctx.stillHere()) return;
  const refresh = () => render(container, ctx);
  const teamList = (teams && teams.items) || [];
  const items = ((rules && rules.items) || []).slice()
    .sort((a, b) => (b.priority - a.priority) || String(a.createdAt).localeCompare(String(b.createdAt)));
  clear(container);
  const list = h('div', { class: 'bot-rules' }, toolbar(h('button', {
    type: 'button', class: 'primary', 'data-testid': 'rule-add', text: t('bot.add'), onclick: () => ruleDialog(null, teamList, refresh),
  }), ...transfer(refresh)));
  if (!items.length) {
    list.append(h('p', { class: 'section-note', 'data-testid': 'rule-empty', text: t('rule.empty') }));
  } else {
    list.append(tableOf({
      caption: t('admin.bot'), testid: 'rule-table',
      columns: [t('rule.col.priority'), t('rule.col.name'), t('rule.col.triggers'), t('rule.col.language'), t('rule.col.does'), t('rule.col.state'),
        { label: t('ui.actions'), cls: 'actions-col' }],
      rows: items.map((r) => {
        const name = r.name || t('rule.unnamed');
        return h('tr', { 'data-testid': 'rule-row', 'data-id': r.id, class: r.enabled ? '' : 'row-off' },
          h('td', { class: 'num', text: String(r.priority) }),
          h('th', { scope: 'row', class: 'name-cell', text: name }),
          h('td', null, triggers(r)),
          h('td', { text: langName(r.language) }),
          h('td', { text: does(r) }),
          h('td', null, r.enabled ? badge(t('rule.on'), 'on') : badge(t('rule.off'), 'off')),
          h('td', { class: 'row-actions' },
            h('button', { type: 'button', 'data-testid': 'rule-edit', 'aria-label': t('bot.editLabel', { name }), text: t('ui.edit'), onclick: () => ruleDialog(r, teamList, refresh) }),
            h('button', { type: 'button', class: 'danger', 'data-testid': 'rule-delete', 'aria-label': t('bot.deleteLabel', { name }), text: t('ui.delete'), onclick: () => remove(r, refresh) })));
      }),
    }));
  }
  container.append(h('div', { class: 'bot-layout' }, tryBox(teamList), list));
}
