// Reports (#/reports, admins): a date range, the workspace's key numbers,
// charts (closed per agent, CSAT scores, conversations per channel,
// handovers) and the agents table, with CSV downloads of both reports.

import { extend, t, lang } from './i18n.js';
import { h, clear } from './dom.js';
import { adminApi } from './api.js';
import { barChart, columnChart } from './admin/charts.js';
import { loading, loadFailed, tableOf, nextId } from './admin/ui.js';

extend({
  en: {
    'rep.title': 'Reports',
    'rep.lead': 'How your team and your bot did over a period. Times are medians: half of the conversations were faster.',
    'rep.range': 'Period',
    'rep.from': 'From',
    'rep.to': 'To (included)',
    'rep.apply': 'Show',
    'rep.last7': 'Last 7 days',
    'rep.last30': 'Last 30 days',
    'rep.badRange': 'The start date must be on or before the end date.',
    'rep.showing': 'From {from} to {to}',
    'rep.download': 'Download for a spreadsheet:',
    'rep.csvAgents': 'Agents (CSV)',
    'rep.csvWorkspace': 'Summary (CSV)',
    'rep.summary': 'Summary',
    'rep.k.conversations': 'New conversations',
    'rep.k.closed': 'Closed',
    'rep.k.containment': 'Solved by the bot alone',
    'rep.k.handoffs': 'Handed to a person',
    'rep.k.spam': 'Spam',
    'rep.k.spamAuto': '{n} caught automatically',
    'rep.k.csat': 'Guest satisfaction',
    'rep.k.csatOf': '{n} ratings',
    'rep.k.csatOf1': '1 rating',
    'rep.k.closedByBot': '{n} closed by the bot',
    'rep.none': '—',
    'rep.ch.closed': 'Conversations closed per agent',
    'rep.ch.csat': 'Ratings given by guests (1 to 5 stars)',
    'rep.ch.channels': 'New conversations per channel',
    'rep.ch.handoffs': 'Why the bot handed over',
    'rep.reason.requested': 'Guest asked for a person',
    'rep.reason.unmatched': 'Bot did not understand',
    'rep.reason.rule': 'A rule hands over',
    'rep.reason.unknown': 'Other',
    'rep.stars': '{n} ★',
    'rep.agents': 'Agents',
    'rep.col.agent': 'Agent',
    'rep.col.handled': 'Handled',
    'rep.col.closed': 'Closed',
    'rep.col.firstResponse': 'Median first response',
    'rep.col.handle': 'Median handle time',
    'rep.col.csat': 'CSAT average',
    'rep.col.csatCount': 'Ratings',
    'rep.noAgents': 'No agents.',
    'rep.deleted': 'Removed channel',
    'rep.dur.s': '{s} s',
    'rep.dur.m': '{m} min {s} s',
    'rep.dur.h': '{h} h {m} min',
    'rep.dur.d': '{d} d {h} h',
  },
  fr: {
    'rep.title': 'Rapports',
    'rep.lead': 'Le travail de votre équipe et de votre robot sur une période. Les durées sont des médianes : la moitié des conversations ont été plus rapides.',
    'rep.range': 'Période',
    'rep.from': 'Du',
    'rep.to': 'Au (inclus)',
    'rep.apply': 'Afficher',
    'rep.last7': '7 derniers jours',
    'rep.last30': '30 derniers jours',
    'rep.badRange': 'La date de début doit précéder la date de fin ou lui être égale.',
    'rep.showing': 'Du {from} au {to}',
    'rep.download': 'Télécharger pour un tableur :',
    'rep.csvAgents': 'Agents (CSV)',
    'rep.csvWorkspace': 'Synthèse (CSV)',
    'rep.summary': 'Synthèse',
    'rep.k.conversations': 'Nouvelles conversations',
    'rep.k.closed': 'Fermées',
    'rep.k.containment': 'Résolues par le robot seul',
    'rep.k.handoffs': 'Confiées à une personne',
    'rep.k.spam': 'Spam',
    'rep.k.spamAuto': '{n} détectés automatiquement',
    'rep.k.csat': 'Satisfaction des clients',
    'rep.k.csatOf': '{n} notes',
    'rep.k.csatOf1': '1 note',
    'rep.k.closedByBot': '{n} fermées par le robot',
    'rep.none': '—',
    'rep.ch.closed': 'Conversations fermées par agent',
    'rep.ch.csat': 'Notes données par les clients (1 à 5 étoiles)',
    'rep.ch.channels': 'Nouvelles conversations par canal',
    'rep.ch.handoffs': 'Pourquoi le robot a passé la main',
    'rep.reason.requested': 'Le client a demandé une personne',
    'rep.reason.unmatched': 'Le robot n’a pas compris',
    'rep.reason.rule': 'Une règle passe la main',
    'rep.reason.unknown': 'Autre',
    'rep.stars': '{n} ★',
    'rep.agents': 'Agents',
    'rep.col.agent': 'Agent',
    'rep.col.handled': 'Traitées',
    'rep.col.closed': 'Fermées',
    'rep.col.firstResponse': 'Première réponse (médiane)',
    'rep.col.handle': 'Durée de traitement (médiane)',
    'rep.col.csat': 'Satisfaction moyenne',
    'rep.col.csatCount': 'Notes',
    'rep.noAgents': 'Aucun agent.',
    'rep.deleted': 'Canal supprimé',
    'rep.dur.s': '{s} s',
    'rep.dur.m': '{m} min {s} s',
    'rep.dur.h': '{h} h {m} min',
    'rep.dur.d': '{d} j {h} h',
  },
});

const nf = new Intl.NumberFormat(lang);
const avgFmt = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 2 });
const pctFmt = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 });
const dayFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });

// duration renders seconds as "45 s", "3 min 05 s", "2 h 10 min".
export function duration(sec) {
  if (sec === null || sec === undefined) return t('rep.none');
  const s = Math.round(sec);
  const two = (n) => String(n).padStart(2, '0');
  if (s < 60) return t('rep.dur.s', { s });
  if (s < 3600) return t('rep.dur.m', { m: Math.floor(s / 60), s: two(s % 60) });
  if (s < 86400) return t('rep.dur.h', { h: Math.floor(s / 3600), m: two(Math.floor((s % 3600) / 60)) });
  return t('rep.dur.d', { d: Math.floor(s / 86400), h: Math.floor((s % 86400) / 3600) });
}

const isoDay = (d) => d.toISOString().slice(0, 10);
const addDays = (day, n) => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400000));
const showDay = (day) => dayFmt.format(new Date(`${day}T00:00:00Z`));

let channelNames = null; // id → name, loaded once per page

async function channelsById() {
  if (channelNames) return channelNames;
  try {
    const res = await adminApi.channels();
    channelNames = new Map(((res && res.items) || []).map((c) => [c.id, c.name]));
  } catch {
    channelNames = new Map();
  }
  return channelNames;
}

function kpi(label, value, sub, testid) {
  return h('div', { class: 'kpi', 'data-testid': testid },
    h('p', { class: 'kpi-label', text: label }),
    h('p', { class: 'kpi-value', text: value }),
    sub ? h('p', { class: 'kpi-sub', text: sub }) : null);
}

function summary(ws) {
  const csat = ws.csat || {};
  return h('section', { class: 'report-block', 'aria-labelledby': 'rep-summary' },
    h('h2', { id: 'rep-summary', text: t('rep.summary') }),
    h('div', { class: 'kpis', 'data-testid': 'report-summary' },
      kpi(t('rep.k.conversations'), nf.format(ws.conversations || 0), null, 'kpi-conversations'),
      kpi(t('rep.k.closed'), nf.format(ws.closed || 0), t('rep.k.closedByBot', { n: nf.format(ws.closedByBot || 0) }), 'kpi-closed'),
      kpi(t('rep.k.containment'), ws.botContainmentRate == null ? t('rep.none') : pctFmt.format(ws.botContainmentRate), null, 'kpi-containment'),
      kpi(t('rep.k.handoffs'), nf.format(ws.handoffs || 0), null, 'kpi-handoffs'),
      kpi(t('rep.k.spam'), nf.format(ws.spam || 0), t('rep.k.spamAuto', { n: nf.format(ws.spamAuto || 0) }), 'kpi-spam'),
      kpi(t('rep.k.csat'), csat.average == null ? t('rep.none') : `${avgFmt.format(csat.average)} / 5`,
        csat.count === 1 ? t('rep.k.csatOf1') : t('rep.k.csatOf', { n: nf.format(csat.count || 0) }), 'kpi-csat')));
}

function charts(agents, ws, names) {
  const closed = agents.filter((a) => a.closed > 0).sort((a, b) => b.closed - a.closed)
    .map((a) => ({ label: a.name || a.email || a.agentId, value: a.closed }));
  const dist = (ws.csat && ws.csat.distribution) || [0, 0, 0, 0, 0];
  const stars = dist.map((n, i) => ({ label: t('rep.stars', { n: i + 1 }), value: n }));
  const byChannel = Object.entries(ws.conversationsByChannel || {}).sort((a, b) => b[1] - a[1])
    .map(([id, n]) => ({ label: names.get(id) || t('rep.deleted'), value: n }));
  const reasons = Object.entries(ws.handoffsByReason || {}).sort((a, b) => b[1] - a[1])
    .map(([r, n]) => ({ label: t(`rep.reason.${r}`) === `rep.reason.${r}` ? r : t(`rep.reason.${r}`), value: n }));
  return h('div', { class: 'charts' },
    barChart({ title: t('rep.ch.closed'), items: closed, testid: 'chart-closed' }),
    columnChart({ title: t('rep.ch.csat'), items: stars, testid: 'chart-csat' }),
    barChart({ title: t('rep.ch.channels'), items: byChannel, testid: 'chart-channels', tone: 'green' }),
    barChart({ title: t('rep.ch.handoffs'), items: reasons, testid: 'chart-handoffs', tone: 'violet' }));
}

function agentTable(agents) {
  const num = (v) => h('td', { class: 'num', text: nf.format(v || 0) });
  return h('section', { class: 'report-block', 'aria-labelledby': 'rep-agents' },
    h('h2', { id: 'rep-agents', text: t('rep.agents') }),
    agents.length ? tableOf({
      caption: t('rep.agents'), testid: 'report-table',
      columns: [t('rep.col.agent'), { label: t('rep.col.handled'), cls: 'num' }, { label: t('rep.col.closed'), cls: 'num' },
        { label: t('rep.col.firstResponse'), cls: 'num' }, { label: t('rep.col.handle'), cls: 'num' },
        { label: t('rep.col.csat'), cls: 'num' }, { label: t('rep.col.csatCount'), cls: 'num' }],
      rows: agents.map((a) => h('tr', { 'data-testid': 'report-row', 'data-agent-id': a.agentId },
        h('th', { scope: 'row', class: 'name-cell' }, a.name || a.agentId, a.email ? h('span', { class: 'muted block', text: a.email }) : null),
        num(a.handled), num(a.closed),
        h('td', { class: 'num', 'data-testid': 'report-first-response', text: duration(a.medianFirstResponseSeconds) }),
        h('td', { class: 'num', 'data-testid': 'report-handle', text: duration(a.medianHandleSeconds) }),
        h('td', { class: 'num', 'data-testid': 'report-csat', text: a.csat && a.csat.average != null ? avgFmt.format(a.csat.average) : t('rep.none') }),
        h('td', { class: 'num', 'data-testid': 'report-csat-count', text: nf.format((a.csat && a.csat.count) || 0) }))),
    }) : h('p', { class: 'section-note', text: t('rep.noAgents') }));
}

// rangeForm builds the period picker; onApply({from, to}) with YYYY-MM-DD.
function rangeForm(onApply) {
  const fromId = nextId('from');
  const toId = nextId('to');
  const from = h('input', { id: fromId, type: 'date', required: true, 'data-testid': 'report-from' });
  const to = h('input', { id: toId, type: 'date', required: true, 'data-testid': 'report-to' });
  const err = h('p', { class: 'field-error', role: 'alert', hidden: true, id: nextId('rangeerr') });
  from.setAttribute('aria-describedby', err.id);
  to.setAttribute('aria-describedby', err.id);
  const csvAgents = h('a', { class: 'button-link', 'data-testid': 'report-csv-agents', download: '', text: t('rep.csvAgents') });
  const csvWs = h('a', { class: 'button-link', 'data-testid': 'report-csv-workspace', download: '', text: t('rep.csvWorkspace') });
  let today = '';
  const apply = (range) => {
    err.hidden = true;
    if (range.from > range.to) {
      err.textContent = t('rep.badRange');
      err.hidden = false;
      from.focus();
      return;
    }
    onApply(range);
  };
  const preset = (days) => h('button', {
    type: 'button', class: 'small', text: t(days === 7 ? 'rep.last7' : 'rep.last30'),
    onclick: () => { if (today) apply({ from: addDays(today, 1 - days), to: today }); },
  });
  const form = h('form', { class: 'range-form', novalidate: true, 'data-testid': 'report-range' },
    h('fieldset', null, h('legend', { text: t('rep.range') }),
      h('div', { class: 'range-row' },
        h('div', { class: 'field' }, h('label', { for: fromId, text: t('rep.from') }), from),
        h('div', { class: 'field' }, h('label', { for: toId, text: t('rep.to') }), to),
        h('button', { type: 'submit', class: 'primary', 'data-testid': 'report-apply', text: t('rep.apply') }),
        preset(7), preset(30)),
      err),
    h('p', { class: 'downloads' }, h('span', { class: 'muted', text: t('rep.download') }), ' ', csvAgents, ' ', csvWs));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!from.value || !to.value) {
      (from.value ? to : from).focus();
      return;
    }
    apply({ from: from.value, to: to.value });
  });
  return {
    form,
    // set shows the range the server used and points the downloads at it.
    set(range, serverToday) {
      if (serverToday) today = serverToday;
      from.value = range.from;
      to.value = range.to;
      csvAgents.href = adminApi.csvUrl('agents', range);
      csvWs.href = adminApi.csvUrl('workspace', range);
    },
  };
}

export async function renderReports(root, ctx) {
  document.title = `${t('rep.title')} · ${t('app.title')}`;
  clear(root);
  const status = h('p', { class: 'range-shown', role: 'status', 'data-testid': 'report-range-shown' });
  const body = h('div', { class: 'report-body', 'data-testid': 'report-body' });
  let range = null;
  const load = async (wanted) => {
    loading(body);
    try {
      const [agents, ws, names] = await Promise.all([adminApi.agentReport(wanted), adminApi.workspaceReport(wanted), channelsById()]);
      if (!ctx.current()) return;
      // The answer's bounds are the range used ([from, to), to exclusive).
      const fromDay = String(agents.from).slice(0, 10);
      const toDay = isoDay(new Date(Date.parse(agents.to) - 1));
      range = { from: fromDay, to: toDay };
      picker.set(range, wanted ? '' : toDay);
      status.textContent = t('rep.showing', { from: showDay(fromDay), to: showDay(toDay) });
      clear(body);
      const items = (agents && agents.items) || [];
      body.append(summary(ws || {}), charts(items, ws || {}, names), agentTable(items));
    } catch (err) {
      if (ctx.current()) loadFailed(body, err, () => load(wanted || range));
    }
  };
  const picker = rangeForm((r) => load(r));
  root.append(h('div', { class: 'reports', 'data-testid': 'reports' },
    h('h1', { id: 'reports-title', tabindex: '-1', 'data-testid': 'reports-title', text: t('rep.title') }),
    h('p', { class: 'admin-lead', text: t('rep.lead') }),
    picker.form, status, body));
  await load(null);
}
