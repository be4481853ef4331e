// i18n: every user-visible string of the agent app lives here.
// The language is picked from navigator.language; missing keys fall back to
// English, then to the key itself. Placeholders look like {name}.

const en = {
  'app.title': 'Hub',
  'app.loading': 'Loading…',
  'app.inbox': 'Inbox',

  'login.title': 'Sign in to Hub',
  'login.email': 'Email',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.busy': 'Signing in…',
  'login.failed': 'Sign-in failed.',

  'header.logout': 'Log out',
  'header.signedInAs': 'Signed in as {name}',

  'ws.online': 'Live',
  'ws.connecting': 'Connecting…',
  'ws.offline': 'Offline — reconnecting…',

  'tab.open': 'Open',
  'tab.pending': 'Pending',
  'tab.closed': 'Closed',
  'tab.spam': 'Spam',
  'tab.all': 'All',
  'tab.bot': 'Bot',
  'tabs.label': 'Conversation status',

  'filter.label': 'Assignee',
  'filter.mine': 'Mine',
  'filter.none': 'Unassigned',
  'filter.all': 'All',

  'search.label': 'Search conversations',
  'search.placeholder': 'Search…',

  'list.label': 'Conversations',
  'list.empty': 'No conversations here.',
  'list.loading': 'Loading conversations…',
  'list.more': 'Load more',
  'list.noText': '(no text)',
  'list.unassigned': 'Unassigned',
  'list.attachment': 'Attachment',

  'status.bot': 'Bot',
  'status.open': 'Open',
  'status.pending': 'Pending',
  'status.closed': 'Closed',
  'status.spam': 'Spam',

  'channel.webchat': 'Web chat',
  'channel.sms': 'SMS',
  'channel.telegram': 'Telegram',
  'channel.partner': 'Partner',

  'conv.empty': 'Select a conversation to read it.',
  'conv.back': 'Back to the list',
  'conv.assignee': 'Assigned to {name}',
  'conv.unassigned': 'Unassigned',
  'conv.team': 'Team: {name}',
  'conv.snoozedUntil': 'Pending until {when}',
  'conv.snoozedUntilReply': 'Pending until the customer replies',
  'conv.awaiting': 'Waiting for a reply',
  'conv.participants': 'Also in this conversation: {names}',
  'conv.wrapUp': 'Closed — topic: {topic}, mood: {mood}',
  'conv.csat': 'Customer rating: {score}/5',
  'conv.loading': 'Loading messages…',
  'conv.noMessages': 'No messages yet.',
  'conv.spamNotice': 'This conversation is marked as spam. Mark it as not spam to reply.',
  'conv.messages': 'Messages',
  'conv.actions': 'Actions',

  'author.contact': 'Customer',
  'author.agent': 'Agent',
  'author.bot': 'Bot',
  'author.system': 'System',
  'message.private': 'Private note',
  'message.attachment': 'Attachment',

  'delivery.queued': 'Queued',
  'delivery.sent': 'Sent',
  'delivery.delivered': 'Delivered',
  'delivery.read': 'Read',
  'delivery.failed': 'Not delivered',

  'day.today': 'Today',
  'day.yesterday': 'Yesterday',

  'composer.label': 'Reply',
  'composer.placeholder': 'Type a reply… (Enter to send, Shift+Enter for a new line)',
  'composer.placeholderPrivate': 'Write a private note for your team…',
  'composer.private': 'Private note',
  'composer.send': 'Send',
  'composer.sendNote': 'Add note',
  'composer.sending': 'Sending…',

  'action.assign': 'Assign to me',
  'action.release': 'Release',
  'action.transfer': 'Transfer',
  'action.invite': 'Invite',
  'action.leave': 'Leave',
  'action.snooze': 'Snooze',
  'action.close': 'Close',
  'action.reopen': 'Reopen',
  'action.spam': 'Spam',
  'action.not-spam': 'Not spam',

  'done.assign': 'Conversation assigned to you.',
  'done.release': 'Conversation released to the queue.',
  'done.transfer': 'Conversation transferred.',
  'done.invite': 'Agent invited.',
  'done.leave': 'You left the conversation.',
  'done.snooze': 'Conversation snoozed.',
  'done.close': 'Conversation closed.',
  'done.reopen': 'Conversation reopened.',
  'done.spam': 'Marked as spam.',
  'done.not-spam': 'Marked as not spam.',

  'confirm.spam': 'Mark this conversation as spam? The contact will be blocked on this channel.',

  'dialog.cancel': 'Cancel',

  'transfer.title': 'Transfer conversation',
  'transfer.to': 'Transfer to',
  'transfer.agents': 'Agents',
  'transfer.teams': 'Teams',
  'transfer.choose': 'Choose an agent or a team',
  'transfer.submit': 'Transfer',

  'invite.title': 'Invite an agent',
  'invite.agent': 'Agent',
  'invite.choose': 'Choose an agent',
  'invite.submit': 'Invite',

  'snooze.title': 'Snooze conversation',
  'snooze.hour': 'For 1 hour',
  'snooze.tomorrow': 'Until tomorrow 9:00',
  'snooze.reply': 'Until the customer replies',
  'snooze.custom': 'Until a date and time',
  'snooze.submit': 'Snooze',
  'snooze.past': 'Choose a time in the future.',

  'close.title': 'Close conversation',
  'close.topic': 'Topic',
  'close.topicPlaceholder': 'e.g. Booking change',
  'close.mood': 'Customer mood',
  'close.moodChoose': 'Choose…',
  'close.mood.satisfied': 'Satisfied',
  'close.mood.neutral': 'Neutral',
  'close.mood.unhappy': 'Unhappy',
  'close.mood.unsure': "I don't know",
  'close.survey': 'Send the satisfaction survey',
  'close.submit': 'Close conversation',

  'error.network': 'Cannot reach the server. Check your connection.',
  'error.http': 'The server answered with an error ({status}).',
  'error.session': 'Your session has ended. Please sign in again.',

  'time.now': 'just now',
  'toast.dismiss': 'Dismiss',
  'agent.me': '{name} (me)',
};

const fr = {
  'app.title': 'Hub',
  'app.loading': 'Chargement…',
  'app.inbox': 'Boîte de réception',
  'login.title': 'Connexion à Hub',
  'login.email': 'E-mail',
  'login.password': 'Mot de passe',
  'login.submit': 'Se connecter',
  'login.busy': 'Connexion…',
  'login.failed': 'La connexion a échoué.',
  'header.logout': 'Se déconnecter',
  'header.signedInAs': 'Connecté en tant que {name}',
  'ws.online': 'En direct',
  'ws.connecting': 'Connexion…',
  'ws.offline': 'Hors ligne — reconnexion…',
  'tab.open': 'Ouvertes',
  'tab.pending': 'En attente',
  'tab.closed': 'Fermées',
  'tab.spam': 'Spam',
  'tab.all': 'Toutes',
  'tab.bot': 'Robot',
  'tabs.label': 'Statut des conversations',
  'filter.label': 'Assignation',
  'filter.mine': 'Les miennes',
  'filter.none': 'Non assignées',
  'filter.all': 'Toutes',
  'search.label': 'Rechercher des conversations',
  'search.placeholder': 'Rechercher…',
  'list.label': 'Conversations',
  'list.empty': 'Aucune conversation ici.',
  'list.loading': 'Chargement des conversations…',
  'list.more': 'Voir plus',
  'list.noText': '(sans texte)',
  'list.unassigned': 'Non assignée',
  'list.attachment': 'Pièce jointe',
  'status.bot': 'Robot',
  'status.open': 'Ouverte',
  'status.pending': 'En attente',
  'status.closed': 'Fermée',
  'status.spam': 'Spam',
  'channel.webchat': 'Chat web',
  'channel.sms': 'SMS',
  'channel.telegram': 'Telegram',
  'channel.partner': 'Partenaire',
  'conv.empty': 'Sélectionnez une conversation pour la lire.',
  'conv.back': 'Retour à la liste',
  'conv.assignee': 'Assignée à {name}',
  'conv.unassigned': 'Non assignée',
  'conv.team': 'Équipe : {name}',
  'conv.snoozedUntil': 'En attente jusqu’au {when}',
  'conv.snoozedUntilReply': 'En attente de la réponse du client',
  'conv.awaiting': 'Attend une réponse',
  'conv.participants': 'Aussi dans la conversation : {names}',
  'conv.wrapUp': 'Fermée — sujet : {topic}, humeur : {mood}',
  'conv.csat': 'Note du client : {score}/5',
  'conv.loading': 'Chargement des messages…',
  'conv.noMessages': 'Pas encore de message.',
  'conv.spamNotice': 'Cette conversation est marquée comme spam. Indiquez « Pas un spam » pour répondre.',
  'conv.messages': 'Messages',
  'conv.actions': 'Actions',
  'author.contact': 'Client',
  'author.agent': 'Agent',
  'author.bot': 'Robot',
  'author.system': 'Système',
  'message.private': 'Note privée',
  'message.attachment': 'Pièce jointe',
  'delivery.queued': 'En file',
  'delivery.sent': 'Envoyé',
  'delivery.delivered': 'Distribué',
  'delivery.read': 'Lu',
  'delivery.failed': 'Non distribué',
  'day.today': 'Aujourd’hui',
  'day.yesterday': 'Hier',
  'composer.label': 'Réponse',
  'composer.placeholder': 'Votre réponse… (Entrée pour envoyer, Maj+Entrée pour aller à la ligne)',
  'composer.placeholderPrivate': 'Écrivez une note privée pour l’équipe…',
  'composer.private': 'Note privée',
  'composer.send': 'Envoyer',
  'composer.sendNote': 'Ajouter la note',
  'composer.sending': 'Envoi…',
  'action.assign': 'Me l’assigner',
  'action.release': 'Libérer',
  'action.transfer': 'Transférer',
  'action.invite': 'Inviter',
  'action.leave': 'Quitter',
  'action.snooze': 'Mettre en attente',
  'action.close': 'Fermer',
  'action.reopen': 'Rouvrir',
  'action.spam': 'Spam',
  'action.not-spam': 'Pas un spam',
  'done.assign': 'Conversation assignée à vous.',
  'done.release': 'Conversation remise dans la file.',
  'done.transfer': 'Conversation transférée.',
  'done.invite': 'Agent invité.',
  'done.leave': 'Vous avez quitté la conversation.',
  'done.snooze': 'Conversation mise en attente.',
  'done.close': 'Conversation fermée.',
  'done.reopen': 'Conversation rouverte.',
  'done.spam': 'Marquée comme spam.',
  'done.not-spam': 'Marquée comme légitime.',
  'confirm.spam': 'Marquer cette conversation comme spam ? Le contact sera bloqué sur ce canal.',
  'dialog.cancel': 'Annuler',
  'transfer.title': 'Transférer la conversation',
  'transfer.to': 'Transférer à',
  'transfer.agents': 'Agents',
  'transfer.teams': 'Équipes',
  'transfer.choose': 'Choisissez un agent ou une équipe',
  'transfer.submit': 'Transférer',
  'invite.title': 'Inviter un agent',
  'invite.agent': 'Agent',
  'invite.choose': 'Choisissez un agent',
  'invite.submit': 'Inviter',
  'snooze.title': 'Mettre en attente',
  'snooze.hour': 'Pendant 1 heure',
  'snooze.tomorrow': 'Jusqu’à demain 9 h',
  'snooze.reply': 'Jusqu’à la réponse du client',
  'snooze.custom': 'Jusqu’à une date et une heure',
  'snooze.submit': 'Mettre en attente',
  'snooze.past': 'Choisissez un moment dans le futur.',
  'close.title': 'Fermer la conversation',
  'close.topic': 'Sujet',
  'close.topicPlaceholder': 'ex. Modification de réservation',
  'close.mood': 'Humeur du client',
  'close.moodChoose': 'Choisir…',
  'close.mood.satisfied': 'Satisfait',
  'close.mood.neutral': 'Neutre',
  'close.mood.unhappy': 'Mécontent',
  'close.mood.unsure': 'Je ne sais pas',
  'close.survey': 'Envoyer l’enquête de satisfaction',
  'close.submit': 'Fermer la conversation',
  'error.network': 'Serveur injoignable. Vérifiez votre connexion.',
  'error.http': 'Le serveur a répondu par une erreur ({status}).',
  'error.session': 'Votre session a expiré. Veuillez vous reconnecter.',
  'time.now': 'à l’instant',
  'toast.dismiss': 'Fermer',
  'agent.me': '{name} (moi)',
};

const dictionaries = { en, fr };

// LANGUAGES are the languages the app speaks, by code.
export const LANGUAGES = { en: 'English', fr: 'Français' };

const LANG_KEY = 'hub.lang';

function pickLang() {
  let chosen = null;
  try {
    chosen = localStorage.getItem(LANG_KEY);
  } catch {
    // storage blocked: follow the browser
  }
  if (chosen && dictionaries[chosen]) return chosen;
  const prefs = (navigator.languages && navigator.languages.length)
    ? navigator.languages : [navigator.language || 'en'];
  for (const p of prefs) {
    const base = String(p).toLowerCase().split('-')[0];
    if (dictionaries[base]) return base;
  }
  return 'en';
}

export const lang = pickLang();

// setLang remembers the user's choice and reloads the page in it.
export function setLang(code) {
  if (!dictionaries[code]) return;
  try {
    localStorage.setItem(LANG_KEY, code);
  } catch {
    // storage blocked: the choice lasts this page only
  }
  window.location.reload();
}

// extend adds a feature's strings: extend({ en: {...}, fr: {...} }).
// Feature modules call it at import time, before anything is rendered.
export function extend(more) {
  for (const [code, dict] of Object.entries(more)) {
    if (dictionaries[code]) Object.assign(dictionaries[code], dict);
  }
}

// t returns the translation of key with {placeholders} replaced from params.
export function t(key, params) {
  let s = (dictionaries[lang] && dictionaries[lang][key]) ?? en[key] ?? key;
  if (params) {
    s = s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  }
  return s;
}

// applyI18n fills elements marked with data-i18n (text), data-i18n-placeholder,
// data-i18n-label (aria-label) and data-i18n-title below root.
export function applyI18n(root) {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
  for (const el of root.querySelectorAll('[data-i18n-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  }
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}

const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto', style: 'short' });
const timeFmt = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' });
const dateFmt = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short' });
const fullFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
const dayFmt = new Intl.DateTimeFormat(lang, { weekday: 'long', day: 'numeric', month: 'long' });

function toDate(v) {
  if (!v) return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

// relativeTime renders "5 min ago", "yesterday", or a short date for old values.
export function relativeTime(v, now = Date.now()) {
  const d = toDate(v);
  if (!d) return '';
  const sec = Math.round((d.getTime() - now) / 1000);
  const abs = Math.abs(sec);
  if (abs < 45) return t('time.now');
  if (abs < 3600) return rtf.format(Math.round(sec / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(sec / 3600), 'hour');
  if (abs < 7 * 86400) return rtf.format(Math.round(sec / 86400), 'day');
  return dateFmt.format(d);
}

export function clockTime(v) {
  const d = toDate(v);
  return d ? timeFmt.format(d) : '';
}

export function fullTime(v) {
  const d = toDate(v);
  return d ? fullFmt.format(d) : '';
}

// dayLabel renders "Today", "Yesterday" or a long date, for message separators.
export function dayLabel(v) {
  const d = toDate(v);
  if (!d) return '';
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  const that = new Date(d);
  that.setHours(0, 0, 0, 0);
  const days = Math.round((today - that) / 86400000);
  if (days === 0) return t('day.today');
  if (days === 1) return t('day.yesterday');
  return dayFmt.format(d);
}

export function dayKey(v) {
  const d = toDate(v);
  return d ? `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}` : '';
}
