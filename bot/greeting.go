package bot

// greetingWords are salutations and politeness in the five languages: a
// first message made only of them asks nothing, so the greeting answers it.
var greetingWords = map[string]bool{
	"hello": true, "hi": true, "hey": true, "good": true, "morning": true, "afternoon": true, "evening": true,
	"bonjour": true, "bonsoir": true, "salut": true, "coucou": true,
	"ciao": true, "buongiorno": true, "buonasera": true, "salve": true,
	"hallo": true, "guten": true, "tag": true, "morgen": true, "abend": true, "servus": true, "moin": true,
	"hola": true, "buenos": true, "buenas": true, "dias": true, "tardes": true, "noches": true,
	"there": true, "all": true, "please": true, "thanks": true, "merci": true, "grazie": true, "danke": true, "gracias": true,
}

// onlyGreeting reports whether the folded words are all salutations (or
// there are none).
func onlyGreeting(words []string) bool {
	for _, w := range words {
		if !greetingWords[w] {
			return false
		}
	}
	return true
}
