/*
 * Hub chat widget. One self-contained script, loaded on a customer's site by
 *   <script src="https://hub.example/widget.js" data-channel="<channelId>" async></script>
 * Optional attributes: data-title, data-welcome, data-color (#hex),
 * data-position="left", data-visitor-name, data-lang="en|fr" (default: the
 * browser's language), data-auto-open="false" (a new message then only
 * shows a badge and a preview instead of opening the panel).
 *
 * Everything renders inside a Shadow DOM so the host page's CSS cannot break
 * it, and the script touches nothing of the page but one <hub-chat> element
 * and window.HubWidget; text is always set with textContent. State (visitor
 * token, last seen message id, history, unsent messages) lives in
 * localStorage per channel, so the conversation survives page loads.
 *
 * The socket opens on page load, not only when the panel opens: it reports
 * the page the visitor is on ({"type":"page"} on connect, on every change of
 * address or title, and when the tab comes back to the front), so agents see
 * who is on the site and can write first. A message arriving while the panel
 * is closed opens it on wide screens (without taking the focus) and shows a
 * badge and a preview on phones.
 *
 * Messages go over the WebSocket when it is open, else over REST; each has a
 * random clientId so a retry never duplicates. After every (re)connect the
 * widget fetches what it missed with ?after=<last id>. This file is kept
 * ASCII-only.
 */
(function () {
  'use strict';
  if (window.HubWidget) return;

  var script = document.currentScript;
  if (!script || !script.getAttribute('data-channel')) {
    script = document.querySelector('script[data-channel][src*="widget.js"]') ||
      document.querySelector('script[data-channel]');
  }
  var channel = script && script.getAttribute('data-channel');
  if (!channel) {
    if (window.console) console.warn('[hub] widget.js: data-channel attribute missing');
    return;
  }
  var origin = new URL(script.src || location.href, location.href).origin;
  var base = origin + '/api/v1/widget/' + encodeURIComponent(channel);
  var wsURL = origin.replace(/^http/, 'ws') + '/ws/widget?channelId=' + encodeURIComponent(channel);
  var attr = function (n) { return script.getAttribute(n) || ''; };
  var visitorName = attr('data-visitor-name');
  var autoOpen = attr('data-auto-open') !== 'false';

  // ---- language ------------------------------------------------------------
  var STRINGS = {
    en: {
      title: 'Chat with us', welcome: 'Hi! How can we help you today?', placeholder: 'Write a message\u2026',
      send: 'Send', open: 'Open chat', openUnread: 'Open chat, {n} unread', close: 'Close chat',
      sending: 'Sending\u2026', sent: 'Sent', failed: 'Not sent', retry: 'Retry', offline: 'Reconnecting\u2026',
      you: 'You', agent: 'Agent', bot: 'Assistant', log: 'Conversation', input: 'Message',
      attachment: 'Attachment', rateGroup: 'How was this conversation?', rate: '{i} of {n} stars',
      preview: 'New message'
    },
    fr: {
      title: 'Discutons', welcome: 'Bonjour\u00a0! Comment pouvons-nous vous aider\u00a0?',
      placeholder: '\u00c9crivez un message\u2026', send: 'Envoyer', open: 'Ouvrir la discussion',
      openUnread: 'Ouvrir la discussion, {n} non lu(s)', close: 'Fermer la discussion',
      sending: 'Envoi\u2026', sent: 'Envoy\u00e9', failed: 'Non envoy\u00e9', retry: 'R\u00e9essayer',
      offline: 'Reconnexion\u2026', you: 'Vous', agent: 'Conseiller', bot: 'Assistant', log: 'Conversation',
      input: 'Message', attachment: 'Pi\u00e8ce jointe', rateGroup: 'Comment s\u2019est pass\u00e9e cette discussion\u00a0?',
      rate: '{i} sur {n} \u00e9toiles', preview: 'Nouveau message'
    }
  };
  // pickLang: the data-lang attribute, else the first supported browser language.
  function pickLang() {
    var wanted = [attr('data-lang')].concat(navigator.languages || [], navigator.language || []);
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i] || '').toLowerCase().split('-')[0];
      if (STRINGS[code]) return code;
    }
    return 'en';
  }
  var lang = pickLang();
  var S = STRINGS[lang];
  function fmt(s, vars) {
    return s.replace(/\{(\w+)\}/g, function (all, k) { return vars[k] != null ? String(vars[k]) : all; });
  }

  // ---- state -------------------------------------------------------------
  var KEY = 'hub-widget:' + channel;
  var MAX_KEPT = 200;
  var ACK_TIMEOUT = 8000;
  var RENEW_EVERY = 24 * 3600 * 1000; // a returning visitor's token is renewed daily
  var store = read();
  var messages = Array.isArray(store.messages) ? store.messages : [];
  var isOpen = false;
  var unread = 0;
  var ws = null;
  var attempt = 0;
  var reconnectTimer = 0;
  var pingTimer = 0;
  var lastPong = 0;
  var sessionPromise = null;
  var ackTimers = {};
  var waiters = {};
  var ui = null;
  var stick = true; // scroll the log to the bottom on the next render
  var reported = ''; // the page last reported on the current socket

  function read() {
    try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function save() {
    store.messages = messages.slice(-MAX_KEPT);
    try { localStorage.setItem(KEY, JSON.stringify(store)); } catch (e) { /* storage off: memory only */ }
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
  }

  // ---- REST ----------------------------------------------------------------
  function call(method, path, body, auth) {
    var headers = { Accept: 'application/json' };
    if (body) headers['Content-Type'] = 'application/json';
    if (auth) headers.Authorization = 'Bearer ' + store.token;
    return fetch(base + path, {
      method: method, headers: headers, credentials: 'omit', mode: 'cors',
      body: body ? JSON.stringify(body) : undefined
    }).then(function (res) {
      return res.text().then(function (txt) {
        var data = null;
        try { data = txt ? JSON.parse(txt) : null; } catch (e) { data = null; }
        if (!res.ok) {
          var err = new Error((data && data.error && data.error.message) || ('HTTP ' + res.status));
          err.status = res.status;
          err.code = data && data.error && data.error.code;
          throw err;
        }
        return data;
      });
    });
  }

  // session creates the visitor session, or renews it when it is old or
  // about to expire (force: renew now). The token is kept in localStorage.
  function session(force) {
    var exp = store.expiresAt ? Date.parse(store.expiresAt) : NaN;
    var fresh = store.token && exp - Date.now() > 60000 && Date.now() - (store.renewedAt || 0) < RENEW_EVERY;
    if (!force && fresh) return Promise.resolve(store.token);
    if (sessionPromise) return sessionPromise;
    var body = store.token ? { visitorToken: store.token } : {};
    sessionPromise = call('POST', '/session', body, false).catch(function (err) {
      if (store.token && err.status >= 400 && err.status < 500) return call('POST', '/session', {}, false);
      throw err;
    }).then(function (res) {
      if (store.visitorId && res.visitorId && res.visitorId !== store.visitorId) {
        messages = []; // another visitor: the old history is not theirs
        store.lastId = '';
      }
      store.token = res.visitorToken;
      store.visitorId = res.visitorId;
      store.expiresAt = res.expiresAt;
      store.renewedAt = Date.now();
      save();
      return store.token;
    });
    sessionPromise.then(done, done);
    function done() { sessionPromise = null; }
    return sessionPromise;
  }

  function authed(method, path, body) {
    return session(false).then(function () {
      return call(method, path, body, true);
    }).catch(function (err) {
      if (err.status !== 401) throw err;
      return session(true).then(function () { return call(method, path, body, true); });
    });
  }

  // sync fetches what was missed since the last seen message. A first
  // load of a whole history (a new device) does not count as unread.
  function sync() {
    var q = store.lastId ? '?after=' + encodeURIComponent(store.lastId) : '';
    var quiet = !store.lastId;
    return authed('GET', '/messages' + q).then(function (res) {
      ((res && res.items) || []).forEach(function (m) { receive(m, quiet); });
      changed();
      notify();
    });
  }

  // ---- messages --------------------------------------------------------------
  function labelOf(b) {
    if (typeof b === 'string') return b;
    return b && (b.label || b.text || b.title || b.value) ? String(b.label || b.text || b.title || b.value) : '';
  }
  function normalize(m) {
    var a = m.author || {};
    return {
      id: m.id, clientId: m.clientId || '', direction: m.direction,
      author: { type: a.type || (m.direction === 'in' ? 'contact' : 'agent'), name: a.name || '' },
      text: m.text || '', createdAt: m.createdAt || new Date().toISOString(), state: 'sent',
      attachments: (m.attachments || []).map(function (x) {
        return { url: x.url, name: x.name, contentType: x.contentType };
      }),
      buttons: (m.buttons || []).map(labelOf).filter(Boolean),
      kind: m.kind || ''
    };
  }
  function mine(e) { return e.author.type === 'contact'; }
  // time keeps sub-millisecond digits: a bot reply can share the visitor's millisecond.
  function time(e) {
    var n = Date.parse(e.createdAt);
    if (isNaN(n)) return 0;
    var f = /\.(\d{4,})/.exec(e.createdAt);
    return f ? n + Number('0.' + f[1].slice(3)) : n;
  }
  function order() {
    messages.sort(function (a, b) {
      return (a.id ? 0 : 1) - (b.id ? 0 : 1) || time(a) - time(b) || (mine(b) ? 1 : 0) - (mine(a) ? 1 : 0);
    });
    for (var i = messages.length - 1; i >= 0; i--) {
      if (messages[i].id) { store.lastId = messages[i].id; break; }
    }
  }
  function find(fn) { for (var i = 0; i < messages.length; i++) if (fn(messages[i])) return i; return -1; }

  // receive merges one server message into the history.
  function receive(m, quiet) {
    if (!m || !m.id || m.private) return;
    var e = normalize(m);
    var i = find(function (x) { return x.id === e.id; });
    if (i < 0 && e.clientId) i = find(function (x) { return !x.id && x.clientId === e.clientId; });
    if (i >= 0) {
      e.clientId = e.clientId || messages[i].clientId;
      messages[i] = e;
      settle(e.clientId, e);
    } else {
      messages.push(e);
      if (!quiet && !mine(e) && e.author.type !== 'system' && (!isOpen || document.hidden)) unread++;
    }
    order();
  }

  function ack(clientId, m) {
    if (!clientId) { if (m) receive(m); changed(); return; }
    clearTimeout(ackTimers[clientId]);
    delete ackTimers[clientId];
    var i = find(function (x) { return !x.id && x.clientId === clientId; });
    if (m && m.id) {
      var dup = find(function (x) { return x.id === m.id; });
      if (dup >= 0 && i >= 0) messages.splice(i, 1); // the echo came first
      else if (i >= 0) messages[i].id = m.id;
      m.clientId = clientId;
      receive(m);
    } else if (i >= 0) {
      messages[i].state = 'sent';
      settle(clientId, messages[i]);
    }
    changed();
  }

  function fail(entry, message) {
    clearTimeout(ackTimers[entry.clientId]);
    entry.state = 'failed';
    entry.error = message || '';
    settle(entry.clientId, entry);
    changed();
  }

  function settle(clientId, entry) {
    clearTimeout(ackTimers[clientId]);
    delete ackTimers[clientId];
    var w = clientId && waiters[clientId];
    if (!w) return;
    delete waiters[clientId];
    w({ id: entry.id || '', clientId: clientId, state: entry.state, text: entry.text });
  }

  function send(text) {
    text = String(text == null ? '' : text).trim();
    if (!text) return Promise.resolve(null);
    var entry = {
      clientId: newId(), direction: 'in', author: { type: 'contact', name: '' }, text: text,
      createdAt: new Date().toISOString(), state: 'sending', attachments: [], buttons: []
    };
    messages.push(entry);
    stick = true;
    changed();
    var p = new Promise(function (resolve) { waiters[entry.clientId] = resolve; });
    deliver(entry);
    return p;
  }

  function deliver(entry) {
    entry.state = 'sending';
    entry.error = '';
    var frame = { type: 'message', text: entry.text, clientId: entry.clientId };
    if (visitorName) frame.name = visitorName;
    if (ws && ws.readyState === 1) {
      ws.send(JSON.stringify(frame));
      clearTimeout(ackTimers[entry.clientId]);
      ackTimers[entry.clientId] = setTimeout(function () { post(entry, frame); }, ACK_TIMEOUT);
      return;
    }
    post(entry, frame);
  }

  function post(entry, frame) {
    if (entry.state !== 'sending') return;
    var body = { text: frame.text, clientId: frame.clientId };
    if (frame.name) body.name = frame.name;
    authed('POST', '/messages', body).then(function (m) {
      ack(entry.clientId, m);
      connect();
    }).catch(function (err) {
      var s = err.status || 0;
      if (s >= 400 && s < 500 && s !== 401 && s !== 408 && s !== 429) fail(entry, err.message);
      // Otherwise (offline, 5xx, 429) it stays "sending" and is sent again later.
      else if (ws) retryLater();
      else scheduleReconnect();
    });
  }

  var flushTimer = 0;
  function retryLater() {
    if (flushTimer) return;
    flushTimer = setTimeout(function () { flushTimer = 0; flush(); }, 5000);
  }

  // flush resends everything still marked as sending (same clientId: no duplicates).
  function flush() {
    messages.forEach(function (e) { if (!e.id && e.state === 'sending') deliver(e); });
  }

  function changed() {
    save();
    render();
  }

  // ---- WebSocket ---------------------------------------------------------------
  function connect() {
    if (ws || !store.token) return;
    clearTimeout(reconnectTimer);
    reconnectTimer = 0;
    var sock;
    try { sock = new WebSocket(wsURL + '&token=' + encodeURIComponent(store.token)); } catch (e) {
      scheduleReconnect();
      return;
    }
    ws = sock;
    sock.onopen = function () {
      attempt = 0;
      lastPong = 0;
      reported = '';
      setStatus('');
      reportPage(true);
      clearInterval(pingTimer);
      pingTimer = setInterval(ping, 25000);
      sync().then(flush, flush);
    };
    sock.onmessage = function (ev) {
      var f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      if (!f) return;
      if (f.type === 'message') { receive(f.message); changed(); notify(); }
      else if (f.type === 'ack') ack(f.clientId, f.message);
      else if (f.type === 'error') {
        var i = f.clientId ? find(function (x) { return !x.id && x.clientId === f.clientId; }) : -1;
        if (i >= 0) fail(messages[i], f.message);
        else if (f.code !== 'invalid_page') flash(f.message); // a page the hub cannot list is not the visitor's concern
      } else if (f.type === 'pong') lastPong = Date.now();
    };
    sock.onclose = function () {
      if (ws !== sock) return;
      ws = null;
      clearInterval(pingTimer);
      setStatus(S.offline);
      scheduleReconnect();
    };
  }

  function ping() {
    if (!ws || ws.readyState !== 1) return;
    if (lastPong && Date.now() - lastPong > 60000) { ws.close(); return; } // dead link
    ws.send('{"type":"ping"}');
  }

  // reportPage tells the hub which page the visitor is on, when it changed
  // (force: again, as when the tab comes back to the front). Very long
  // addresses are cut to their path.
  function reportPage(force) {
    if (!ws || ws.readyState !== 1) return;
    var url = location.href.length > 2000 ? location.origin + location.pathname.slice(0, 1500) : location.href;
    var title = String(document.title || '').slice(0, 300);
    var now = url + '\n' + title;
    if (!force && now === reported) return;
    reported = now;
    ws.send(JSON.stringify({ type: 'page', url: url, title: title }));
  }

  function scheduleReconnect() {
    if (ws || reconnectTimer) return;
    var delay = Math.min(30000, 1000 * Math.pow(2, attempt));
    attempt++;
    reconnectTimer = setTimeout(function () {
      reconnectTimer = 0;
      // After repeated failures the token may be the problem: renew it.
      // Also poll and resend over REST, in case WebSockets are blocked on the way.
      session(attempt > 3).then(function () {
        connect();
        flush();
        sync().catch(function () {});
      }, scheduleReconnect);
    }, delay);
  }

  function reconnectNow() {
    if (ws) return;
    clearTimeout(reconnectTimer);
    reconnectTimer = 0;
    attempt = 0;
    start().catch(scheduleReconnect);
  }

  // start makes sure a session exists and the socket runs.
  function start() {
    return session(false).then(function () {
      if (!ws) connect();
    });
  }

  // ---- UI -----------------------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function button(cls, text, label, testid) {
    var b = el('button', cls, text);
    b.type = 'button';
    if (label) b.setAttribute('aria-label', label);
    if (testid) b.setAttribute('data-testid', testid);
    return b;
  }
  function svg(d) {
    var ns = 'http://www.w3.org/2000/svg';
    var s = document.createElementNS(ns, 'svg');
    s.setAttribute('viewBox', '0 0 24 24');
    s.setAttribute('aria-hidden', 'true');
    var p = document.createElementNS(ns, 'path');
    p.setAttribute('d', d);
    s.appendChild(p);
    return s;
  }
  function safeUrl(u) {
    try { var x = new URL(u, origin); return /^https?:$/.test(x.protocol) ? x.href : ''; } catch (e) { return ''; }
  }
  function narrow() {
    return !!(window.matchMedia && window.matchMedia('(max-width: 480px)').matches);
  }

  var CSS = [
    ':host{all:initial}',
    '*{box-sizing:border-box}',
    '[hidden]{display:none!important}',
    '.root{all:initial;--accent:#2458d6;--ink:#1d2330;--muted:#5f6b7d;position:fixed;right:20px;bottom:20px;z-index:2147483000;',
    'font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--ink)}',
    '.root.left{right:auto;left:20px}',
    'button,textarea{font:inherit;color:inherit;text-transform:none;letter-spacing:normal}',
    ':focus-visible{outline:3px solid var(--accent);outline-offset:2px}',
    '.head :focus-visible{outline-color:#fff;outline-offset:-3px}',
    '.launcher{position:relative;width:58px;height:58px;border-radius:50%;border:none;background:var(--accent);',
    'color:#fff;cursor:pointer;box-shadow:0 6px 20px rgba(0,0,0,.25);display:grid;place-items:center;margin-left:auto}',
    '.left .launcher{margin-left:0}',
    '.launcher svg{width:28px;height:28px;fill:currentColor}',
    '.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;',
    'background:#c62f2f;color:#fff;font-size:12px;font-weight:700;display:grid;place-items:center}',
    '.teaser{position:absolute;right:0;bottom:72px;width:max-content;max-width:min(300px,calc(100vw - 24px));text-align:left;',
    'background:#fff;border:1px solid #e2e5ea;border-radius:12px;box-shadow:0 8px 24px rgba(0,0,0,.2);padding:10px 12px;cursor:pointer}',
    '.left .teaser{right:auto;left:0}',
    '.teaser .who{display:block;margin:0 0 2px}',
    '.teaser .txt{display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden;overflow-wrap:anywhere}',
    '.panel{position:absolute;right:0;bottom:72px;width:370px;height:min(560px,calc(100vh - 110px));background:#fff;',
    'border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}',
    '.left .panel{right:auto;left:0}',
    '.head{background:var(--accent);color:#fff;padding:14px 16px;display:flex;align-items:center;gap:8px}',
    '.head .t{flex:1;min-width:0}.head .title{font-weight:700}.head .status{font-size:12px;opacity:.9}',
    '.x{background:transparent;border:none;color:#fff;width:40px;height:40px;border-radius:8px;cursor:pointer;font-size:24px;line-height:1}',
    '.x:hover{background:rgba(255,255,255,.18)}',
    '.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px;background:#f6f7f9}',
    '.welcome{align-self:flex-start;background:#fff;border:1px solid #e2e5ea;border-radius:12px;padding:8px 12px;max-width:85%}',
    '.msg{display:flex;flex-direction:column;max-width:85%}',
    '.msg.mine{align-self:flex-end;align-items:flex-end}.msg.theirs{align-self:flex-start}',
    '.msg.system{align-self:center;color:var(--muted);font-size:13px;text-align:center}',
    '.who{font-size:12px;color:var(--muted);margin:0 4px 2px}',
    '.bubble{padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}',
    '.mine .bubble{background:var(--accent);color:#fff;border-bottom-right-radius:4px}',
    '.theirs .bubble{background:#fff;border:1px solid #e2e5ea;border-bottom-left-radius:4px}',
    '.msg.sending .bubble{opacity:.75}.msg.failed .bubble{opacity:.6}',
    '.meta{font-size:11px;color:var(--muted);margin:2px 4px 0;display:flex;gap:6px;align-items:center}',
    '.failed .meta{color:#c62f2f}',
    '.retry{background:none;border:none;color:var(--accent);text-decoration:underline;cursor:pointer;padding:0;font-size:11px}',
    '.att{display:block;color:inherit;margin-top:4px}.att img{max-width:200px;max-height:160px;border-radius:8px;display:block}',
    '.quick{display:flex;flex-wrap:wrap;gap:6px;padding:0 14px 10px;background:#f6f7f9}',
    '.quick .ask{flex-basis:100%;font-size:13px;color:var(--muted)}',
    '.quick button{border:1px solid var(--accent);color:var(--accent);background:#fff;border-radius:16px;padding:5px 12px;cursor:pointer}',
    '.quick button:hover{background:var(--accent);color:#fff}',
    '.quick .hub-star{border:none;background:none;color:#8a929e;font-size:28px;line-height:1;padding:0 2px;border-radius:4px}',
    '.quick .hub-star:hover,.quick .hub-star:focus-visible,.quick .stars:hover .hub-star{color:#d99a00;background:none}',
    '.quick .stars .hub-star:hover~.hub-star{color:#8a929e}',
    '.stars{display:flex}',
    'form{display:flex;gap:8px;padding:10px;border-top:1px solid #e2e5ea;background:#fff;align-items:flex-end}',
    'textarea{flex:1;resize:none;border:1px solid #8f98a6;border-radius:10px;padding:8px 10px;max-height:120px;min-height:40px;background:#fff}',
    'textarea::placeholder{color:var(--muted)}',
    'textarea:focus-visible{outline:none;border-color:var(--accent);box-shadow:0 0 0 3px rgba(36,88,214,.35)}',
    '.send{width:40px;height:40px;border:none;border-radius:10px;background:var(--accent);color:#fff;cursor:pointer;display:grid;place-items:center}',
    '.send svg{width:20px;height:20px;fill:currentColor}',
    '.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
    '@media (max-width:480px){.root{right:12px;bottom:12px}.root.left{left:12px}',
    '.panel{position:fixed;inset:0;width:100%;height:100%;border-radius:0}',
    'textarea{font-size:16px}',
    '.root.open .launcher,.root.open .teaser{display:none}}'
  ].join('\n');

  function mount() {
    if (ui || !document.body) return;
    // A custom element name: page rules such as "div { ... }" do not match the host.
    var host = document.createElement('hub-chat');
    host.setAttribute('data-hub-widget', channel);
    var shadow = host.attachShadow({ mode: 'open' });
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet]; // not subject to the host page's style-src
    } catch (e) {
      shadow.appendChild(el('style', null, CSS));
    }
    var root = el('div', 'root' + (attr('data-position') === 'left' ? ' left' : ''));
    root.setAttribute('lang', lang);
    var color = attr('data-color');
    if (/^#[0-9a-f]{3,8}$/i.test(color)) root.style.setProperty('--accent', color);
    var title = attr('data-title') || S.title;

    var panel = el('div', 'panel');
    panel.hidden = true;
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', title);
    panel.setAttribute('data-testid', 'hub-panel');
    var head = el('div', 'head');
    var titles = el('div', 't');
    titles.appendChild(el('div', 'title', title));
    var status = el('div', 'status');
    status.setAttribute('role', 'status');
    status.setAttribute('data-testid', 'hub-status');
    titles.appendChild(status);
    var closeBtn = button('x', '\u00d7', S.close, 'hub-close');
    closeBtn.addEventListener('click', function () { close(); ui.launcher.focus(); });
    head.appendChild(titles);
    head.appendChild(closeBtn);

    var log = el('div', 'log');
    log.setAttribute('role', 'log');
    log.setAttribute('aria-live', 'polite');
    log.setAttribute('aria-label', S.log);
    log.setAttribute('data-testid', 'hub-log');
    log.appendChild(el('div', 'welcome', attr('data-welcome') || S.welcome));
    var quick = el('div', 'quick');
    quick.setAttribute('data-testid', 'hub-quick-replies');

    var form = el('form');
    var label = el('label', 'vh', S.input);
    label.htmlFor = 'hub-input';
    var input = el('textarea');
    input.id = 'hub-input';
    input.rows = 1;
    input.placeholder = S.placeholder;
    input.setAttribute('data-testid', 'hub-input');
    var sendBtn = button('send', null, S.send, 'hub-send');
    sendBtn.type = 'submit';
    sendBtn.appendChild(svg('M3 20.5 21 12 3 3.5v6.6l12 1.9-12 1.9z'));
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(sendBtn);
    form.addEventListener('submit', function (e) { e.preventDefault(); submit(); });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
    });
    input.addEventListener('input', grow);
    panel.appendChild(head);
    panel.appendChild(log);
    panel.appendChild(quick);
    panel.appendChild(form);
    panel.addEventListener('keydown', function (e) { if (e.key === 'Escape') { close(); launcher.focus(); } });

    var teaser = button('teaser', null, null, 'hub-teaser');
    teaser.hidden = true;
    teaser.addEventListener('click', function () { open(true); });

    var launcher = button('launcher', null, S.open, 'hub-launcher');
    launcher.setAttribute('aria-expanded', 'false');
    launcher.appendChild(svg('M12 3C6.5 3 2 6.8 2 11.5c0 2.4 1.2 4.6 3.1 6.1L4 21l4.2-2.1c1.2.4 2.5.6 3.8.6 ' +
      '5.5 0 10-3.8 10-8.5S17.5 3 12 3z'));
    var badge = el('span', 'badge');
    badge.hidden = true;
    badge.setAttribute('aria-hidden', 'true');
    badge.setAttribute('data-testid', 'hub-unread');
    launcher.appendChild(badge);
    launcher.addEventListener('click', function () { if (isOpen) close(); else open(true); });

    root.appendChild(panel);
    root.appendChild(teaser);
    root.appendChild(launcher);
    shadow.appendChild(root);
    document.body.appendChild(host);
    ui = {
      root: root, panel: panel, log: log, quick: quick, input: input, launcher: launcher, badge: badge,
      status: status, teaser: teaser, nodes: {}, sigs: {}, quickSig: ''
    };

    function submit() {
      var text = input.value;
      if (!text.trim()) return;
      input.value = '';
      grow();
      input.focus(); // after a click on Send, keep typing in the box
      send(text);
      // Some input paths still deliver the Enter character after keydown: drop it.
      setTimeout(function () { if (!input.value.trim()) { input.value = ''; grow(); } }, 0);
    }
    function grow() {
      input.style.height = 'auto';
      input.style.height = Math.min(input.scrollHeight, 120) + 'px';
    }
    render();
  }

  function setStatus(text) {
    if (ui) ui.status.textContent = text;
  }
  function flash(text) {
    if (!text) return;
    setStatus(text);
    setTimeout(function () { if (ui && ui.status.textContent === text) setStatus(''); }, 5000);
  }

  function whoOf(m) {
    return m.author.name || (m.author.type === 'bot' ? S.bot : S.agent);
  }

  // render updates the panel. Message elements are kept by message and
  // rebuilt only when they change, so screen readers announce new messages
  // only.
  function render() {
    if (!ui) return;
    ui.root.classList.toggle('open', isOpen);
    ui.panel.hidden = !isOpen;
    ui.launcher.setAttribute('aria-expanded', String(isOpen));
    ui.launcher.setAttribute('aria-label', unread && !isOpen ? fmt(S.openUnread, { n: unread }) : S.open);
    ui.badge.hidden = !unread || isOpen;
    ui.badge.textContent = unread > 9 ? '9+' : String(unread);
    if (isOpen || !unread) ui.teaser.hidden = true;
    var log = ui.log;
    var atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 60;
    var nodes = {}, sigs = {}, want = [];
    var prevWho = '';
    messages.forEach(function (m) {
      var kind = m.author.type === 'system' ? 'system' : mine(m) ? 'mine' : 'theirs';
      var who = kind === 'theirs' ? whoOf(m) : kind;
      var shownWho = kind === 'theirs' && who !== prevWho ? who : '';
      prevWho = who;
      var key = m.id || 'c:' + m.clientId;
      var sig = [kind, m.id || '', m.state || 'sent', m.text, m.error || '', shownWho, (m.attachments || []).length].join('\u0001');
      var node = ui.nodes[key];
      if (!node || ui.sigs[key] !== sig) node = messageNode(m, kind, shownWho);
      nodes[key] = node;
      sigs[key] = sig;
      want.push(node);
    });
    for (var i = 0; i < want.length; i++) {
      var at = log.children[i + 1] || null; // the welcome text comes first
      if (at !== want[i]) log.insertBefore(want[i], at);
    }
    while (log.children.length > want.length + 1) log.removeChild(log.lastChild);
    ui.nodes = nodes;
    ui.sigs = sigs;
    renderQuick();
    if (atBottom || stick) log.scrollTop = log.scrollHeight;
    stick = false;
  }

  function messageNode(m, kind, shownWho) {
    var box = el('div', 'msg ' + kind + (m.state === 'failed' ? ' failed' : m.state === 'sending' ? ' sending' : ''));
    box.setAttribute('data-testid', 'hub-message');
    box.setAttribute('data-author', m.author.type);
    box.setAttribute('data-state', m.state || 'sent');
    if (m.id) box.setAttribute('data-id', m.id);
    if (shownWho) box.appendChild(el('div', 'who', shownWho));
    var bubble = el('div', 'bubble', m.text);
    (m.attachments || []).forEach(function (a) {
      var url = safeUrl(a.url);
      if (!url) return;
      var link = el('a', 'att');
      link.href = url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      if (/^image\//.test(a.contentType || '')) {
        var img = el('img');
        img.src = url;
        img.alt = a.name || S.attachment;
        link.appendChild(img);
      } else link.textContent = a.name || S.attachment;
      bubble.appendChild(link);
    });
    box.appendChild(bubble);
    if (kind === 'mine') {
      var meta = el('div', 'meta');
      meta.setAttribute('data-testid', 'hub-message-state');
      if (m.state === 'failed') {
        meta.appendChild(el('span', null, S.failed + (m.error ? ' \u2014 ' + m.error : '')));
        var retry = button('retry', S.retry, null, 'hub-retry');
        retry.addEventListener('click', function () { deliver(m); changed(); });
        meta.appendChild(retry);
      } else meta.appendChild(el('span', null, m.state === 'sending' ? S.sending : S.sent));
      box.appendChild(meta);
    }
    return box;
  }

  // Quick replies: only those of the latest message, when it is not the
  // visitor's. Rebuilt only when they change, so keyboard focus stays put.
  function renderQuick() {
    var q = ui.quick;
    var last = messages[messages.length - 1];
    var labels = last && !mine(last) ? last.buttons || [] : [];
    var survey = !!(last && last.kind === 'survey' && labels.length);
    var sig = (survey ? 'survey' : 'quick') + '\u0001' + labels.join('\u0001');
    q.hidden = !labels.length;
    if (sig === ui.quickSig) return;
    ui.quickSig = sig;
    while (q.firstChild) q.removeChild(q.firstChild);
    if (survey) {
      renderStars(q, labels.length);
      return;
    }
    labels.forEach(function (text) {
      var b = button(null, text, null, 'hub-quick-reply');
      b.addEventListener('click', function () { send(text); });
      q.appendChild(b);
    });
  }

  // The satisfaction survey: n stars; a click sends that many, which the
  // hub reads as the rating.
  function renderStars(q, n) {
    var ask = el('span', 'ask', S.rateGroup);
    ask.id = 'hub-rate-ask';
    var group = el('div', 'stars');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-labelledby', 'hub-rate-ask');
    for (var i = 1; i <= n; i++) {
      var b = button('hub-star', '\u2605', fmt(S.rate, { i: i, n: n }), 'hub-star');
      b.addEventListener('click', (function (score) {
        return function () { send(new Array(score + 1).join('\u2605')); };
      })(i));
      group.appendChild(b);
    }
    q.appendChild(ask);
    q.appendChild(group);
  }

  // notify draws attention to messages that came while the panel was
  // closed: it opens on wide screens (the focus stays where it was), while
  // a phone, where the panel would cover the page, gets a preview.
  function notify() {
    if (!unread || isOpen) return;
    if (autoOpen && !narrow()) { open(false); return; }
    mount();
    if (!ui) return;
    var last = null;
    for (var i = messages.length - 1; i >= 0 && !last; i--) if (!mine(messages[i])) last = messages[i];
    if (!last) return;
    var t = ui.teaser;
    while (t.firstChild) t.removeChild(t.firstChild);
    t.appendChild(el('span', 'who', whoOf(last)));
    t.appendChild(el('span', 'txt', last.text || S.preview));
    t.hidden = false;
    render();
  }

  // open shows the panel; focus: move the keyboard focus into it (when the
  // visitor asked for it, not when a message opened it).
  function open(focus) {
    isOpen = true;
    unread = 0;
    stick = true;
    mount();
    render();
    if (ui && focus) ui.input.focus();
    start().catch(function () { setStatus(S.offline); scheduleReconnect(); });
  }

  function close() {
    isOpen = false;
    render();
  }

  // ---- boot ----------------------------------------------------------------------
  window.HubWidget = {
    open: function () { open(true); },
    close: close,
    send: function (text) {
      var p = send(text);
      start().catch(function () { scheduleReconnect(); });
      return p;
    }
  };

  window.addEventListener('online', reconnectNow);
  // Client-side navigation and title changes (no patching of the page's history API).
  window.addEventListener('popstate', function () { reportPage(false); });
  window.addEventListener('hashchange', function () { reportPage(false); });
  setInterval(function () { reportPage(false); }, 1000);
  document.addEventListener('visibilitychange', function () {
    if (document.hidden) return;
    reconnectNow();
    reportPage(true); // this tab is where the visitor is now
    if (isOpen && unread) { unread = 0; render(); }
  });

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  // Every page load: make sure there is a session, connect (which reports
  // the page, catches up with ?after= and resends what was pending).
  start().catch(function () { setStatus(S.offline); scheduleReconnect(); });
})();
