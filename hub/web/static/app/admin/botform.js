// The bot rule form (create and edit) and the bot's strings.

import { extend, t } from '../i18n.js';
import { h, toast } from '../dom.js';
import { adminApi } from '../api.js';
import { field, formDialog, lines, intOf } from './ui.js';
import { variableButtons } from './canned.js';

extend({
  en: {
    'bot.add': 'Add a rule',
    'bot.addTitle': 'Add a bot rule',
    'bot.editTitle': 'Edit rule “{name}”',
    'bot.editLabel': 'Edit {name}',
    'bot.deleteLabel': 'Delete {name}',
    'bot.name': 'Rule name',
    'bot.nameHint': 'For you only, e.g. “Breakfast hours”.',
    'bot.when': 'When the guest writes…',
    'bot.whenHint': 'At least one keyword, phrase or pattern. Accents, capitals and punctuation are ignored.',
    'bot.keywords': 'Keywords (one per line)',
    'bot.keywordsHint': 'Whole words. End with * for any ending: book* matches booking and booked.',
    'bot.phrases': 'Phrases (one per line)',
    'bot.phrasesHint': 'Matched anywhere in the message, e.g. “late check out”.',
    'bot.patterns': 'Patterns (one per line, advanced)',
    'bot.patternsHint': 'Regular expressions (RE2 syntax, case-insensitive), e.g. room\\s*\\d+',
    'bot.language': 'Only for messages in',
    'bot.lang.any': 'Any language',
    'bot.lang.en': 'English',
    'bot.lang.fr': 'French',
    'bot.lang.it': 'Italian',
    'bot.lang.de': 'German',
    'bot.lang.es': 'Spanish',
    'bot.then': '…the bot answers',
    'bot.answer': 'Answer',
    'bot.answerHint': 'Optional when the rule hands over to a person. {{contact.name}} and {{workspace.name}} are filled in.',
    'bot.buttons': 'Quick replies (one per line, up to 10)',
    'bot.buttonsHint': 'Shown as buttons in the chat and on Telegram, as a numbered list by SMS.',
    'bot.handoff': 'Then hand over to a person',
    'bot.handoffHint': 'The conversation joins the queue; the bot stops answering.',
    'bot.team': 'Send to',
    'bot.team.none': 'The general queue',
    'bot.priority': 'Priority',
    'bot.priorityHint': 'When several rules match, the highest priority wins.',
    'bot.enabled': 'Rule enabled',
    'bot.created': 'Rule “{name}” added.',
    'bot.saved': 'Rule saved.',
  },
  fr: {
    'bot.add': 'Ajouter une règle',
    'bot.addTitle': 'Ajouter une règle du robot',
    'bot.editTitle': 'Modifier la règle « {name} »',
    'bot.editLabel': 'Modifier {name}',
    'bot.deleteLabel': 'Supprimer {name}',
    'bot.name': 'Nom de la règle',
    'bot.nameHint': 'Pour vous seulement, par ex. « Horaires du petit-déjeuner ».',
    'bot.when': 'Quand le client écrit…',
    'bot.whenHint': 'Au moins un mot-clé, une expression ou un motif. Accents, majuscules et ponctuation sont ignorés.',
    'bot.keywords': 'Mots-clés (un par ligne)',
    'bot.keywordsHint': 'Des mots entiers. Terminez par * pour toute fin : reserv* trouve reservation et reserver.',
    'bot.phrases': 'Expressions (une par ligne)',
    'bot.phrasesHint': 'Trouvées n’importe où dans le message, par ex. « départ tardif ».',
    'bot.patterns': 'Motifs (un par ligne, avancé)',
    'bot.patternsHint': 'Expressions régulières (syntaxe RE2, sans tenir compte de la casse), par ex. chambre\\s*\\d+',
    'bot.language': 'Seulement pour les messages en',
    'bot.lang.any': 'Toutes les langues',
    'bot.lang.en': 'anglais',
    'bot.lang.fr': 'français',
    'bot.lang.it': 'italien',
    'bot.lang.de': 'allemand',
    'bot.lang.es': 'espagnol',
    'bot.then': '…le robot répond',
    'bot.answer': 'Réponse',
    'bot.answerHint': 'Facultative si la règle passe la main à une personne. {{contact.name}} et {{workspace.name}} sont remplacés.',
    'bot.buttons': 'Réponses rapides (une par ligne, 10 au plus)',
    'bot.buttonsHint': 'Affichées en boutons dans le chat et sur Telegram, en liste numérotée par SMS.',
    'bot.handoff': 'Puis passer la main à une personne',
    'bot.handoffHint': 'La conversation rejoint la file ; le robot cesse de répondre.',
    'bot.team': 'Envoyer à',
    'bot.team.none': 'La file générale',
    'bot.priority': 'Priorité',
    'bot.priorityHint': 'Si plusieurs règles correspondent, la plus haute priorité l’emporte.',
    'bot.enabled': 'Règle active',
    'bot.created': 'Règle « {name} » ajoutée.',
    'bot.saved': 'Règle enregistrée.',
  },
});

export const RULE_LANGS = ['', 'en', 'fr', 'it', 'de', 'es'];

export function langName(code) {
  return code ? t(`bot.lang.${code}`) : t('bot.lang.any');
}

// ruleDialog opens the rule form; rule is null for a new one.
export function ruleDialog(rule, teams, done) {
  const r = rule || { name: '', keywords: [], phrases: [], patterns: [], language: '', answer: '', buttons: [], handoff: false, teamId: '', priority: 0, enabled: true };
  formDialog({
    title: rule ? t('bot.editTitle', { name: rule.name }) : t('bot.addTitle'), testid: 'dialog-bot-rule', wide: true,
    build(body, form) {
      const add = (name, o) => form.add(name, field({ testid: `rule-${name}`, ...o }));
      const list = (v) => (v || []).join('\n');
      add('name', { label: t('bot.name'), value: r.name, hint: t('bot.nameHint'), autocomplete: 'off' });
      add('keywords', { label: t('bot.keywords'), kind: 'textarea', rows: 3, value: list(r.keywords), hint: t('bot.keywordsHint'), spellcheck: 'false' });
      add('phrases', { label: t('bot.phrases'), kind: 'textarea', rows: 2, value: list(r.phrases), hint: t('bot.phrasesHint') });
      add('patterns', { label: t('bot.patterns'), kind: 'textarea', rows: 2, value: list(r.patterns), hint: t('bot.patternsHint'), spellcheck: 'false' });
      add('language', { label: t('bot.language'), kind: 'select', options: RULE_LANGS.map((c) => [c, langName(c)]), value: r.language || '' });
      add('answer', { label: t('bot.answer'), kind: 'textarea', rows: 4, value: r.answer, hint: t('bot.answerHint') });
      add('buttons', { label: t('bot.buttons'), kind: 'textarea', rows: 3, value: list(r.buttons), hint: t('bot.buttonsHint') });
      add('handoff', { label: t('bot.handoff'), kind: 'checkbox', value: r.handoff, hint: t('bot.handoffHint') });
      add('teamId', {
        label: t('bot.team'), kind: 'select', value: r.teamId || '',
        options: [['', t('bot.team.none')], ...teams.map((tm) => [tm.id, tm.name])],
      });
      add('priority', { label: t('bot.priority'), kind: 'number', step: 1, value: r.priority || 0, hint: t('bot.priorityHint') });
      add('enabled', { label: t('bot.enabled'), kind: 'checkbox', value: r.enabled });
      const f = (n) => form.get(n).wrap;
      const answer = form.get('answer');
      answer.wrap.insertBefore(variableButtons(answer.input), answer.input.nextSibling);
      const handoff = form.get('handoff').input;
      const team = form.get('teamId').input;
      const sync = () => { team.disabled = !handoff.checked; };
      handoff.addEventListener('change', sync);
      sync();
      body.append(
        h('div', { class: 'form-grid' }, f('name'), f('priority')),
        h('fieldset', { class: 'rule-when' }, h('legend', { text: t('bot.when') }),
          h('p', { class: 'field-hint', text: t('bot.whenHint') }), f('keywords'), f('phrases'), f('patterns'), f('language')),
        h('fieldset', { class: 'rule-then' }, h('legend', { text: t('bot.then') }),
          f('answer'), f('buttons'), f('handoff'), f('teamId')),
        f('enabled'));
    },
    async submit(form) {
      const v = (n) => form.get(n).value;
      const body = {
        name: v('name').trim(), keywords: lines(v('keywords')), phrases: lines(v('phrases')), patterns: lines(v('patterns')),
        language: v('language'), answer: v('answer'), buttons: lines(v('buttons')), handoff: v('handoff'),
        teamId: v('handoff') ? v('teamId') : '', priority: intOf(v('priority')), enabled: v('enabled'),
      };
      const saved = rule ? await adminApi.updateBotRule(rule.id, body) : await adminApi.createBotRule(body);
      toast(rule ? t('bot.saved') : t('bot.created', { name: saved.name || '' }), 'success');
      done();
    },
  });
}
