package bot

import (
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Patterns are the slow part of matching, so each one carries necessary
// conditions computed from its syntax tree when it is compiled; a message
// failing one is not run through the regexp. Both are exact: they never
// reject a message the regexp would match.
//
//   - required: strings in canonical case, one of which every match
//     contains ("chambre" or "room" for `(?:room|chambre)\s*\d+`);
//   - run: a sequence of ASCII character classes every match contains as
//     consecutive bytes (six digits for `[A-Z]{2}\d{6}`, "@" for an e-mail
//     address). Under (?i), k and s also match the Kelvin sign and the long
//     s; a message with either skips this check.

// maxRequired bounds the alternatives a required list checks.
const maxRequired = 16

// maxRun bounds the length of a class run.
const maxRun = 12

// requiredLiterals returns strings (in canonical case) one of which every
// match of re contains, or nil when no such short list is known.
func requiredLiterals(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{canonical(string(re.Rune))}
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiterals(re.Sub[0])
		}
	case syntax.OpConcat:
		// Any one required child will do; the one whose shortest
		// alternative is longest filters best.
		var best []string
		bestLen := 0
		for _, sub := range re.Sub {
			req := requiredLiterals(sub)
			if n := shortest(req); n > bestLen {
				best, bestLen = req, n
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			req := requiredLiterals(sub)
			if req == nil || len(all)+len(req) > maxRequired {
				return nil
			}
			all = append(all, req...)
		}
		return all
	}
	return nil
}

func shortest(ss []string) int {
	if len(ss) == 0 {
		return 0
	}
	n := len(ss[0])
	for _, s := range ss[1:] {
		n = min(n, len(s))
	}
	return n
}

// byteClass is a set of ASCII bytes.
type byteClass [2]uint64

func (c *byteClass) add(b rune)             { c[b>>6] |= 1 << (b & 63) }
func (c *byteClass) has(b byte) bool        { return b < utf8.RuneSelf && c[b>>6]&(1<<(b&63)) != 0 }
func (c *byteClass) meets(o byteClass) bool { return c[0]&o[0] != 0 || c[1]&o[1] != 0 }

// foldExtras are the non-ASCII runes (?i) adds to k and s; classes may
// contain them and still count as ASCII, see the comment above.
func foldExtra(r rune) bool { return r == '\u212A' || r == '\u017F' }

// classOf returns the ASCII class matching exactly what the single-rune
// node re matches, or not ok.
func classOf(re *syntax.Regexp) (byteClass, bool) {
	var c byteClass
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) != 1 {
			return c, false
		}
		r := re.Rune[0]
		if r >= utf8.RuneSelf {
			return c, false
		}
		c.add(r)
		if re.Flags&syntax.FoldCase != 0 {
			c.add(unicode.ToLower(r))
			c.add(unicode.ToUpper(r))
		}
		return c, true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if lo == hi && foldExtra(lo) {
				continue
			}
			if hi >= utf8.RuneSelf {
				return c, false
			}
			for r := lo; r <= hi; r++ {
				c.add(r)
			}
		}
		return c, true
	}
	return c, false
}

// runBuilder collects the runs of consecutive classes of an expression.
type runBuilder struct {
	cur  []byteClass
	best []byteClass
}

func (b *runBuilder) push(c byteClass, n int) {
	for ; n > 0 && len(b.cur) < maxRun; n-- {
		b.cur = append(b.cur, c)
	}
}

func (b *runBuilder) end() {
	if len(b.cur) > len(b.best) {
		b.best = b.cur
	}
	b.cur = nil
}

// walk adds re to the current run; what cannot be followed ends it.
func (b *runBuilder) walk(re *syntax.Regexp) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		// Zero width: the neighbours stay adjacent.
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			one := syntax.Regexp{Op: syntax.OpLiteral, Flags: re.Flags, Rune: []rune{r}}
			c, ok := classOf(&one)
			if !ok {
				b.end()
				continue
			}
			b.push(c, 1)
		}
	case syntax.OpCharClass:
		if c, ok := classOf(re); ok {
			b.push(c, 1)
		} else {
			b.end()
		}
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			b.walk(sub)
		}
	case syntax.OpCapture:
		b.walk(re.Sub[0])
	case syntax.OpPlus, syntax.OpStar, syntax.OpQuest, syntax.OpRepeat:
		lo, hi := re.Min, re.Max
		switch re.Op {
		case syntax.OpPlus:
			lo, hi = 1, -1
		case syntax.OpStar:
			lo, hi = 0, -1
		case syntax.OpQuest:
			lo, hi = 0, 1
		}
		if lo == 0 {
			b.end()
			return
		}
		if c, ok := classOf(re.Sub[0]); ok {
			// X{lo,hi}: the first lo copies follow what precedes, the
			// last lo copies precede what follows.
			b.push(c, lo)
			if hi != lo {
				b.end()
				b.push(c, lo)
			}
			return
		}
		// A longer X: its first copy follows what precedes.
		b.walk(re.Sub[0])
		if hi != 1 {
			b.end()
		}
	default:
		b.end()
	}
}

// classRun returns the longest run of consecutive ASCII classes every
// match of re contains, or nil.
func classRun(re *syntax.Regexp) []byteClass {
	var b runBuilder
	b.walk(re)
	b.end()
	return b.best
}

// textBytes is what the run check knows of a message: the ASCII bytes
// present, and whether the run check must be skipped.
type textBytes struct {
	present byteClass
	exotic  bool // the Kelvin sign or the long s
}

func scanBytes(text string) textBytes {
	var t textBytes
	for i := 0; i < len(text); i++ {
		if c := text[i]; c < utf8.RuneSelf {
			t.present.add(rune(c))
		}
	}
	t.exotic = strings.Contains(text, "\u212A") || strings.Contains(text, "\u017F")
	return t
}

// hasRun reports whether text contains consecutive bytes in run's classes.
func hasRun(text string, tb *textBytes, run []byteClass) bool {
	if tb.exotic {
		return true
	}
	for i := range run {
		if !run[i].meets(tb.present) {
			return false
		}
	}
	first := &run[0]
	for i := 0; i+len(run) <= len(text); i++ {
		if !first.has(text[i]) {
			continue
		}
		j := 1
		for j < len(run) && run[j].has(text[i+j]) {
			j++
		}
		if j == len(run) {
			return true
		}
	}
	return false
}

// canonical maps every character of s to one representative of its case
// folding class (the class regexp's (?i) matches): ASCII letters to lower
// case, "K" (Kelvin) to "k", "ſ" to "s", "É" to "É"'s smallest class member.
// Two strings match case-insensitively exactly when their canonical forms
// are equal.
func canonical(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(canonicalRune(r))
	}
	return b.String()
}

func canonicalRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < utf8.RuneSelf {
			return unicode.ToLower(f)
		}
		least = min(least, f)
	}
	return least
}
