package bot

import (
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"hub/inbox"
)

// Spam defaults, used when the workspace settings leave them at 0.
const (
	DefaultSpamMaxMessages   = 20 // messages ...
	DefaultSpamWindowSeconds = 10 // ... within this many seconds
	DefaultSpamMaxRepeats    = 5  // identical messages in a row
	DefaultSpamMaxLinks      = 5  // links allowed in one message
)

// MaxRecentInbound is the most arrival times TrackInbound keeps; a
// SpamMaxMessages above it counts as MaxRecentInbound.
const MaxRecentInbound = 50

// Spam reasons returned by CheckSpam.
const (
	SpamRate      = "rate"      // too many messages in the window
	SpamRepeats   = "repeats"   // the same message too many times in a row
	SpamLinks     = "links"     // too many links in one message
	SpamBlocklist = "blocklist" // a blocked word, phrase or domain
)

// SpamInput is what CheckSpam looks at. The caller keeps the counters on
// the conversation with TrackInbound and RepeatKey.
type SpamInput struct {
	// Text is the new message as written.
	Text string
	// Settings: SpamMaxMessages, SpamWindowSeconds, SpamMaxRepeats,
	// SpamMaxLinks, SpamBlocklist.
	Settings inbox.WorkspaceSettings
	// RecentInbound are the arrival times of the contact's latest
	// messages, this one included (TrackInbound).
	RecentInbound []time.Time
	// RepeatCount is how many identical messages came in a row, this one
	// included: 1 when it differs from the previous one (RepeatKey).
	RepeatCount int
}

// CheckSpam applies the spam rules to one inbound message, in this order,
// and returns the first that fires:
//
//   - "rate": SpamMaxMessages (default 20) or more messages arrived within
//     SpamWindowSeconds (default 10) ending at the latest one, that is with
//     latest-t < window; the message exactly one window after another is
//     outside it;
//   - "repeats": RepeatCount reached SpamMaxRepeats (default 5); messages
//     without text (attachments) never count as repeats;
//   - "links": more than SpamMaxLinks (default 5) links in the message:
//     http:// and https:// addresses, www. addresses, and bare domains
//     with a common top-level domain ("example.com", "bit.ly") or a path
//     ("example.zz/offer");
//   - "blocklist": a SpamBlocklist entry occurs. An entry with a dot and no
//     space is a domain: it matches a domain written in the message (a
//     link, a bare domain, the part of an e-mail address after "@") equal
//     to it or under it ("spam.com" matches "www.spam.com" and
//     "a.spam.com"). Any other entry is a word or phrase matched like a
//     keyword (folded, whole words, a trailing "*" for a prefix).
//
// A negative setting turns its rule off. Limits of 1 count as 2: a single
// message is never a flood or a repeat.
func CheckSpam(in SpamInput) (spam bool, reason string) {
	s := in.Settings
	if maxN := limit(s.SpamMaxMessages, DefaultSpamMaxMessages); maxN > 0 {
		window := limit(s.SpamWindowSeconds, DefaultSpamWindowSeconds)
		if window > 0 && countWithin(in.RecentInbound, time.Duration(window)*time.Second) >= min(max(maxN, 2), MaxRecentInbound) {
			return true, SpamRate
		}
	}
	if maxN := limit(s.SpamMaxRepeats, DefaultSpamMaxRepeats); maxN > 0 &&
		strings.TrimSpace(in.Text) != "" && in.RepeatCount >= max(maxN, 2) {
		return true, SpamRepeats
	}
	maxLinks := limit(s.SpamMaxLinks, DefaultSpamMaxLinks)
	if maxLinks == 0 && len(s.SpamBlocklist) == 0 {
		return false, ""
	}
	hosts := findHosts(in.Text)
	if maxN := maxLinks; maxN > 0 {
		links := 0
		for _, h := range hosts {
			if h.link {
				links++
			}
		}
		if links > maxN {
			return true, SpamLinks
		}
	}
	if blocked(in.Text, hosts, s.SpamBlocklist) {
		return true, SpamBlocklist
	}
	return false, ""
}

// limit returns v, def when v is 0, or 0 (off) when v is negative.
func limit(v, def int) int {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

// countWithin counts the times less than window before the latest one.
func countWithin(times []time.Time, window time.Duration) int {
	if len(times) == 0 {
		return 0
	}
	latest := times[0]
	for _, t := range times[1:] {
		if t.After(latest) {
			latest = t
		}
	}
	n := 0
	for _, t := range times {
		if latest.Sub(t) < window {
			n++
		}
	}
	return n
}

// blocked reports whether text contains a blocklist entry.
func blocked(text string, hosts []host, list []string) bool {
	folded := ""
	foldedDone := false
	for _, entry := range list {
		entry = strings.ToLower(strings.TrimSpace(entry))
		if entry == "" {
			continue
		}
		if strings.Contains(entry, ".") && !strings.ContainsAny(entry, " \t") {
			domain := hostOf(entry)
			for _, h := range hosts {
				if h.name == domain || strings.HasSuffix(h.name, "."+domain) {
					return true
				}
			}
			continue
		}
		if !foldedDone {
			folded, foldedDone = Fold(text), true
		}
		prefix := strings.HasSuffix(entry, "*")
		if containsPhrase(folded, Fold(strings.TrimRight(entry, "*")), prefix) {
			return true
		}
	}
	return false
}

// TrackInbound returns recent with at added in time order, keeping the
// latest keep times (keep <= 0 or above MaxRecentInbound means
// MaxRecentInbound). recent is not modified. To let the rate rule work,
// keep at least SpamMaxMessages.
func TrackInbound(recent []time.Time, at time.Time, keep int) []time.Time {
	if keep <= 0 || keep > MaxRecentInbound {
		keep = MaxRecentInbound
	}
	i := len(recent)
	for i > 0 && recent[i-1].After(at) {
		i--
	}
	all := make([]time.Time, 0, len(recent)+1)
	all = append(all, recent[:i]...)
	all = append(all, at)
	all = append(all, recent[i:]...)
	if len(all) > keep {
		all = all[len(all)-keep:]
	}
	return all
}

// maxRepeatKey is the longest key RepeatKey returns.
const maxRepeatKey = 64

// RepeatKey is the form in which two messages count as the same for the
// repeats rule: the folded text ("Hello!!" and "hello" are the same), or
// for a message without letters or digits (emoji) the text with its
// blanks collapsed; "" for a message without text. Keys longer than 64
// bytes are cut and end with a hash of the whole, so they stay short to
// store and still tell long texts apart.
func RepeatKey(text string) string {
	key := Fold(text)
	if key == "" {
		key = strings.Join(strings.Fields(text), " ")
	}
	if len(key) <= maxRepeatKey {
		return key
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	cut := maxRepeatKey - 17
	for cut > 0 && key[cut]&0xC0 == 0x80 { // not inside a character
		cut--
	}
	return key[:cut] + "#" + strconv.FormatUint(h.Sum64(), 16)
}
