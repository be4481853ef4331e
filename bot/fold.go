package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldTable maps lower-case accented letters to their base letters. Fold
// lower-cases first, so upper-case letters are covered too. It covers French,
// Italian, German, Spanish and Portuguese, plus a few neighbours (Nordic,
// Central European, Turkish) that cost nothing.
var foldTable = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ā': "a", 'ă': "a", 'ą': "a",
	'æ': "ae",
	'ç': "c", 'ć': "c", 'č': "c",
	'ď': "d", 'đ': "d", 'ð': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ē': "e", 'ė': "e", 'ę': "e", 'ě': "e",
	'ğ': "g",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ī': "i", 'į': "i", 'ı': "i",
	'ł': "l", 'ľ': "l",
	'ñ': "n", 'ń': "n", 'ň': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ō': "o", 'ő': "o",
	'œ': "oe",
	'ř': "r",
	'ß': "ss", 'ś': "s", 'š': "s", 'ş': "s",
	'ť': "t", 'þ': "th",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ū': "u", 'ů': "u", 'ű': "u",
	'ý': "y", 'ÿ': "y",
	'ź': "z", 'ż': "z", 'ž': "z",
}

// isApostrophe reports whether r is one of the apostrophes customers type
// ("quelqu'un", "l’hôtel", "dell‘albergo"). They separate words.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', '`', '´', '′':
		return true
	}
	return false
}

// Fold normalises text for matching: lower case, accents removed (é → e,
// ß → ss, œ → oe, ...), everything that is not a letter or a digit
// (punctuation, apostrophes, symbols, emoji) turned into a space, runs of
// spaces collapsed into one, and the result trimmed. Letters of other scripts
// are kept, lower-cased. Combining marks (decomposed accents) are dropped.
//
//	Fold("  Quelqu’un à l'accueil ?!") == "quelqu un a l accueil"
//	Fold("Check-IN") == "check in"
func Fold(s string) string {
	if isFolded(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a separator is pending
	emit := func(piece string) {
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteString(piece)
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				if space && b.Len() > 0 {
					b.WriteByte(' ')
				}
				space = false
				b.WriteByte(c)
			case c >= 'A' && c <= 'Z':
				if space && b.Len() > 0 {
					b.WriteByte(' ')
				}
				space = false
				b.WriteByte(c + ('a' - 'A'))
			default:
				space = true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case unicode.Is(unicode.Mn, r):
			// A combining accent of decomposed text: drop it, keep the
			// word together.
		case isApostrophe(r):
			space = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
			if base, ok := foldTable[r]; ok {
				emit(base)
			} else {
				emit(string(r))
			}
		default:
			space = true
		}
	}
	return b.String()
}

// isFolded reports whether s is already in folded form, so Fold can return
// it without allocating (rule keywords usually are).
func isFolded(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			prevSpace = false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		default:
			return false
		}
	}
	return true
}

// containsPhrase reports whether the folded phrase occurs in the folded text
// on word boundaries: "agent" is found in "an agent please" but not in
// "agenda". With prefix set, the phrase's last word may be the start of a
// longer word ("reserv" finds "reservation").
func containsPhrase(text, phrase string, prefix bool) bool {
	if phrase == "" {
		return false
	}
	for from := 0; from <= len(text)-len(phrase); {
		i := strings.Index(text[from:], phrase)
		if i < 0 {
			return false
		}
		start := from + i
		end := start + len(phrase)
		if (start == 0 || text[start-1] == ' ') &&
			(prefix || end == len(text) || text[end] == ' ') {
			return true
		}
		from = start + 1
	}
	return false
}
