// Live counts on the status tabs, from GET /conversations/counts. They are
// refreshed when the feed starts or reconnects and, debounced, whenever a
// conversation changes status (live or by the agent's own action).

import { rest } from './rest.js';
import { h } from './dom.js';
import { extend, t, lang } from './i18n.js';
import { onConversationChange } from './state.js';
import { onFeed } from './ws.js';

extend({
  en: { 'count.label': '{n} conversations' },
  fr: { 'count.label': '{n} conversations' },
});

const DEBOUNCE_MS = 400;
const fmt = new Intl.NumberFormat(lang);

let active = false;
let timer = 0;
let seq = 0;
const badges = new Map(); // tab → <span>

export function initCounts() {
  for (const b of document.querySelectorAll('[data-tab]')) {
    const tab = b.dataset.tab;
    const badge = h('span', { class: 'tab-count', 'data-testid': `count-${tab}`, hidden: true });
    b.appendChild(badge);
    badges.set(tab, badge);
  }
  onFeed('start', () => {
    active = true;
    refreshCounts(0);
  });
  onFeed('reconnect', () => refreshCounts(0));
  onFeed('stop', () => {
    active = false;
    clearTimeout(timer);
    seq++;
    for (const badge of badges.values()) badge.hidden = true;
  });
  onConversationChange((conv, previous) => {
    if (!previous || previous.status !== conv.status) refreshCounts();
  });
}

// refreshCounts reloads the counts after delay ms (calls in between merge).
export function refreshCounts(delay = DEBOUNCE_MS) {
  if (!active) return;
  clearTimeout(timer);
  timer = setTimeout(load, delay);
}

async function load() {
  const mine = ++seq;
  try {
    const counts = await rest.counts();
    if (mine !== seq || !active) return;
    for (const [tab, badge] of badges) {
      const n = Number(counts && counts[tab]) || 0;
      badge.textContent = fmt.format(n);
      badge.title = t('count.label', { n: fmt.format(n) });
      badge.dataset.count = String(n);
      // Zero says nothing a glance needs: only counts that matter show.
      badge.hidden = n === 0;
    }
  } catch {
    // Counts are a hint: the next change tries again.
  }
}
