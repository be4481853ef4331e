// Shared client state of the agent app, and helpers over it.

export const state = {
  me: null, // {id, workspaceId, email, name, role}
  agents: new Map(), // id → {id, name, email, role}
  teams: new Map(), // id → {id, name, agentIds}
  tab: 'open', // open | pending | closed | spam | all | bot
  filter: 'all', // mine | none | all
  team: '', // team id the list is narrowed to ('' = every team)
  q: '',
  items: [], // conversations shown in the list, in display order
  next: '',
  selectedId: null,
  current: null, // the open conversation
  messages: new Map(), // id → message of the open conversation
  latest: new Map(), // id → freshest conversation seen (list, REST or live)
};

export const TABS = ['open', 'pending', 'closed', 'spam', 'all', 'bot'];
export const FILTERS = ['mine', 'none', 'all'];

// Listeners told about every conversation change the list applies (live
// frames and the agent's own actions): counts, offers.
const changeListeners = new Set();

// onConversationChange calls fn(conv, previous) after a change is applied.
export function onConversationChange(fn) {
  changeListeners.add(fn);
  return () => changeListeners.delete(fn);
}

export function conversationChanged(conv, previous) {
  for (const fn of changeListeners) {
    try {
      fn(conv, previous);
    } catch (err) {
      console.error(err);
    }
  }
}

// isMe reports whether id is the signed-in agent.
export function isMe(id) {
  return !!id && !!state.me && state.me.id === id;
}

// offerForMe returns conv's pending offer or invitation to me, as
// {kind: 'route'|'transfer'|'invite', expiresAt, at, fromAgentId}, or null.
export function offerForMe(conv) {
  if (!conv || !state.me) return null;
  if (conv.offer && isMe(conv.offer.agentId)) return { ...conv.offer };
  const inv = (conv.invites || []).find((i) => isMe(i.agentId));
  return inv ? { kind: 'invite', ...inv } : null;
}

// remember stores conv unless a newer version is already known and returns
// the freshest copy. Conversations without a version always win.
export function remember(conv) {
  if (!conv || !conv.id) return conv;
  const known = state.latest.get(conv.id);
  if (known && typeof known.version === 'number' && typeof conv.version === 'number'
      && known.version > conv.version) {
    return known;
  }
  state.latest.set(conv.id, conv);
  return conv;
}

export function participantIds(conv) {
  const list = (conv && conv.participants) || [];
  return list.map((p) => (typeof p === 'string' ? p : p && (p.agentId || p.id))).filter(Boolean);
}

export function agentName(id) {
  if (!id) return '';
  const a = state.agents.get(id);
  if (a) return a.name || a.email || id;
  if (state.me && state.me.id === id) return state.me.name || state.me.email;
  return id;
}

export function teamName(id) {
  const tm = id && state.teams.get(id);
  return tm ? tm.name : id || '';
}

export function isAdmin() {
  const r = state.me && state.me.role;
  return r === 'admin' || r === 'owner' || r === 'supervisor';
}

export function contactName(conv) {
  const c = (conv && conv.contact) || {};
  return c.name || c.handle || c.id || '?';
}

// timeValue returns a sortable number for an RFC3339 string (0 when missing),
// keeping the sub-millisecond digits the server may send.
export function timeValue(v) {
  const n = v ? Date.parse(v) : NaN;
  if (Number.isNaN(n)) return 0;
  const f = /\.(\d{4,})/.exec(v);
  return f ? n + Number(`0.${f[1].slice(3)}`) : n;
}
