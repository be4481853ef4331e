package telegram

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Telegram's limits, in UTF-16 code units.
const (
	maxTextUnits    = 4096
	maxCaptionUnits = 1024
	// maxCallbackBytes is callback_data's limit, in bytes.
	maxCallbackBytes = 64
)

// runeUnits is r's length in UTF-16 code units (an invalid rune is sent
// as U+FFFD, one unit).
func runeUnits(r rune) int {
	if n := utf16.RuneLen(r); n > 0 {
		return n
	}
	return 1
}

// utf16Len is s's length as Telegram counts it.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += runeUnits(r)
	}
	return n
}

// splitText cuts s into parts of at most limit UTF-16 units. It cuts at
// the last newline of the window if that keeps at least half of it, else
// at the last space or tab in that half, else at any newline or space,
// else hard (never inside a rune). The newline or space cut at is dropped;
// parts made of white space only are left out.
func splitText(s string, limit int) []string {
	var parts []string
	add := func(p string) {
		if strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
	}
	for {
		end, units := len(s), 0
		for i, r := range s {
			w := runeUnits(r)
			if units+w > limit {
				end = i
				break
			}
			units += w
		}
		if end == len(s) {
			add(s)
			return parts
		}
		if end == 0 { // limit below one rune's width: take the rune anyway
			_, end = utf8.DecodeRuneInString(s)
		}
		window := s[:end]
		cut, skip := cutPoint(window)
		add(strings.TrimSuffix(window[:cut], "\r"))
		s = s[cut+skip:]
	}
}

// cutPoint picks where to cut window: the byte index and how many bytes
// (the separator) to drop there.
func cutPoint(window string) (cut, skip int) {
	half := len(window) / 2
	nl := strings.LastIndexByte(window, '\n')
	sp := strings.LastIndexAny(window, " \t")
	switch {
	case nl > 0 && nl >= half:
		return nl, 1
	case sp > 0 && sp >= half:
		return sp, 1
	case nl > 0:
		return nl, 1
	case sp > 0:
		return sp, 1
	}
	return len(window), 0
}

// cutUTF8 returns s's longest prefix of at most n bytes that ends on a rune
// boundary.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
