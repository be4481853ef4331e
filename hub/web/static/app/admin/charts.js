// Small SVG charts drawn by hand for the reports: horizontal bars (a value
// per name) and columns (a value per score). Colours come from admin.css;
// each chart is a figure whose SVG has a text summary for screen readers.

import { extend, t, lang } from '../i18n.js';
import { h } from '../dom.js';
import { svgEl, nextId } from './ui.js';

extend({
  en: { 'chart.noData': 'Nothing in this period yet.' },
  fr: { 'chart.noData': 'Rien sur cette période pour l’instant.' },
});

const nf = new Intl.NumberFormat(lang);

function cut(s, n) {
  const str = String(s);
  return str.length > n ? `${str.slice(0, n - 1)}…` : str;
}

function figure(title, testid, svg, items, display) {
  const capId = nextId('chart');
  const summary = items.map((it) => `${it.label}: ${display(it)}`).join(', ');
  if (svg) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `${title}. ${summary}`);
  }
  return h('figure', { class: 'chart', 'data-testid': testid, 'aria-labelledby': capId },
    h('figcaption', { id: capId, text: title }),
    svg || h('p', { class: 'chart-empty', text: t('chart.noData') }));
}

// barChart draws one horizontal bar per item ({label, value, display?}).
export function barChart({ title, items, testid, tone = 'accent' }) {
  const display = (it) => it.display ?? nf.format(it.value);
  if (!items.length || items.every((it) => !it.value)) return figure(title, testid, null, items, display);
  // Sized for a card about 360px wide, so the text stays at its CSS size.
  const W = 360;
  const row = 28;
  const labelW = 112;
  const valueW = 40;
  const top = 4;
  const H = top * 2 + row * items.length;
  const max = Math.max(...items.map((it) => it.value));
  const barW = W - labelW - valueW - 6;
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: `chart-svg tone-${tone}`, preserveAspectRatio: 'xMinYMin meet' });
  svg.appendChild(svgEl('line', { x1: labelW, x2: labelW, y1: top - 2, y2: H - top + 2, class: 'axis' }));
  items.forEach((it, i) => {
    const y = top + i * row;
    const w = Math.max(it.value > 0 ? 2 : 0, (barW * it.value) / max);
    svg.appendChild(svgEl('g', { class: 'bar-row' },
      svgEl('title', { text: `${it.label}: ${display(it)}` }),
      svgEl('text', { x: labelW - 8, y: y + row / 2, class: 'label', 'text-anchor': 'end', 'dominant-baseline': 'middle', text: cut(it.label, 16) }),
      svgEl('rect', { x: labelW, y: y + 5, width: w, height: row - 10, rx: 3, class: 'bar' }),
      svgEl('text', { x: labelW + w + 6, y: y + row / 2, class: 'value', 'dominant-baseline': 'middle', text: display(it) })));
  });
  return figure(title, testid, svg, items, display);
}

// columnChart draws one column per item, labels below (e.g. scores 1–5).
export function columnChart({ title, items, testid, tone = 'warm' }) {
  const display = (it) => it.display ?? nf.format(it.value);
  if (!items.length || items.every((it) => !it.value)) return figure(title, testid, null, items, display);
  const W = 360;
  const H = 170;
  const bottom = 26;
  const top = 18;
  const left = 10;
  const slot = (W - left * 2) / items.length;
  const max = Math.max(...items.map((it) => it.value));
  const plotH = H - bottom - top;
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: `chart-svg tone-${tone}`, preserveAspectRatio: 'xMinYMin meet' });
  svg.appendChild(svgEl('line', { x1: left, x2: W - left, y1: H - bottom, y2: H - bottom, class: 'axis' }));
  items.forEach((it, i) => {
    const hgt = it.value > 0 ? Math.max(2, (plotH * it.value) / max) : 0;
    const x = left + i * slot + slot * 0.2;
    const w = slot * 0.6;
    const y = H - bottom - hgt;
    svg.appendChild(svgEl('g', { class: 'bar-row' },
      svgEl('title', { text: `${it.label}: ${display(it)}` }),
      svgEl('rect', { x, y, width: w, height: hgt, rx: 3, class: 'bar' }),
      svgEl('text', { x: x + w / 2, y: y - 5, class: 'value', 'text-anchor': 'middle', text: display(it) }),
      svgEl('text', { x: x + w / 2, y: H - bottom + 17, class: 'label', 'text-anchor': 'middle', text: cut(it.label, 10) })));
  });
  return figure(title, testid, svg, items, display);
}
