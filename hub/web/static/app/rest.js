// REST calls of the inbox features (counts, canned answers, contacts,
// presence, team chat, wrap-up topics). Same conventions as api.js: the
// session cookie plus the Bearer token, errors as ApiError with the
// server's message. A 401 is handed to api.js's session handling by
// asking it who we are (which fails the same way and signs out).

import { api, getToken, ApiError } from './api.js';
import { t } from './i18n.js';

async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
  const text = await res.text().catch(() => '');
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    if (res.status === 401) api.me().catch(() => {});
    throw new ApiError(res.status, e.code || `http_${res.status}`,
      e.message || t('error.http', { status: res.status }));
  }
  return data;
}

const enc = encodeURIComponent;
// Room ids ("team:<id>", "dm:<a>:<b>") keep their colons in the path.
const room = (id) => `/api/v1/chat/rooms/${enc(id).replace(/%3A/gi, ':')}/messages`;

export const rest = {
  // counts → {open, pending, closed, spam, bot, all}
  counts: () => call('GET', '/api/v1/conversations/counts'),
  // canned(conversationId) → {items: [{id, shortcut, text, filled}]}
  canned: (conversationId) => call('GET', `/api/v1/canned?conversationId=${enc(conversationId)}`),
  contact: (id) => call('GET', `/api/v1/contacts/${enc(id)}`),
  saveContact: (id, fields) => call('PATCH', `/api/v1/contacts/${enc(id)}`, fields),
  setStatus: (status) => call('PATCH', '/api/v1/agents/me/status', { status }),
  // topics → {items: [string], moods: [string]}
  topics: () => call('GET', '/api/v1/wrapup-topics'),
  chatRooms: () => call('GET', '/api/v1/chat/rooms'),
  chatMessages: (id) => call('GET', room(id)),
  postChat: (id, text) => call('POST', room(id), { text }),
};
