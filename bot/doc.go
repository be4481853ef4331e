// Package bot is the hub's rule engine: given a conversation, the customer's
// new message, the workspace's rules and settings, Decide returns the
// actions the bot takes (reply with optional buttons, hand off, count a
// miss, reset the misses). The package also holds the pure spam
// heuristics (CheckSpam), language detection, business hours and rule
// validation used by the API.
//
// It is pure: no I/O, no goroutines, no clock (the time comes in
// Input.Now), no logging, no package state other than constant word lists
// built at load time. The one thing read from the system is time zone data
// (time.LoadLocation), only when business hours are set. It imports only
// the standard library and hub/inbox (for the types). The caller (package
// hub) loads the input and executes the actions in the order given.
//
// # Order of evaluation
//
//  1. The bot only speaks while the conversation's status is bot; for open,
//     pending, closed and spam Decide returns nil.
//  2. A numbered choice is read first: when the bot's previous message had
//     buttons (Input.LastButtons, else Conversation.LastButtons) and the
//     customer wrote only a number n ("2", "2.", "#2", "option 2", "2️⃣")
//     with 1 <= n <= len(buttons), the message is understood as the text of
//     button n, and an informative ActionChoice comes first. The button
//     text is matched once, like typed text, and never read again as a
//     number, so a rule whose button triggers itself fires once per message.
//  3. On the first message of a conversation (Input.First) the greeting, if
//     set, is sent. Evaluation goes on: the message may still ask for a
//     person or match a rule. If it matches nothing, the greeting was the
//     answer and no miss is counted.
//  4. A request for a person (AsksForPerson) wins over every rule: the
//     handoff notice is sent and the conversation handed off with reason
//     "requested" to the workspace queue. A rule whose keyword is "agent"
//     therefore never fires; teams are reached through rules that hand off.
//  5. Enabled rules are tried by Priority (highest first), then CreatedAt
//     (oldest first), then ID, so the result never depends on the order the
//     store returns them. The first rule that fires wins: ActionMatched
//     (the caller resets BotMisses), its answer with its buttons, and a
//     handoff with reason "rule" to its TeamID when the rule hands off. A
//     rule with neither an answer nor a handoff can do nothing and is
//     skipped.
//  6. Otherwise the message is a miss. When BotMisses+1 reaches
//     BotHandoffAfter (0 means DefaultHandoffAfter, 2) the handoff notice is
//     sent and the conversation handed off with reason "unmatched";
//     otherwise ActionMiss (the caller increments BotMisses) and the
//     fallback answer. A message with no words and no attachments (a lone
//     emoji, a "👍") is not a miss: the bot stays quiet. A message with only
//     attachments is a miss, since the bot cannot read them.
//
// Empty settings texts fall back to DefaultHandoffNotice, DefaultFallback
// and DefaultOutOfHoursNotice. Every text sent has {{contact.name}} and
// {{workspace.name}} filled (Fill); a reply that comes out empty is not
// sent. Decide returns at most MaxActions actions and reads at most
// MaxMatchBytes of a message, so no input makes it talk in a loop or work
// without bound.
//
// # Triggers
//
// A rule fires when any of its triggers matches and its language fits:
//   - Keywords: folded whole words ("check in" matches "Check-in?"); a
//     trailing "*" makes the last word a prefix ("réserv*" finds
//     "réservation").
//   - Phrases: the folded phrase occurs in the folded message on word
//     boundaries ("late check-out" matches "a LATE CHECK OUT?"); no "*".
//   - Patterns: Go regular expressions (RE2), case-insensitive, matched
//     against the message as written (button text for a numbered choice),
//     for references and numbers ("\b[A-Z]{2}\d{6}\b").
//   - Language: "" fits every message; "en", "fr", "it", "de" or "es" fits
//     when DetectLanguage returns that language, and also when it returns
//     "" (unsure): a short "wifi?" must not leave every rule silent. A rule
//     with an unknown language never fires.
//
// A message without letters or digits matches no rule. Blank triggers are
// ignored. ValidateRule checks a rule on save (a
// trigger, compilable patterns that do not match the empty text, a known
// language, an answer unless it hands off, at most 10 buttons of at most
// 64 characters); Compile skips what ValidateRule would refuse rather than
// fail.
//
// # Speed
//
// Compile builds a RuleSet once per change of the rules: enabled rules
// sorted once, keywords and phrases folded and filed under their first
// word (one-word prefixes under the prefix), patterns compiled once and
// shared between rules that use the same one. Deciding folds the message
// once, looks each of its words up in the index, so rules whose words are
// absent are never looked at, and then runs only the patterns of rules
// ranked before the best word match. Each pattern has exact prefilters
// (required literals, required runs of ASCII classes) so most never reach
// the regexp engine. Input.Rules without a RuleSet still works: the set is
// compiled for that one call.
//
// # Business hours
//
// IsOpen reads WorkspaceSettings.BusinessHours on the wall clock of
// TimeZone (unknown: UTC); no hours means always open, a span closing at
// or before its opening ends the next day. When the bot hands off outside
// business hours, for any reason, the out-of-hours notice replaces the
// handoff notice (after a rule handing off, it follows the rule's answer),
// the handoff action has OutOfHours set, and the conversation still
// queues for the team. A zero Input.Now counts as open.
//
// # Dry run
//
// Explain runs the same decision and reports which rule fired and by which
// trigger (the term as written and the text matched), the detected
// language, the numbered choice, business hours and the actions, for the
// admin's "try it".
//
// # Spam
//
// CheckSpam applies, in order, the message-rate, repeat, link-count and
// blocklist rules with the workspace's limits (defaults 20 messages in
// 10 s, 5 repeats, 5 links); TrackInbound and RepeatKey keep the counters
// the caller stores on the conversation. A negative limit turns its rule
// off.
//
// # Folding and matching
//
// Fold lower-cases, removes accents with an explicit table (é → e, ß → ss,
// œ → oe, æ → ae, ñ → n, ...; golang.org/x/text is deliberately not used),
// drops combining marks of decomposed text, turns apostrophes, punctuation
// and symbols into spaces, collapses spaces and trims. German umlauts fold
// to the bare vowel (ü → u), not to "ue": "für" and "fur" are the same word.
// Keywords and messages are folded the same way and keywords match whole
// words: "agent" does not match "agenda", "check in" matches "Check-in?",
// "quelqu'un" matches "quelqu’un". A keyword ending in "*" matches words
// starting with it ("réserv*" finds "réservation" and "reserver"). There is
// no stemming: "room" does not match "rooms" unless written "room*".
//
// # Requests for a person
//
// AsksForPerson looks for words and short phrases in English, French,
// Italian, German and Spanish (plus two Portuguese ones): agent, human,
// person, someone, operator, representative, staff, customer service;
// conseiller, humain, une personne, quelqu'un, opérateur, service client;
// operatore, persona, umano, qualcuno, assistente; Mitarbeiter, Mensch,
// jemand, Berater, Person, Sachbearbeiter; agente, persona, humano, alguien,
// operador, asesor. Negations ("I don't need an agent") are not analysed:
// handing off too often is cheaper than trapping a customer with the bot.
//
// A trigger does not count when it lies inside one of these exclusions (a
// second, uncovered occurrence in the same message still counts):
//   - head counts of a booking: "one person", "1 person", "per person",
//     "extra person", "pour une personne", "une personne de plus",
//     "per una persona", "a persona", "für eine Person", "pro Person",
//     "para una persona", "por persona", "una persona más";
//   - "in person" (pay in person), "for someone" / "pour quelqu'un" /
//     "per qualcuno" / "für jemanden" / "para alguien" (booking for someone
//     else);
//   - professions: "travel agent", "tour operator", "agent de voyage",
//     "operatore turistico", "agente de viajes", and "human resources";
//   - the French verb conseiller after a pronoun ("pouvez-vous me conseiller
//     un restaurant ?" asks for a recommendation, not an adviser);
//   - "assistente virtuale/vocale" (the customer talking about the bot).
//
// The bare French "un vrai" is not a trigger ("un vrai plaisir"); "parler à
// un vrai", "vraie personne" and "un vrai humain" (through "humain") are.
// Plural or inflected forms count only where listed ("personne" alone is
// also French for "nobody", "personnes" is a head count).
package bot
