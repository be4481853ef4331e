package bot

import "strings"

// personTriggers are words and short phrases that, anywhere in a message,
// mean the customer wants a person. They are written naturally here and
// folded once when the package loads.
var personTriggers = []string{
	// English
	"agent", "agents", "human", "humans", "human being", "person", "real person",
	"someone", "somebody", "anyone there", "anybody there", "operator",
	"representative", "staff", "staff member", "receptionist",
	"speak to someone", "talk to a person", "customer service", "customer support",
	"customer care",
	// French
	"conseiller", "conseillère", "conseillers", "humain", "humains",
	"une personne", "vraie personne", "quelqu'un", "qqn", "opérateur", "opératrice",
	"parler à quelqu'un", "parler à un vrai", "parler à une vraie", "interlocuteur",
	"standardiste", "service client",
	// Italian
	"operatore", "operatrice", "persona", "umano", "essere umano", "qualcuno",
	"parlare con qualcuno", "assistente", "consulente", "servizio clienti",
	// German
	"mitarbeiter", "mitarbeiterin", "mensch", "menschen", "jemand", "jemanden",
	"jemandem", "berater", "beraterin", "sachbearbeiter", "sachbearbeiterin",
	"kundenservice", "kundendienst",
	// Spanish
	"agente", "humano", "ser humano", "alguien", "operador", "operadora",
	"asesor", "asesora", "atención al cliente",
	// Portuguese (the folding covers it, a few words cost nothing)
	"atendente", "falar com alguém",
}

// personExclusions are phrases in which a trigger does not ask for a person.
// A trigger occurrence lying entirely inside an exclusion occurrence is
// ignored; any other occurrence still counts. Most are head counts of a
// booking ("a room for one person") and professions ("travel agent").
var personExclusions = []string{
	// English
	"one person", "1 person", "single person", "per person", "each person",
	"every person", "extra person", "additional person", "in person",
	"for someone", "for somebody", "travel agent", "booking agent",
	"estate agent", "tour operator", "human resources",
	// French ("conseiller" is also the verb "to recommend")
	"pour une personne", "pour 1 personne", "d une personne",
	"une personne de plus", "une personne en plus", "une personne supplémentaire",
	"me conseiller", "nous conseiller", "vous conseiller", "te conseiller",
	"pour quelqu'un", "agent de voyage", "agent de voyages", "agent immobilier",
	// Italian
	"per una persona", "per 1 persona", "per persona", "a persona",
	"una persona in più", "persona in più", "una sola persona", "per qualcuno",
	"operatore turistico", "assistente virtuale", "assistente vocale",
	// German
	"für eine person", "für 1 person", "pro person", "je person",
	"eine person mehr", "zusätzliche person", "für jemand", "für jemanden",
	// Spanish
	"para una persona", "para 1 persona", "por persona", "una persona más",
	"una sola persona", "persona adicional", "para alguien",
	"agente de viajes", "operador turístico",
}

// phraseSet finds phrases (as word sequences) in a tokenised text, indexed
// by their first word.
type phraseSet map[string][][]string

func newPhraseSet(phrases []string) phraseSet {
	set := phraseSet{}
	for _, p := range phrases {
		words := strings.Fields(Fold(p))
		if len(words) == 0 {
			continue
		}
		set[words[0]] = append(set[words[0]], words)
	}
	return set
}

// span is the half-open word range [start, end) of a phrase occurrence.
type span struct{ start, end int }

// find returns every occurrence of every phrase in words.
func (s phraseSet) find(words []string, out []span) []span {
	for i, w := range words {
		for _, p := range s[w] {
			if i+len(p) > len(words) {
				continue
			}
			ok := true
			for j := 1; j < len(p); j++ {
				if words[i+j] != p[j] {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, span{i, i + len(p)})
			}
		}
	}
	return out
}

var (
	triggerSet   = newPhraseSet(personTriggers)
	exclusionSet = newPhraseSet(personExclusions)
)

// AsksForPerson reports whether the customer asks to talk to a person
// (agent, human, conseiller, operatore, Mitarbeiter, asesor, ...) in
// English, French, Italian, German or Spanish. The text is folded first, and
// words match whole ("agenda" and "personal" do not count). Head counts such
// as "a room for one person" or "chambre pour une personne" are not requests;
// see the package documentation for the list of decisions.
func AsksForPerson(text string) bool {
	return asksForPersonFolded(Fold(text))
}

func asksForPersonFolded(folded string) bool {
	var buf [64]string
	return asksForPersonWords(splitWords(folded, buf[:0]))
}

// asksForPersonWords is AsksForPerson on the words of folded text.
func asksForPersonWords(words []string) bool {
	if len(words) == 0 {
		return false
	}
	var buf [8]span
	triggers := triggerSet.find(words, buf[:0])
	if len(triggers) == 0 {
		return false
	}
	var buf2 [8]span
	exclusions := exclusionSet.find(words, buf2[:0])
	for _, t := range triggers {
		covered := false
		for _, e := range exclusions {
			if e.start <= t.start && t.end <= e.end {
				covered = true
				break
			}
		}
		if !covered {
			return true
		}
	}
	return false
}
