// Server time and live durations.
//
// Timers (how long a customer has waited, how long an offer has left) are
// computed against the server's clock, not the browser's: the two may
// disagree by minutes. serverNow() corrects the browser's clock with the
// latest "fresh" server timestamp seen, one stamped by the server at the
// moment it announced it (a conversation just created, an outbound message
// just stored, a status just changed, an offer just made).

import { extend, t } from './i18n.js';

extend({
  en: {
    'dur.seconds': '{s} s',
    'dur.minutes': '{m} min',
    'dur.hours': '{h} h {m} min',
    'dur.days': '{d} d {h} h',
  },
  fr: {
    'dur.seconds': '{s} s',
    'dur.minutes': '{m} min',
    'dur.hours': '{h} h {m} min',
    'dur.days': '{d} j {h} h',
  },
});

let skew = 0; // server time minus browser time, in ms

// noteServerTime records that the server's clock read iso just now.
export function noteServerTime(iso) {
  const ms = iso ? Date.parse(iso) : NaN;
  if (!Number.isNaN(ms)) skew = ms - Date.now();
}

// serverNow is the browser's estimate of the server's current time (ms).
export function serverNow() {
  return Date.now() + skew;
}

// since returns the ms elapsed on the server's clock since iso (≥ 0), or
// null when iso is not a time.
export function since(iso) {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(ms) ? null : Math.max(0, serverNow() - ms);
}

// until returns the ms left on the server's clock until iso (≥ 0), or null.
export function until(iso) {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(ms) ? null : Math.max(0, ms - serverNow());
}

// duration renders a waiting time for people: "40 s", "12 min", "2 h 5 min".
export function duration(ms) {
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 60) return t('dur.seconds', { s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('dur.minutes', { m });
  const h = Math.floor(m / 60);
  if (h < 24) return t('dur.hours', { h, m: m % 60 });
  return t('dur.days', { d: Math.floor(h / 24), h: h % 24 });
}

// stopwatch renders ms as m:ss, or h:mm:ss from an hour on.
export function stopwatch(ms) {
  const s = Math.floor(Math.max(0, ms) / 1000);
  const p = (n) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}:${p(m)}:${p(s % 60)}` : `${m}:${p(s % 60)}`;
}

// One shared one-second tick drives every live timer on the page.
const tickers = new Set();
let tickTimer = 0;

// onTick calls fn every second until the returned function is called.
export function onTick(fn) {
  tickers.add(fn);
  if (!tickTimer) {
    tickTimer = setInterval(() => {
      for (const f of [...tickers]) {
        try {
          f();
        } catch (err) {
          console.error(err);
        }
      }
    }, 1000);
  }
  return () => {
    tickers.delete(fn);
    if (!tickers.size) {
      clearInterval(tickTimer);
      tickTimer = 0;
    }
  };
}
