package bot

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"hub/inbox"
)

// firedRule runs Decide on text and returns the id of the rule that
// matched, or "".
func firedRule(t *testing.T, rules []inbox.BotRule, text string) string {
	t.Helper()
	in := Input{Conversation: inbox.Conversation{Status: inbox.StatusBot}, Message: inbox.Message{Text: text}}
	in.RuleSet = Compile(rules)
	compiled := matchedID(Decide(in))
	in.RuleSet, in.Rules = nil, rules
	if onTheFly := matchedID(Decide(in)); onTheFly != compiled {
		t.Errorf("%q: RuleSet fires %q, Rules fires %q", text, compiled, onTheFly)
	}
	return compiled
}

func matchedID(actions []Action) string {
	for _, a := range actions {
		if a.Type == ActionMatched {
			return a.RuleID
		}
	}
	return ""
}

func TestDecide_TriggerKinds(t *testing.T) {
	kw := rule("kw", 0, "kw", "check in", "wifi")
	pre := rule("pre", 0, "pre", "réserv*", "room serv*")
	ph := inbox.BotRule{ID: "ph", Answer: "ph", Enabled: true, Phrases: []string{"Late Check-Out", "petit déjeuner"}}
	pat := inbox.BotRule{ID: "pat", Answer: "pat", Enabled: true, Patterns: []string{`\b[A-Z]{2}\d{6}\b`, `chambre\s*n°\s*\d+`}}
	bad := inbox.BotRule{ID: "bad", Answer: "bad", Enabled: true, Patterns: []string{`(unclosed`, ``, `ok\d`}}
	blank := inbox.BotRule{ID: "blank", Answer: "blank", Enabled: true, Keywords: []string{"", "  ", "*", "!!"}, Phrases: []string{" "}}
	rules := []inbox.BotRule{kw, pre, ph, pat, bad, blank}
	tests := []struct{ text, want string }{
		{"What time is CHECK-IN?", "kw"},
		{"check inn", ""},
		{"wi-fi", ""},
		{"Je voudrais réserver", "pre"},
		{"reservations", "pre"},
		{"pre reserv", "pre"},
		{"is room service open", "pre"},
		{"room servers", "pre"},
		{"room", ""},
		{"Can I have a late check out?", "ph"},
		{"late checkout", ""},
		{"un PETIT-DÉJEUNER svp", "ph"},
		{"petit dejeuners", ""},
		{"My ref is ab123456.", "pat"},
		{"ref xab123456", ""},
		{"La Chambre N° 12 est froide", "pat"},
		{"la chambre n 12", ""},
		{"ok7", "bad"},
		{"(unclosed", ""},
		{"", ""},
		{"🙂", ""},
	}
	for _, tt := range tests {
		if got := firedRule(t, rules, tt.text); got != tt.want {
			t.Errorf("%q fired %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestDecide_Priorities(t *testing.T) {
	low := rule("low", 1, "low", "breakfast")
	highPattern := inbox.BotRule{ID: "highpat", Answer: "x", Enabled: true, Priority: 5, Patterns: []string{`break\w+`}}
	lowPattern := inbox.BotRule{ID: "lowpat", Answer: "x", Enabled: true, Priority: 0, Patterns: []string{`break\w+`}}
	off := inbox.BotRule{ID: "off", Answer: "x", Priority: 9, Phrases: []string{"breakfast"}}
	late := rule("late", 3, "late", "tomorrow")
	tests := []struct {
		name  string
		rules []inbox.BotRule
		text  string
		want  string
	}{
		{"keyword beats lower pattern", []inbox.BotRule{lowPattern, low}, "breakfast", "low"},
		{"pattern beats lower keyword", []inbox.BotRule{low, highPattern}, "breakfast", "highpat"},
		{"disabled never fires", []inbox.BotRule{off, low}, "breakfast", "low"},
		{"later word, higher priority", []inbox.BotRule{low, late}, "breakfast tomorrow", "late"},
		{"same pattern, two rules", []inbox.BotRule{lowPattern, highPattern}, "breakfast", "highpat"},
	}
	for _, tt := range tests {
		if got := firedRule(t, tt.rules, tt.text); got != tt.want {
			t.Errorf("%s: fired %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDecide_LanguageGating(t *testing.T) {
	fr := inbox.BotRule{ID: "fr", Answer: "Le petit déjeuner...", Enabled: true, Priority: 2, Language: "fr", Keywords: []string{"breakfast", "petit déjeuner"}}
	en := inbox.BotRule{ID: "en", Answer: "Breakfast...", Enabled: true, Priority: 1, Language: "EN", Keywords: []string{"breakfast"}}
	any := inbox.BotRule{ID: "any", Answer: "...", Enabled: true, Keywords: []string{"breakfast"}}
	unknown := inbox.BotRule{ID: "xx", Answer: "...", Enabled: true, Priority: 9, Language: "xx", Keywords: []string{"breakfast"}}
	rules := []inbox.BotRule{fr, en, any, unknown}
	tests := []struct{ text, want string }{
		{"À quelle heure est le breakfast ?", "fr"},
		{"What time is breakfast?", "en"},
		{"Wann gibt es breakfast bitte?", "any"},
		{"breakfast", "fr"}, // language unknown: any rule may fire
		{"le petit déjeuner", "fr"},
		{"is the petit déjeuner included?", ""},
	}
	for _, tt := range tests {
		if got := firedRule(t, rules, tt.text); got != tt.want {
			t.Errorf("%q (%q) fired %q, want %q", tt.text, DetectLanguage(tt.text), got, tt.want)
		}
	}
}

// bruteForce is the obvious matcher the index must agree with: every rule
// in order, every trigger tried.
func bruteForce(rules []inbox.BotRule, text string) string {
	folded := Fold(cut(text, MaxMatchBytes))
	if folded == "" {
		return ""
	}
	lang := DetectLanguage(text)
	sorted := slices.Clone(rules)
	slices.SortStableFunc(sorted, func(a, b inbox.BotRule) int { return compareRules(&a, &b) })
	for _, r := range sorted {
		rl, ok := languageOf(r.Language)
		if !r.Enabled || !ok || (!r.Handoff && strings.TrimSpace(r.Answer) == "") || (rl != "" && lang != "" && rl != lang) {
			continue
		}
		for _, kw := range r.Keywords {
			kw = strings.TrimSpace(kw)
			if containsPhrase(folded, Fold(strings.TrimRight(kw, "*")), strings.HasSuffix(kw, "*")) {
				return r.ID
			}
		}
		for _, ph := range r.Phrases {
			if containsPhrase(folded, Fold(ph), false) {
				return r.ID
			}
		}
		for _, p := range r.Patterns {
			if re, err := regexp.Compile("(?i)" + p); err == nil && strings.TrimSpace(p) != "" && re.MatchString(text) {
				return r.ID
			}
		}
	}
	return ""
}

func TestCompile_AgreesWithBruteForce(t *testing.T) {
	rules := benchRules(200)
	var vocab []string
	for _, topic := range benchTopics {
		for _, l := range topic[1:] {
			vocab = append(vocab, strings.Split(strings.TrimRight(strings.ReplaceAll(l, "*", ""), " "), "|")...)
		}
	}
	vocab = append(vocab, "AB123456", "order #123456", "12/05/2025", "ana@example.com", "+33 6 12 34 56 78",
		"chambre 12", "room n°4", "18h30", "3 nuits", "2 personas", "https://x.io/a", "€ 40", "75001",
		"the", "le", "der", "il", "el", "please", "merci", "bitte", "grazie", "gracias", "K", "ſ", "İ")
	rng := rand.New(rand.NewPCG(1, 2))
	texts := slices.Clone(benchMessages)
	for range 3000 {
		var words []string
		for range 1 + rng.IntN(12) {
			words = append(words, vocab[rng.IntN(len(vocab))])
		}
		texts = append(texts, strings.Join(words, []string{" ", ", ", "! ", " - "}[rng.IntN(4)]))
	}
	rs := Compile(rules)
	for _, text := range texts {
		in := Input{Conversation: inbox.Conversation{Status: inbox.StatusBot}, Message: inbox.Message{Text: text}, RuleSet: rs}
		if got, want := matchedID(Decide(in)), bruteForce(rules, text); got != want && !AsksForPerson(text) {
			t.Fatalf("%q: index fires %q, brute force %q", text, got, want)
		}
	}
}

func TestPrefilter_NeverRejectsAMatch(t *testing.T) {
	patterns := []string{
		`\b[A-Z]{2}\d{6}\b`, `order\s*#?\s*\d{5,}`, `[\w.+-]+@[\w-]+\.[a-z]{2,}`, `\+\d[\d ]{8,}\d`,
		`(?:room|chambre)\s*\d+`, `ks`, `SKY`, `(?-i:Ok)k`, `é\d`, `x[é]y`, `(ab)+c`, `(ab){2}c`,
		`a(b|cd)e`, `\d{1,2}[/.-]\d{1,2}`, `[^a]b`, `.z`, `(?:€|eur)\s*\d+`, `ß`, `straße`, `(?s)a.b`,
	}
	alphabet := []string{"a", "b", "c", "d", "e", "k", "K", "s", "S", "y", "x", "z", "O", "ok", "K", "ſ", "é", "É",
		"ß", "ẞ", "1", "2", "9", " ", "\n", "#", "@", ".", "+", "/", "€", "eur", "room", "chambre", "order", "-"}
	known := map[string][]string{
		`\b[A-Z]{2}\d{6}\b`:   {"ref ab123456.", "Kſ123456"},
		`order\s*#?\s*\d{5,}`: {"ORDER #12345", "order12345678"},
		`\+\d[\d ]{8,}\d`:     {"call +33 6 12 34 56 78"},
		`(ab){2}c`:            {"xABabC"},
		`straße`:              {"STRAẞE", "Straße"},
		`ks`:                  {"Kſ", "KS"},
		`SKY`:                 {"ſky"},
		`x[é]y`:               {"XÉY"},
		`é\d`:                 {"É1"},
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, p := range patterns {
		cp, ok := compilePattern(p)
		if !ok {
			t.Fatalf("%q does not compile", p)
		}
		for _, text := range known[p] {
			m := matcher{rs: &RuleSet{}, text: text}
			if !cp.re.MatchString(text) || !m.mayMatch(&cp) {
				t.Errorf("%q on %q: regexp %v, prefilter %v", p, text, cp.re.MatchString(text), m.mayMatch(&cp))
			}
		}
		for range 20000 {
			var b strings.Builder
			for range rng.IntN(14) {
				b.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
			text := b.String()
			m := matcher{rs: &RuleSet{}, text: text}
			if cp.re.MatchString(text) {
				if !m.mayMatch(&cp) {
					t.Fatalf("%q matches %q but the prefilter (required %q, run %d) rejects it", p, text, cp.required, len(cp.run))
				}
			}
		}
	}
}

func TestRuleSet_LenAndSkips(t *testing.T) {
	off := rule("off", 0, "x", "a")
	off.Enabled = false
	nothing := rule("nothing", 0, " ", "a")
	badLang := rule("badlang", 0, "x", "a")
	badLang.Language = "nl"
	rs := Compile([]inbox.BotRule{rule("ok", 0, "x", "a"), off, nothing, badLang})
	if rs.Len() != 1 {
		t.Fatalf("Len = %d, want 1", rs.Len())
	}
	var none *RuleSet
	if none.Len() != 0 {
		t.Fatal("nil RuleSet has rules")
	}
	// Compile does not reorder or change its input.
	rules := benchRules(30)
	before := fmt.Sprint(rules)
	Compile(rules)
	if fmt.Sprint(rules) != before {
		t.Fatal("Compile changed its input")
	}
}

// A RuleSet is shared by every message of a workspace: concurrent
// decisions must not race (run with -race) and must agree.
func TestRuleSet_ConcurrentUse(t *testing.T) {
	rs := Compile(benchRules(200))
	want := make([]string, len(benchMessages))
	for i, text := range benchMessages {
		want[i] = matchedID(Decide(benchInput(rs, text)))
	}
	errs := make(chan string, 8)
	for g := range 8 {
		go func() {
			for n := range 200 {
				i := (g + n) % len(benchMessages)
				if got := matchedID(Decide(benchInput(rs, benchMessages[i]))); got != want[i] {
					errs <- fmt.Sprintf("message %d: %q, want %q", i, got, want[i])
					return
				}
			}
			errs <- ""
		}()
	}
	for range 8 {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}
