// The contact panel beside the open conversation: who the customer is
// (name, channel and handle, opted-out badge) and the details agents keep
// about them (email, phone, notes), saved with PATCH /contacts/:id.
// A toggle in the conversation header shows or hides it (remembered).

import { h, clear, toast } from './dom.js';
import { extend, t } from './i18n.js';
import { rest } from './rest.js';
import { contactName } from './state.js';
import { channelChip, channelLabel } from './list.js';

extend({
  en: {
    'contact.title': 'Contact',
    'contact.toggle': 'Contact details',
    'contact.channel': 'Channel',
    'contact.handle': 'Handle',
    'contact.email': 'Email',
    'contact.phone': 'Phone',
    'contact.notes': 'Notes',
    'contact.notesHint': 'Only agents see these notes.',
    'contact.save': 'Save',
    'contact.saving': 'Saving…',
    'contact.saved': 'Saved.',
    'contact.optedOut': 'Opted out (STOP)',
    'contact.optedOutHint': 'Replies are refused until the customer sends START.',
    'contact.loadFailed': 'The contact could not be loaded.',
  },
  fr: {
    'contact.title': 'Contact',
    'contact.toggle': 'Fiche contact',
    'contact.channel': 'Canal',
    'contact.handle': 'Identifiant',
    'contact.email': 'E-mail',
    'contact.phone': 'Téléphone',
    'contact.notes': 'Notes',
    'contact.notesHint': 'Seuls les agents voient ces notes.',
    'contact.save': 'Enregistrer',
    'contact.saving': 'Enregistrement…',
    'contact.saved': 'Enregistré.',
    'contact.optedOut': 'Désinscrit (STOP)',
    'contact.optedOutHint': 'Les réponses sont refusées jusqu’à ce que le client envoie START.',
    'contact.loadFailed': 'Le contact n’a pas pu être chargé.',
  },
});

const OPEN_KEY = 'hub.contactPanel';
const FIELDS = ['email', 'phone', 'notes'];

let panel = null;
let toggle = null;
const el = {}; // named parts of the panel
let contactId = null; // contact shown
let loadSeq = 0;
let dirty = false;

// initContact builds the panel at the end of view and its toggle in header.
export function initContact(view, header) {
  const field = (name, input, hint) => h('div', { class: 'form-row' },
    h('label', { for: `contact-${name}`, text: t(`contact.${name}`) }), input, hint || null);
  el.name = h('p', { class: 'contact-name', 'data-testid': 'contact-name' });
  el.channel = h('dd', { 'data-testid': 'contact-channel' });
  el.handle = h('dd', { class: 'handle', 'data-testid': 'contact-handle' });
  el.optedOut = h('p', { class: 'opted-out-note', 'data-testid': 'contact-opted-out', hidden: true },
    h('span', { class: 'badge opted-out', text: t('contact.optedOut') }), ' ', t('contact.optedOutHint'));
  el.email = h('input', { id: 'contact-email', type: 'email', autocomplete: 'off', maxlength: '200', 'data-testid': 'contact-email' });
  el.phone = h('input', { id: 'contact-phone', type: 'tel', autocomplete: 'off', maxlength: '40', 'data-testid': 'contact-phone' });
  el.notes = h('textarea', {
    id: 'contact-notes', rows: '5', maxlength: '4000', 'data-testid': 'contact-notes', 'aria-describedby': 'contact-notes-hint',
  });
  el.status = h('span', { class: 'contact-status', role: 'status', 'data-testid': 'contact-status' });
  el.save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'contact-save', text: t('contact.save') });
  el.form = h('form', { class: 'contact-form', 'data-testid': 'contact-form', novalidate: true, onsubmit: save },
    field('email', el.email),
    field('phone', el.phone),
    field('notes', el.notes, h('p', { id: 'contact-notes-hint', class: 'hint', text: t('contact.notesHint') })),
    h('div', { class: 'contact-actions' }, el.save, el.status));
  for (const f of FIELDS) {
    el[f].addEventListener('input', () => {
      dirty = true;
      el.status.textContent = '';
    });
  }
  panel = h('aside', {
    id: 'contact-panel', class: 'contact-panel', 'data-testid': 'contact-panel', 'aria-labelledby': 'contact-heading',
  },
  h('h3', { id: 'contact-heading', text: t('contact.title') }),
  el.name,
  h('dl', { class: 'contact-facts' },
    h('dt', { text: t('contact.channel') }), el.channel,
    h('dt', { text: t('contact.handle') }), el.handle),
  el.optedOut,
  el.form);
  view.appendChild(panel);

  toggle = h('button', {
    type: 'button', class: 'contact-toggle', 'data-testid': 'contact-toggle', 'aria-controls': 'contact-panel',
    text: t('contact.toggle'), onclick: () => setOpen(panel.hidden),
  });
  header.appendChild(toggle);
  // On a phone the panel covers the messages: it starts closed there.
  let open = !window.matchMedia('(max-width: 640px)').matches;
  try {
    if (open) open = localStorage.getItem(OPEN_KEY) !== 'closed';
  } catch {
    // storage blocked: open
  }
  setOpen(open, false);
}

function setOpen(open, remember = true) {
  panel.hidden = !open;
  toggle.setAttribute('aria-expanded', String(open));
  document.body.classList.toggle('contact-open', open);
  if (!remember) return;
  try {
    localStorage.setItem(OPEN_KEY, open ? 'open' : 'closed');
  } catch {
    // storage blocked: this page only
  }
}

// showContact shows conv's customer; the details load when the contact
// changes (a new conversation), the rest follows conv live.
export function showContact(conv) {
  if (!panel || !conv) return;
  const c = conv.contact || {};
  el.name.textContent = contactName(conv);
  clear(el.channel);
  const channel = conv.channel || {};
  el.channel.append(channelChip(channel), ' ', channel.name || channelLabel(channel.type));
  el.handle.textContent = c.handle || '—';
  el.optedOut.hidden = !conv.optedOut;
  if (c.id !== contactId) load(c.id);
}

export function hideContact() {
  contactId = null;
  loadSeq++;
}

async function load(id) {
  contactId = id || null;
  dirty = false;
  const seq = ++loadSeq;
  for (const f of FIELDS) el[f].value = '';
  el.status.textContent = '';
  el.form.hidden = !id;
  if (!id) return;
  el.form.setAttribute('aria-busy', 'true');
  try {
    const ct = await rest.contact(id);
    if (seq !== loadSeq) return;
    fill(ct);
  } catch (err) {
    if (seq === loadSeq && err.status !== 401) el.status.textContent = t('contact.loadFailed');
  } finally {
    if (seq === loadSeq) el.form.removeAttribute('aria-busy');
  }
}

function fill(ct) {
  if (dirty) return; // the agent's typing wins
  for (const f of FIELDS) el[f].value = (ct && ct[f]) || '';
}

async function save(e) {
  e.preventDefault();
  if (!contactId || el.save.disabled) return;
  if (!el.form.reportValidity()) return;
  const id = contactId;
  const seq = loadSeq;
  const body = {};
  for (const f of FIELDS) body[f] = el[f].value.trim();
  el.save.disabled = true;
  el.status.textContent = t('contact.saving');
  try {
    const ct = await rest.saveContact(id, body);
    if (seq !== loadSeq) return;
    dirty = false;
    fill(ct);
    el.status.textContent = t('contact.saved');
  } catch (err) {
    if (seq === loadSeq) el.status.textContent = '';
    toast(err.message, 'error');
  } finally {
    el.save.disabled = false;
  }
}
