package bot

import (
	"cmp"
	"strings"

	"hub/inbox"
)

// match is the rule that fires for a message and why.
type match struct {
	rule    *compiledRule
	kind    TriggerKind
	index   int    // position of the trigger in its BotRule list
	matched string // the folded words, or the text the pattern matched
}

// matcher finds the first rule, in evaluation order, that fires for one
// message. Rules are filed by position, so "earlier" is a smaller number
// and only rules before the best so far are ever looked at.
type matcher struct {
	rs *RuleSet
	// text is the message as written (patterns), words its folded words.
	text  string
	words []string
	// lang is the detected language, computed on first need.
	lang     string
	langDone bool
	// canon and bytes describe text for the pattern prefilters, computed
	// on first need; failed marks the patterns known not to match.
	canon     string
	canonDone bool
	bytes     textBytes
	bytesDone bool
	failed    []uint64
}

func (m *matcher) language() string {
	if !m.langDone {
		m.lang, m.langDone = detectWords(m.words), true
	}
	return m.lang
}

// fits reports whether rule i may fire in the message's language. A rule
// without a language always may; so may every rule when the language is
// not known.
func (m *matcher) fits(i int) bool {
	want := m.rs.rules[i].lang
	if want == "" {
		return true
	}
	got := m.language()
	return got == "" || got == want
}

// find returns the rule that fires, if any.
func (m *matcher) find() (match, bool) {
	rs := m.rs
	if rs == nil || len(rs.rules) == 0 || len(m.words) == 0 {
		return match{}, false
	}
	best := len(rs.rules) // position of the best rule so far; none yet
	var found match
	try := func(t *termRef, start, end int) {
		if t.rule >= best || !m.fits(t.rule) {
			return
		}
		best = t.rule
		found = match{rule: &rs.rules[t.rule], kind: t.kind, index: t.index,
			matched: strings.Join(m.words[start:end], " ")}
	}
	for i, w := range m.words {
		if best == 0 {
			break
		}
		for k := range rs.exact[w] {
			t := &rs.exact[w][k]
			if t.rule < best && wordsMatch(m.words[i+1:], t.rest, t.prefix) {
				try(t, i, i+1+len(t.rest))
			}
		}
		for _, n := range rs.prefixLens {
			if n > len(w) {
				break
			}
			for k := range rs.prefix[w[:n]] {
				try(&rs.prefix[w[:n]][k], i, i+1)
			}
		}
	}
	for _, pos := range rs.patterned {
		if pos >= best {
			break
		}
		if !m.fits(pos) {
			continue
		}
		r := &rs.rules[pos]
		for _, p := range r.patterns {
			if loc := m.pattern(p.id); loc != nil {
				return match{rule: r, kind: TriggerPattern, index: p.index, matched: m.text[loc[0]:loc[1]]}, true
			}
		}
	}
	return found, best < len(rs.rules)
}

// pattern runs pattern id on the message, unless a prefilter or an
// earlier try shows it does not match, and returns where it matched.
func (m *matcher) pattern(id int) []int {
	if m.failed == nil {
		m.failed = make([]uint64, (len(m.rs.patterns)+63)/64)
	}
	if m.failed[id/64]&(1<<(id%64)) != 0 {
		return nil
	}
	p := &m.rs.patterns[id]
	var loc []int
	if m.mayMatch(p) {
		loc = p.re.FindStringIndex(m.text)
	}
	if loc == nil {
		m.failed[id/64] |= 1 << (id % 64)
	}
	return loc
}

// mayMatch applies the prefilters of p.
func (m *matcher) mayMatch(p *compiledPattern) bool {
	if len(p.run) > 0 {
		if !m.bytesDone {
			m.bytes, m.bytesDone = scanBytes(m.text), true
		}
		if !hasRun(m.text, &m.bytes, p.run) {
			return false
		}
	}
	return len(p.required) == 0 || m.containsAny(p.required)
}

// containsAny reports whether the message contains one of the canonical
// literals.
func (m *matcher) containsAny(lits []string) bool {
	if !m.canonDone {
		m.canon, m.canonDone = canonical(m.text), true
	}
	for _, l := range lits {
		if strings.Contains(m.canon, l) {
			return true
		}
	}
	return false
}

// wordsMatch reports whether words starts with want; with prefix set the
// last wanted word may be the start of a longer word.
func wordsMatch(words, want []string, prefix bool) bool {
	if len(want) > len(words) {
		return false
	}
	for j, w := range want {
		if prefix && j == len(want)-1 {
			if !strings.HasPrefix(words[j], w) {
				return false
			}
		} else if words[j] != w {
			return false
		}
	}
	return true
}

// splitWords cuts folded text at its single spaces into buf.
func splitWords(folded string, buf []string) []string {
	for folded != "" {
		i := strings.IndexByte(folded, ' ')
		if i < 0 {
			return append(buf, folded)
		}
		buf = append(buf, folded[:i])
		folded = folded[i+1:]
	}
	return buf
}

// compareRules orders rules by Priority (highest first), then CreatedAt
// (oldest first), then ID, so the order never depends on how the store
// returned them.
func compareRules(a, b *inbox.BotRule) int {
	if c := cmp.Compare(b.Priority, a.Priority); c != 0 {
		return c
	}
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}
