package bot

import (
	"math/bits"
	"slices"
	"strings"
)

// languages the bot knows, as BotRule.Language and DetectLanguage spell
// them.
var languages = [...]string{"en", "fr", "it", "de", "es"}

// Languages returns the codes a rule's Language may take besides "" (any):
// "en", "fr", "it", "de", "es".
func Languages() []string { return slices.Clone(languages[:]) }

// stopWords are short, frequent words of each language (articles,
// pronouns, prepositions, common verbs, greetings and politeness), written
// folded. A word listed under several languages counts less (see
// DetectLanguage).
var stopWords = map[string]string{
	"en": `a an the and or but is are was were be been am i im you your he she it its we our they
		their my me this that these those there here what when where why how who which can could
		would will shall should do does did have has had to of for with on at from by in not no
		yes please pls thanks thank thx hello hi hey good morning evening want need like get any
		some if so also just about much many let us all s t d m ll ve re`,
	"fr": `le la les l un une des du de d et est c ce cet cette ces je j me te tu vous nous il ils
		elle elles on qu que qui quoi pour avec sur dans pas ne n mon ma mes ton ta votre vos
		notre nos leur bonjour bonsoir salut merci oui non si svp stp plait s y a au aux en se
		sa son ses voudrais veux voulons peux pouvez pourriez puis ai as avez avons sont etes
		suis comment quand ou pourquoi combien chez aussi tres mais donc deja encore`,
	"it": `il lo la l i gli le un uno una di da in con su per tra fra a e ed o che chi non no si
		se sono sei ho hai ha abbiamo avete hanno mi ti ci vi del dello della dell dei degli
		delle al allo alla all ai agli alle nel nello nella nell nei negli nelle sul sulla
		buongiorno buonasera ciao grazie prego vorrei voglio posso potete puoi quando dove come
		perche cosa questo questa quello anche ma piu gia molto qui c tu`,
	"de": `der die das den dem des ein eine einen einem einer und oder aber ist sind bin bist war
		ich du sie er es wir ihr uns mein meine meinen mit fur von zu zum zur auf im in an am da
		so also nicht kein keine bitte danke hallo guten tag morgen abend wie was wo wann warum
		kann konnen konnten mochte mochten habe haben hat auch noch schon gibt ja nein will sehr`,
	"es": `el la los las le les lo un una unos unas de del al a y o que en con por para es son
		esta estan hay yo tu usted ustedes mi mis su sus nos me te se no si hola buenos buenas
		dias tardes noches gracias favor quiero quisiera puedo puede pueden como cuando donde
		cual tengo tiene tienen muy pero tambien ya gustaria tres`,
}

// langBits maps a folded word to the languages (bit i is languages[i])
// whose stop-word list has it.
var langBits = func() map[string]uint8 {
	m := map[string]uint8{}
	for i, lang := range languages {
		for _, w := range strings.Fields(Fold(stopWords[lang])) {
			m[w] |= 1 << i
		}
	}
	return m
}()

// languageOf normalises a rule's language: "" for any, a known code, or
// not ok.
func languageOf(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", true
	}
	for _, l := range languages {
		if s == l {
			return l, true
		}
	}
	return "", false
}

// DetectLanguage guesses the language of a customer's message: "en", "fr",
// "it", "de", "es", or "" when unsure. The text is folded and every word
// found in a language's stop-word list scores for it: 2 points when the
// word belongs to that language only ("the", "je", "grazie", "ich",
// "hola"), 1 point to each language sharing it ("la", "de", "in", "no").
// The winner needs at least 2 points and strictly more than any other
// language, so "Merci !" is French, "la" or "wifi password" are "", and a
// tie is "".
func DetectLanguage(text string) string {
	var buf [64]string
	return detectWords(splitWords(Fold(text), buf[:0]))
}

func detectWords(words []string) string {
	var score [8]int
	for _, w := range words {
		set := langBits[w]
		if set == 0 {
			continue
		}
		pts := 1
		if bits.OnesCount8(set) == 1 {
			pts = 2
		}
		for i := range languages {
			if set&(1<<i) != 0 {
				score[i] += pts
			}
		}
	}
	best, second := -1, 0
	for i := range languages {
		switch {
		case best < 0 || score[i] > score[best]:
			if best >= 0 {
				second = score[best]
			}
			best = i
		case score[i] > second:
			second = score[i]
		}
	}
	if score[best] < 2 || score[best] == second {
		return ""
	}
	return languages[best]
}
