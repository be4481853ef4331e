// Package bot is the hub's rule engine: given a conversation, the customer's
// new message, the workspace's rules and settings, Decide returns the
// actions the bot takes (reply, hand off, count a miss, reset the misses).
//
// It is pure: no I/O, no goroutines, no clock, no logging, no package state
// other than constant word lists built at load time. It imports only the
// standard library and hub/inbox (for the types). The caller (package hub)
// loads the input and executes the actions in the order given.
//
// # Order of evaluation
//
//  1. The bot only speaks while the conversation's status is bot; for open,
//     pending, closed and spam Decide returns nil.
//  2. On the first message of a conversation (Input.First) the greeting, if
//     set, is sent first. Evaluation goes on: the message may still ask for a
//     person or match a rule. If it matches nothing, the greeting was the
//     answer and no miss is counted.
//  3. A request for a person (AsksForPerson) wins over every rule: the
//     handoff notice is sent and the conversation handed off with reason
//     "requested" to the workspace queue. A rule whose keyword is "agent"
//     therefore never fires; teams are reached through rules that hand off.
//  4. Enabled rules are tried by Priority (highest first), then CreatedAt
//     (oldest first), then ID, so the result never depends on the order the
//     store returns them. The first rule with a keyword in the message wins:
//     ActionMatched (the caller resets BotMisses), its answer, and a handoff
//     with reason "rule" to its TeamID when the rule hands off. A rule with
//     neither an answer nor a handoff can do nothing and is skipped.
//  5. Otherwise the message is a miss. When BotMisses+1 reaches
//     BotHandoffAfter (0 means DefaultHandoffAfter, 2) the handoff notice is
//     sent and the conversation handed off with reason "unmatched";
//     otherwise ActionMiss (the caller increments BotMisses) and the
//     fallback answer. A message with no words and no attachments (a lone
//     emoji, a "👍") is not a miss: the bot stays quiet. A message with only
//     attachments is a miss, since the bot cannot read them.
//
// Empty settings texts fall back to DefaultHandoffNotice and DefaultFallback.
// Every text sent has {{contact.name}} and {{workspace.name}} filled (Fill);
// a reply that comes out empty is not sent.
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
