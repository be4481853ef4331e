package bot

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"

	"hub/inbox"
)

// MaxButtons is the most quick replies a rule may offer.
const MaxButtons = 10

// TriggerKind says which kind of trigger made a rule fire.
type TriggerKind string

// Trigger kinds.
const (
	TriggerKeyword TriggerKind = "keyword"
	TriggerPhrase  TriggerKind = "phrase"
	TriggerPattern TriggerKind = "pattern"
)

// RuleSet is a workspace's rules compiled for Decide: enabled rules only,
// sorted once, keywords and phrases folded and indexed by their first word,
// patterns compiled once, the message's language detected only when a
// candidate rule has one. A RuleSet is never modified after Compile and is
// safe for concurrent use; the caller builds one when the rules change and
// passes it in Input.RuleSet for every message.
type RuleSet struct {
	rules []compiledRule
	// exact finds the terms whose first folded word is the key (every
	// term except the one-word prefix keywords).
	exact map[string][]termRef
	// prefix finds one-word prefix keywords ("book*") by their prefix;
	// prefixLens are the distinct prefix lengths, ascending, so a message
	// word is only cut at lengths that exist.
	prefix     map[string][]termRef
	prefixLens []int
	// patterns are the distinct compiled patterns.
	patterns []compiledPattern
	// patterned lists the positions of the rules that have patterns,
	// ascending (that is, in evaluation order).
	patterned []int
}

// compiledRule is one enabled rule ready for matching.
type compiledRule struct {
	rule     inbox.BotRule
	lang     string
	buttons  []string
	patterns []patternRef
}

// compiledPattern is a case-insensitive regexp with its prefilters (see
// prefilter.go).
type compiledPattern struct {
	re       *regexp.Regexp
	required []string
	run      []byteClass
}

// patternRef is one pattern of a rule: its position in BotRule.Patterns
// and in RuleSet.patterns, where identical patterns of several rules (the
// same booking reference in each language) are compiled, and tried for a
// message, once.
type patternRef struct {
	index int
	id    int
}

// termRef is one folded keyword or phrase of a rule, filed under its first
// word. rest are the following words; with prefix set the last word may be
// the start of a longer message word.
type termRef struct {
	rule   int // position in RuleSet.rules
	kind   TriggerKind
	index  int // position in BotRule.Keywords or BotRule.Phrases
	rest   []string
	prefix bool
}

// Compile prepares rules for Decide. Disabled rules, rules that can do
// nothing (no answer and no handoff) and rules restricted to an unknown
// language are left out; so are keywords and phrases that fold to nothing
// and patterns that do not compile (ValidateRule refuses them on save).
// The rules slice is not modified.
func Compile(rules []inbox.BotRule) *RuleSet {
	order := make([]int, 0, len(rules))
	for i := range rules {
		r := &rules[i]
		if r.Enabled && (r.Handoff || strings.TrimSpace(r.Answer) != "") {
			if _, ok := languageOf(r.Language); ok {
				order = append(order, i)
			}
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return compareRules(&rules[a], &rules[b]) })

	rs := &RuleSet{
		rules:  make([]compiledRule, 0, len(order)),
		exact:  make(map[string][]termRef),
		prefix: make(map[string][]termRef),
	}
	patternIDs := map[string]int{}
	for _, i := range order {
		r := rules[i]
		// The set keeps its own copy: later changes to rules do not
		// reach it.
		r.Keywords, r.Phrases, r.Patterns = slices.Clone(r.Keywords), slices.Clone(r.Phrases), slices.Clone(r.Patterns)
		pos := len(rs.rules)
		lang, _ := languageOf(r.Language)
		cr := compiledRule{rule: r, lang: lang, buttons: cleanButtons(r.Buttons)}
		cr.rule.Buttons = cr.buttons
		for k, kw := range r.Keywords {
			kw = strings.TrimSpace(kw)
			prefix := strings.HasSuffix(kw, "*")
			rs.addTerm(termRef{rule: pos, kind: TriggerKeyword, index: k, prefix: prefix}, strings.TrimRight(kw, "*"))
		}
		for k, ph := range r.Phrases {
			rs.addTerm(termRef{rule: pos, kind: TriggerPhrase, index: k}, ph)
		}
		for k, p := range r.Patterns {
			id, seen := patternIDs[p]
			if !seen {
				id = -1
				if cp, ok := compilePattern(p); ok {
					id = len(rs.patterns)
					rs.patterns = append(rs.patterns, cp)
				}
				patternIDs[p] = id
			}
			if id >= 0 {
				cr.patterns = append(cr.patterns, patternRef{index: k, id: id})
			}
		}
		if len(cr.patterns) > 0 {
			rs.patterned = append(rs.patterned, pos)
		}
		rs.rules = append(rs.rules, cr)
	}
	slices.Sort(rs.prefixLens)
	return rs
}

// Len is the number of rules that can fire.
func (rs *RuleSet) Len() int {
	if rs == nil {
		return 0
	}
	return len(rs.rules)
}

// addTerm folds text and files t under its first word.
func (rs *RuleSet) addTerm(t termRef, text string) {
	words := strings.Fields(Fold(text))
	if len(words) == 0 {
		return
	}
	t.rest = words[1:]
	if t.prefix && len(words) == 1 {
		key := words[0]
		if _, seen := rs.prefix[key]; !seen && !slices.Contains(rs.prefixLens, len(key)) {
			rs.prefixLens = append(rs.prefixLens, len(key))
		}
		rs.prefix[key] = append(rs.prefix[key], t)
		return
	}
	rs.exact[words[0]] = append(rs.exact[words[0]], t)
}

// cleanButtons trims the buttons, drops blank ones and keeps at most
// MaxButtons. It returns nil when none is left.
func cleanButtons(buttons []string) []string {
	var out []string
	for _, b := range buttons {
		if b = strings.TrimSpace(b); b != "" && len(out) < MaxButtons {
			out = append(out, b)
		}
	}
	return out
}

// compilePattern compiles p case-insensitively. A blank or invalid pattern
// is reported as not ok.
func compilePattern(p string) (compiledPattern, bool) {
	if strings.TrimSpace(p) == "" {
		return compiledPattern{}, false
	}
	re, err := regexp.Compile("(?i)" + p)
	if err != nil {
		return compiledPattern{}, false
	}
	cp := compiledPattern{re: re}
	if tree, err := syntax.Parse("(?i)"+p, syntax.Perl); err == nil {
		cp.required = requiredLiterals(tree)
		cp.run = classRun(tree)
	}
	return cp, true
}
