// Alerts while the agent looks elsewhere: when a conversation joins the
// queue (or is offered to me) and this tab is not focused, a desktop
// notification and a short chime (made with the Web Audio API: no file).
// A toggle in the top bar turns alerts on and off (kept in localStorage);
// turning them on is the user gesture that asks for the permission and
// unlocks audio.

import { h } from './dom.js';
import { extend, t } from './i18n.js';
import { contactName, offerForMe, isMe } from './state.js';
import { onFeed } from './ws.js';
import { since } from './clock.js';
import { icon } from './icons.js';
import { openFromElsewhere } from './list.js';

extend({
  en: {
    'alerts.on': 'Alerts on',
    'alerts.off': 'Alerts off',
    'alerts.hint': 'Sound and desktop notification for new conversations while this tab is in the background',
    'alerts.denied': 'Desktop notifications are blocked by the browser; only the sound will play.',
    'alerts.newTitle': 'New conversation',
    'alerts.offerTitle': 'Conversation offered to you',
    'alerts.backTitle': 'Back from hold',
  },
  fr: {
    'alerts.on': 'Alertes activées',
    'alerts.off': 'Alertes coupées',
    'alerts.hint': 'Son et notification pour les nouvelles conversations quand cet onglet est en arrière-plan',
    'alerts.denied': 'Le navigateur bloque les notifications : seul le son sera joué.',
    'alerts.newTitle': 'Nouvelle conversation',
    'alerts.offerTitle': 'Conversation proposée',
    'alerts.backTitle': 'Retour d’attente',
  },
});

const KEY = 'hub.alerts';
const FRESH_MS = 2 * 60 * 1000; // a queue entry older than this is not news

let enabled = false;
let button = null;
let audio = null;
const alerted = new Set();

export function initNotify(slot) {
  try {
    enabled = localStorage.getItem(KEY) === 'on';
  } catch {
    enabled = false;
  }
  button = h('button', {
    type: 'button', class: 'alerts-toggle', 'data-testid': 'alerts-toggle', title: t('alerts.hint'),
    onclick: toggle,
  });
  slot.appendChild(button);
  render();
  // Browsers start audio only after a gesture: the first one unlocks it.
  const unlock = () => {
    if (enabled) ensureAudio();
  };
  window.addEventListener('pointerdown', unlock, { once: true, capture: true });
  window.addEventListener('keydown', unlock, { once: true, capture: true });
  onFeed('frame', onFrame);
}

function render() {
  button.setAttribute('aria-pressed', String(enabled));
  button.replaceChildren(icon(enabled ? 'bell' : 'bellOff'),
    h('span', { class: 'label', text: t(enabled ? 'alerts.on' : 'alerts.off') }));
}

async function toggle() {
  enabled = !enabled;
  try {
    localStorage.setItem(KEY, enabled ? 'on' : 'off');
  } catch {
    // storage blocked: this page only
  }
  render();
  if (!enabled) return;
  ensureAudio();
  chime();
  if ('Notification' in window && Notification.permission === 'default') {
    try {
      await Notification.requestPermission();
    } catch {
      // old browsers: callback form only; the sound still works
    }
  }
  if ('Notification' in window && Notification.permission === 'denied') {
    button.title = `${t('alerts.hint')}. ${t('alerts.denied')}`;
  }
}

function ensureAudio() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return null;
  if (!audio) {
    try {
      audio = new Ctx();
    } catch {
      return null;
    }
  }
  if (audio.state === 'suspended') audio.resume().catch(() => {});
  return audio;
}

// chime plays two short soft tones (about 0.35 s).
function chime() {
  const ctx = ensureAudio();
  if (!ctx) return;
  const start = ctx.currentTime + 0.01;
  [[660, 0], [990, 0.14]].forEach(([freq, at]) => {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start + at);
    gain.gain.exponentialRampToValueAtTime(0.18, start + at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + at + 0.2);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start + at);
    osc.stop(start + at + 0.22);
  });
}

function away() {
  return document.hidden || !document.hasFocus();
}

function onFrame(f) {
  const conv = f.conversation;
  if (!enabled || !conv || !conv.id) return;
  let title = '';
  let key = '';
  const offer = offerForMe(conv);
  if (offer && offer.kind !== 'invite') {
    title = t('alerts.offerTitle');
    key = `offer|${conv.id}|${offer.at}`;
  } else if (f.type === 'hold.released' && isMe(conv.assigneeId)) {
    title = t('alerts.backTitle');
    key = `back|${conv.id}|${conv.version}`;
  } else if (conv.status === 'open' && !conv.assigneeId && conv.queuedAt
      && (since(conv.queuedAt) ?? Infinity) < FRESH_MS) {
    title = t('alerts.newTitle');
    key = `queued|${conv.id}|${conv.queuedAt}`;
  }
  if (!key || alerted.has(key)) return;
  alerted.add(key);
  if (!away()) return;
  chime();
  show(title, conv);
}

function show(title, conv) {
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  try {
    const n = new Notification(title, {
      body: `${contactName(conv)}${conv.lastMessageText ? ` — ${conv.lastMessageText}` : ''}`.slice(0, 180),
      tag: `hub-${conv.id}`,
    });
    n.onclick = () => {
      window.focus();
      openFromElsewhere(conv.id);
      n.close();
    };
  } catch {
    // Some browsers allow notifications from service workers only.
  }
}
