// Live feed of the agent app: one WebSocket to /ws/agent, reconnected with
// exponential backoff (1 s, 2 s, 4 s … 30 s, with jitter). After a
// reconnection the caller reloads what it shows, since frames sent while the
// socket was down are lost.

import { getToken } from './api.js';

const MAX_DELAY = 30000;

// Feature modules listen to the feed without going through main.js:
// 'start' (a session's feed starts: state.me and the directory are set),
// 'stop' (signed out), 'reconnect' (frames may have been missed: reload),
// 'incoming' (every frame, before the app's own handler applies it) and
// 'frame' (every frame, after).
const hooks = {
  start: new Set(), stop: new Set(), reconnect: new Set(), incoming: new Set(), frame: new Set(),
};

export function onFeed(kind, fn) {
  hooks[kind].add(fn);
  return () => hooks[kind].delete(fn);
}

function fire(kind, arg) {
  for (const fn of hooks[kind]) {
    try {
      fn(arg);
    } catch (err) {
      console.error(err);
    }
  }
}

export class LiveFeed {
  // handlers: onEvent(frame), onReconnect(), onStatus('connecting'|'online'|'offline'),
  // onAuthLost() when the server refuses the session.
  constructor(handlers) {
    this.h = handlers;
    this.ws = null;
    this.attempt = 0;
    this.timer = 0;
    this.stopped = true;
    this.opened = false; // has any connection opened yet
    this.onOnline = () => this.reconnectNow();
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    fire('start');
    this.connect();
  }

  stop() {
    const wasStopped = this.stopped;
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.timer);
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.close(1000, 'bye');
    }
    this.opened = false;
    if (!wasStopped) fire('stop');
  }

  reconnectNow() {
    if (this.stopped || (this.ws && this.ws.readyState <= WebSocket.OPEN)) return;
    clearTimeout(this.timer);
    this.attempt = 0;
    this.connect();
  }

  url() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const token = getToken();
    const qs = token ? `?token=${encodeURIComponent(token)}` : '';
    return `${proto}//${location.host}/ws/agent${qs}`;
  }

  connect() {
    this.status('connecting');
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.schedule();
      return;
    }
    this.ws = ws;
    ws.addEventListener('open', () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      // The server subscribes us just after the handshake: its pong says
      // the subscription is live. Only then are we online.
      ws.send('{"type":"ping"}');
    });
    let synced = false;
    ws.addEventListener('message', (ev) => {
      if (this.ws !== ws) return;
      let frame;
      try {
        frame = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (!frame || typeof frame !== 'object') return;
      if (frame.type === 'pong') {
        if (synced) return;
        synced = true;
        this.status('online');
        // Anything that changed before the subscription (while the page
        // loaded, or while disconnected) is fetched again now.
        const again = this.opened;
        this.opened = true;
        if (this.h.onReconnect) this.h.onReconnect();
        if (again) fire('reconnect');
        return;
      }
      fire('incoming', frame);
      if (this.h.onEvent) this.h.onEvent(frame);
      fire('frame', frame);
    });
    ws.addEventListener('close', (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped) return;
      this.status('offline');
      // 4401/4403 (application codes) or 1008 (policy): the session is gone.
      if ((ev.code === 4401 || ev.code === 4403 || ev.code === 1008) && this.h.onAuthLost) {
        this.h.onAuthLost();
      }
      this.schedule();
    });
  }

  schedule() {
    if (this.stopped) return;
    const base = Math.min(MAX_DELAY, 1000 * 2 ** this.attempt);
    this.attempt++;
    const delay = base * (0.8 + Math.random() * 0.4);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  status(s) {
    if (this.h.onStatus) this.h.onStatus(s);
  }
}
