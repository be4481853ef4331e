/*
 * Hub chat widget. One self-contained script, loaded on a customer's site by
 *   <script src="https://hub.example/widget.js" data-channel="<channelId>" async></script>
 * Optional attributes: data-title, data-welcome, data-color (#hex),
 * data-position="left", data-visitor-name.
 *
 * Everything renders inside a Shadow DOM so the host page's CSS cannot break
 * it; text is always set with textContent. State (visitor token, last seen
 * message id, history, unsent messages) lives in localStorage per channel.
 * Messages go over the WebSocket when it is open, else over REST; each has a
 * random clientId so a retry never duplicates. This file is kept ASCII-only.
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

  var STRINGS = {
    en: {
      title: 'Chat with us', welcome: 'Hi! How can we help you today?', placeholder: 'Write a message\u2026',
      send: 'Send', open: 'Open chat', close: 'Close chat', sending: 'Sending\u2026', sent: 'Sent',
      failed: 'Not sent', retry: 'Retry', offline: 'Reconnecting\u2026', you: 'You', agent: 'Agent',
      bot: 'Assistant', log: 'Conversation', input: 'Message', attachment: 'Attachment'
    },
    fr: {
      title: 'Discutons', welcome: 'Bonjour\u00a0! Comment pouvons-nous vous aider\u00a0?',
      placeholder: '\u00c9crivez un message\u2026', send: 'Envoyer', open: 'Ouvrir la discussion',
      close: 'Fermer la discussion', sending: 'Envoi\u2026', sent: 'Envoy\u00e9', failed: 'Non envoy\u00e9',
      retry: 'R\u00e9essayer', offline: 'Reconnexion\u2026', you: 'Vous', agent: 'Conseiller',
      bot: 'Assistant', log: 'Conversation', input: 'Message', attachment: 'Pi\u00e8ce jointe'
    }
  };
  var lang = String(navigator.language || 'en').toLowerCase().split('-')[0];
  var S = STRINGS[lang] || STRINGS.en;

  // ---- state -------------------------------------------------------------
  var KEY = 'hub-widget:' + channel;
  var MAX_KEPT = 200;
  var ACK_TIMEOUT = 8000;
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

  // session creates or renews the visitor session (force: even if not expiring).
  function session(force) {
    var exp = store.expiresAt ? Date.parse(store.expiresAt) : NaN;
    if (!force && store.token && !(exp - Date.now() < 60000)) return Promise.resolve(store.token);
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

  // sync fetches what was missed since the last seen message.
  function sync() {
    var q = store.lastId ? '?after=' + encodeURIComponent(store.lastId) : '';
    return authed('GET', '/messages' + q).then(function (res) {
      ((res && res.items) || []).forEach(function (m) { receive(m); });
      changed();
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
  function receive(m) {
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
      if (!mine(e) && e.author.type !== 'system' && (!isOpen || document.hidden)) unread++;
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
    var sock;
    try { sock = new WebSocket(wsURL + '&token=' + encodeURIComponent(store.token)); } catch (e) {
      scheduleReconnect();
      return;
    }
    ws = sock;
    sock.onopen = function () {
      attempt = 0;
      lastPong = 0;
      setStatus('');
      clearInterval(pingTimer);
      pingTimer = setInterval(ping, 25000);
      sync().then(flush, flush);
    };
    sock.onmessage = function (ev) {
      var f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      if (!f) return;
      if (f.type === 'message') { receive(f.message); changed(); }
      else if (f.type === 'ack') ack(f.clientId, f.message);
      else if (f.type === 'error') {
        var i = f.clientId ? find(function (x) { return !x.id && x.clientId === f.clientId; }) : -1;
        if (i >= 0) fail(messages[i], f.message);
        else flash(f.message);
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
    if (ws || !store.token) return;
    clearTimeout(reconnectTimer);
    reconnectTimer = 0;
    attempt = 0;
    session(false).then(connect, scheduleReconnect);
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

  var CSS = [
    ':host{all:initial}',
    '*{box-sizing:border-box}',
    '[hidden]{display:none!important}',
    '.root{all:initial;--accent:#2458d6;--ink:#1d2330;--muted:#667085;position:fixed;right:20px;bottom:20px;z-index:2147483000;',
    'font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--ink)}',
    '.root.left{right:auto;left:20px}',
    'button,textarea{font:inherit;color:inherit}',
    ':focus-visible{outline:2px solid var(--accent);outline-offset:2px}',
    '.launcher{position:relative;width:58px;height:58px;border-radius:50%;border:none;background:var(--accent);',
    'color:#fff;cursor:pointer;box-shadow:0 6px 20px rgba(0,0,0,.25);display:grid;place-items:center;margin-left:auto}',
    '.launcher svg{width:28px;height:28px;fill:currentColor}',
    '.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;',
    'background:#d93d3d;color:#fff;font-size:12px;font-weight:700;display:grid;place-items:center}',
    '.panel{position:absolute;right:0;bottom:72px;width:370px;height:min(560px,calc(100vh - 110px));background:#fff;',
    'border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}',
    '.left .panel{right:auto;left:0}',
    '.head{background:var(--accent);color:#fff;padding:14px 16px;display:flex;align-items:center;gap:8px}',
    '.head .t{flex:1;min-width:0}.head .title{font-weight:700}.head .status{font-size:12px;opacity:.9}',
    '.x{background:transparent;border:none;color:#fff;width:34px;height:34px;border-radius:8px;cursor:pointer;font-size:22px;line-height:1}',
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
    '.msg.failed .bubble{opacity:.6}',
    '.meta{font-size:11px;color:var(--muted);margin:2px 4px 0;display:flex;gap:6px;align-items:center}',
    '.failed .meta{color:#c62f2f}',
    '.retry{background:none;border:none;color:var(--accent);text-decoration:underline;cursor:pointer;padding:0;font-size:11px}',
    '.att{display:block;color:inherit;margin-top:4px}.att img{max-width:200px;max-height:160px;border-radius:8px;display:block}',
    '.quick{display:flex;flex-wrap:wrap;gap:6px;padding:0 14px 10px;background:#f6f7f9}',
    '.quick button{border:1px solid var(--accent);color:var(--accent);background:#fff;border-radius:16px;padding:5px 12px;cursor:pointer}',
    '.quick button:hover{background:var(--accent);color:#fff}',
    '.quick .hub-star{border:none;background:none;color:#c9ced6;font-size:26px;padding:0 2px;border-radius:4px}',
    '.quick .hub-star:hover,.quick .hub-star:focus-visible{color:#f5b301;background:none}',
    'form{display:flex;gap:8px;padding:10px;border-top:1px solid #e2e5ea;background:#fff;align-items:flex-end}',
    'textarea{flex:1;resize:none;border:1px solid #cfd4dc;border-radius:10px;padding:8px 10px;max-height:120px;min-height:40px;background:#fff}',
    'textarea:focus-visible{outline:none;border-color:var(--accent);box-shadow:0 0 0 3px rgba(36,88,214,.3)}',
    '.send{width:40px;height:40px;border:none;border-radius:10px;background:var(--accent);color:#fff;cursor:pointer;display:grid;place-items:center}',
    '.send svg{width:20px;height:20px;fill:currentColor}',
    '.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
    '@media (max-width:480px){.root{right:12px;bottom:12px}.root.left{left:12px}',
    '.panel{position:fixed;inset:0;width:100%;height:100%;border-radius:0}',
    '.root.open .launcher{display:none}}'
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
    var color = attr('data-color');
    if (/^#[0-9a-f]{3,8}$/i.test(color)) root.style.setProperty('--accent', color);

    var panel = el('div', 'panel');
    panel.hidden = true;
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', attr('data-title') || S.title);
    panel.setAttribute('data-testid', 'hub-panel');
    var head = el('div', 'head');
    var titles = el('div', 't');
    titles.appendChild(el('div', 'title', attr('data-title') || S.title));
    var status = el('div', 'status');
    status.setAttribute('role', 'status');
    status.setAttribute('data-testid', 'hub-status');
    titles.appendChild(status);
    var closeBtn = el('button', 'x', '\u00d7');
    closeBtn.type = 'button';
    closeBtn.setAttribute('aria-label', S.close);
    closeBtn.setAttribute('data-testid', 'hub-close');
    closeBtn.addEventListener('click', function () { close(); });
    head.appendChild(titles);
    head.appendChild(closeBtn);

    var log = el('div', 'log');
    log.setAttribute('role', 'log');
    log.setAttribute('aria-live', 'polite');
    log.setAttribute('aria-label', S.log);
    log.setAttribute('data-testid', 'hub-log');
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
    var sendBtn = el('button', 'send');
    sendBtn.type = 'submit';
    sendBtn.setAttribute('aria-label', S.send);
    sendBtn.setAttribute('data-testid', 'hub-send');
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

    var launcher = el('button', 'launcher');
    launcher.type = 'button';
    launcher.setAttribute('aria-label', S.open);
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('data-testid', 'hub-launcher');
    launcher.appendChild(svg('M12 3C6.5 3 2 6.8 2 11.5c0 2.4 1.2 4.6 3.1 6.1L4 21l4.2-2.1c1.2.4 2.5.6 3.8.6 ' +
      '5.5 0 10-3.8 10-8.5S17.5 3 12 3z'));
    var badge = el('span', 'badge');
    badge.hidden = true;
    badge.setAttribute('data-testid', 'hub-unread');
    launcher.appendChild(badge);
    launcher.addEventListener('click', function () { if (isOpen) close(); else open(); });

    root.appendChild(panel);
    root.appendChild(launcher);
    shadow.appendChild(root);
    document.body.appendChild(host);
    ui = { root: root, panel: panel, log: log, quick: quick, input: input, launcher: launcher, badge: badge, status: status };

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

  function render() {
    if (!ui) return;
    ui.root.classList.toggle('open', isOpen);
    ui.panel.hidden = !isOpen;
    ui.launcher.setAttribute('aria-expanded', String(isOpen));
    ui.badge.hidden = !unread;
    ui.badge.textContent = unread > 9 ? '9+' : String(unread);
    var log = ui.log;
    var atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 60;
    while (log.firstChild) log.removeChild(log.firstChild);
    log.appendChild(el('div', 'welcome', attr('data-welcome') || S.welcome));
    var prevWho = '';
    messages.forEach(function (m) {
      var kind = m.author.type === 'system' ? 'system' : mine(m) ? 'mine' : 'theirs';
      var box = el('div', 'msg ' + kind + (m.state === 'failed' ? ' failed' : ''));
      box.setAttribute('data-testid', 'hub-message');
      box.setAttribute('data-author', m.author.type);
      box.setAttribute('data-state', m.state || 'sent');
      if (m.id) box.setAttribute('data-id', m.id);
      var who = kind === 'theirs' ? (m.author.name || (m.author.type === 'bot' ? S.bot : S.agent)) : kind;
      if (kind === 'theirs' && who !== prevWho) box.appendChild(el('div', 'who', who));
      prevWho = who;
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
          var retry = el('button', 'retry', S.retry);
          retry.type = 'button';
          retry.setAttribute('data-testid', 'hub-retry');
          retry.addEventListener('click', function () { deliver(m); changed(); });
          meta.appendChild(retry);
        } else meta.appendChild(el('span', null, m.state === 'sending' ? S.sending : S.sent));
        box.appendChild(meta);
      }
      log.appendChild(box);
    });
    renderQuick();
    if (atBottom || stick) log.scrollTop = log.scrollHeight;
    stick = false;
  }

  // Quick replies: only those of the latest message, when it is not the visitor's.
  function renderQuick() {
    var q = ui.quick;
    while (q.firstChild) q.removeChild(q.firstChild);
    var last = messages[messages.length - 1];
    var labels = last && !mine(last) ? last.buttons || [] : [];
    q.hidden = !labels.length;
    if (last && last.kind === 'survey' && labels.length) {
      renderStars(q, labels.length);
      return;
    }
    labels.forEach(function (text) {
      var b = el('button', null, text);
      b.type = 'button';
      b.setAttribute('data-testid', 'hub-quick-reply');
      b.addEventListener('click', function () { send(text); });
      q.appendChild(b);
    });
  }

  // The satisfaction survey: n stars; a click sends that many, which the
  // hub reads as the rating.
  function renderStars(q, n) {
    for (var i = 1; i <= n; i++) {
      var b = el('button', 'hub-star', '\u2605');
      b.type = 'button';
      b.setAttribute('data-testid', 'hub-star');
      b.setAttribute('aria-label', i + ' / ' + n);
      b.addEventListener('click', (function (score) {
        return function () { send(new Array(score + 1).join('\u2605')); };
      })(i));
      q.appendChild(b);
    }
  }

  function open() {
    isOpen = true;
    unread = 0;
    stick = true;
    mount();
    render();
    if (ui) ui.input.focus();
    start().catch(function () { setStatus(S.offline); scheduleReconnect(); });
  }

  function close() {
    isOpen = false;
    render();
  }

  // ---- boot ----------------------------------------------------------------------
  window.HubWidget = {
    open: open,
    close: close,
    send: function (text) {
      var p = send(text);
      start().catch(function () { scheduleReconnect(); });
      return p;
    }
  };

  window.addEventListener('online', reconnectNow);
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) { reconnectNow(); if (isOpen && unread) { unread = 0; render(); } }
  });

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  // A returning visitor: renew the session, catch up, resend what was pending.
  if (store.token) {
    session(true).then(function () { return sync(); }).then(function () {
      connect();
      flush();
    }).catch(function () { setStatus(S.offline); scheduleReconnect(); });
  }
})();
