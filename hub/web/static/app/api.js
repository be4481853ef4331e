// REST client of the agent app. Same origin: the session cookie
// authenticates the calls; the token from the login answer is also sent as a
// Bearer header (kept in sessionStorage, so it dies with the tab).

import { t } from './i18n.js';

const TOKEN_KEY = 'hub.token';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

export function setToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage disabled: the cookie still authenticates.
  }
}

let unauthorizedHandler = null;

// onUnauthorized registers fn, called when any call (except login) gets a 401.
export function onUnauthorized(fn) {
  unauthorizedHandler = fn;
}

// request calls the API; every module goes through it.
export async function request(method, path, body) {
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
  let data = null;
  const text = await res.text().catch(() => '');
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    const err = new ApiError(res.status, e.code || `http_${res.status}`,
      e.message || t('error.http', { status: res.status }));
    err.field = e.field || ''; // the request field a 400 is about
    if (res.status === 401 && path !== '/api/v1/auth/login' && unauthorizedHandler) {
      unauthorizedHandler(err);
    }
    throw err;
  }
  return data;
}

const enc = encodeURIComponent;
const conv = (id) => `/api/v1/conversations/${enc(id)}`;

export const api = {
  login: (email, password) => request('POST', '/api/v1/auth/login', { email, password }),
  logout: () => request('POST', '/api/v1/auth/logout', {}),
  me: () => request('GET', '/api/v1/auth/me'),

  // conversations({status, assignee, q, cursor}) → {items, next}
  conversations(params) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) qs.set(k, v);
    return request('GET', `/api/v1/conversations?${qs}`);
  },
  conversation: (id) => request('GET', conv(id)),
  messages: (id) => request('GET', `${conv(id)}/messages`),
  // send posts a reply or note; uploadIds are files from POST /api/v1/uploads.
  send: (id, text, isPrivate, uploadIds = []) => request('POST', `${conv(id)}/messages`, {
    text, private: !!isPrivate, attachments: uploadIds.map((uploadId) => ({ uploadId })),
  }),
  // act runs a lifecycle action (assign, release, transfer, ...) and returns
  // the updated conversation.
  act: (id, action, body = {}) => request('POST', `${conv(id)}/${enc(action)}`, body),

  agents: () => request('GET', '/api/v1/agents'),
  teams: () => request('GET', '/api/v1/teams'),
  wrapUpTopics: () => request('GET', '/api/v1/wrapup-topics'),

  // Live visitors of the web chat channels, and proactive chat.
  visitors: () => request('GET', '/api/v1/visitors'),
  startChat: (visitorId, channelId, text) => request('POST', `/api/v1/visitors/${enc(visitorId)}/chat`, { channelId, text }),
};

// adminApi: the admin console's and the reports' calls (admins only).
const adm = (path) => `/api/v1${path}`;
const qsOf = (params) => {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v) qs.set(k, v);
  const s = qs.toString();
  return s ? `?${s}` : '';
};
export const adminApi = {
  channels: () => request('GET', adm('/channels')),
  createChannel: (body) => request('POST', adm('/channels'), body),
  updateChannel: (id, body) => request('PATCH', adm(`/channels/${enc(id)}`), body),
  deleteChannel: (id) => request('DELETE', adm(`/channels/${enc(id)}`)),
  channelHealth: (id) => request('GET', adm(`/channels/${enc(id)}/health`)),
  agents: () => request('GET', adm('/agents')),
  createAgent: (body) => request('POST', adm('/agents'), body),
  updateAgent: (id, body) => request('PATCH', adm(`/agents/${enc(id)}`), body),
  teams: () => request('GET', adm('/teams')),
  createTeam: (body) => request('POST', adm('/teams'), body),
  updateTeam: (id, body) => request('PATCH', adm(`/teams/${enc(id)}`), body),
  deleteTeam: (id) => request('DELETE', adm(`/teams/${enc(id)}`)),
  canned: () => request('GET', adm('/canned')),
  createCanned: (body) => request('POST', adm('/canned'), body),
  updateCanned: (id, body) => request('PATCH', adm(`/canned/${enc(id)}`), body),
  deleteCanned: (id) => request('DELETE', adm(`/canned/${enc(id)}`)),
  botRules: () => request('GET', adm('/bot/rules')),
  createBotRule: (body) => request('POST', adm('/bot/rules'), body),
  updateBotRule: (id, body) => request('PATCH', adm(`/bot/rules/${enc(id)}`), body),
  deleteBotRule: (id) => request('DELETE', adm(`/bot/rules/${enc(id)}`)),
  dryRun: (body) => request('POST', adm('/bot/dry-run'), body),
  settings: () => request('GET', adm('/settings')),
  patchSettings: (body) => request('PATCH', adm('/settings'), body),
  topics: () => request('GET', adm('/wrapup-topics')),
  putTopics: (items) => request('PUT', adm('/wrapup-topics'), { items }),
  // Reports take {from, to} as YYYY-MM-DD (both optional).
  agentReport: (range) => request('GET', adm(`/reports/agents${qsOf(range)}`)),
  workspaceReport: (range) => request('GET', adm(`/reports/workspace${qsOf(range)}`)),
  csvUrl: (report, range) => adm(`/reports/${report}.csv${qsOf(range)}`),
};
