// REST calls of the inbox features (counts, canned answers, contacts,
// presence, team chat, wrap-up topics), through api.js's one request
// function (session cookie plus Bearer token, errors as ApiError, a 401
// handed to the session handling).

import { request } from './api.js';

const enc = encodeURIComponent;
// Room ids ("team:<id>", "dm:<a>:<b>") keep their colons in the path.
const room = (id) => `/api/v1/chat/rooms/${enc(id).replace(/%3A/gi, ':')}/messages`;

export const rest = {
  // counts → {open, pending, closed, spam, bot, all}
  counts: () => request('GET', '/api/v1/conversations/counts'),
  // canned(conversationId) → {items: [{id, shortcut, text, filled}]}
  canned: (conversationId) => request('GET', `/api/v1/canned?conversationId=${enc(conversationId)}`),
  contact: (id) => request('GET', `/api/v1/contacts/${enc(id)}`),
  saveContact: (id, fields) => request('PATCH', `/api/v1/contacts/${enc(id)}`, fields),
  setStatus: (status) => request('PATCH', '/api/v1/agents/me/status', { status }),
  // topics → {items: [string], moods: [string]}
  topics: () => request('GET', '/api/v1/wrapup-topics'),
  chatRooms: () => request('GET', '/api/v1/chat/rooms'),
  chatMessages: (id) => request('GET', room(id)),
  postChat: (id, text) => request('POST', room(id), { text }),
};
