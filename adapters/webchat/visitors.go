package webchat

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"hub/adapters"
)

const (
	maxPageURLLen = 2048 // bytes
	maxTitleChars = 300  // runes; longer titles are cut
)

// VisitorInfo is a visitor with the widget loaded on one of the channel's
// sites right now.
type VisitorInfo struct {
	ChannelID string
	VisitorID string
	// Page is the address of the page the visitor was last active on,
	// Title its title; both empty until the widget reported a page.
	Page  string
	Title string
	// ConnectedAt is when the visitor arrived (their first socket opened).
	ConnectedAt time.Time
	// OnPageSince is when they arrived on Page.
	OnPageSince time.Time
	// LastSeen is when the last frame from any of their sockets came.
	LastSeen time.Time
	// Tabs is the number of sockets they have open.
	Tabs int
}

// Visitors lists the channel's connected visitors, earliest arrival first.
func (a *Adapter) Visitors(channelID string) []VisitorInfo {
	a.mu.Lock()
	visitors := a.conns[channelID]
	out := make([]VisitorInfo, 0, len(visitors))
	for id, set := range visitors {
		out = append(out, summarize(channelID, id, set))
	}
	a.mu.Unlock()
	slices.SortFunc(out, func(x, y VisitorInfo) int {
		return cmp.Or(x.ConnectedAt.Compare(y.ConnectedAt), strings.Compare(x.VisitorID, y.VisitorID))
	})
	return out
}

// summarize folds a visitor's sockets into one entry. The page shown is
// that of the socket that reported a page last. Call with a.mu held.
func summarize(channelID, visitorID string, set map[*client]struct{}) VisitorInfo {
	v := VisitorInfo{ChannelID: channelID, VisitorID: visitorID, Tabs: len(set)}
	var shown *client
	for cl := range set {
		if v.ConnectedAt.IsZero() || cl.openedAt.Before(v.ConnectedAt) {
			v.ConnectedAt = cl.openedAt
		}
		if cl.lastFrame.After(v.LastSeen) {
			v.LastSeen = cl.lastFrame
		}
		if cl.page != "" && (shown == nil || cl.pageSeq > shown.pageSeq) {
			shown = cl
		}
	}
	if shown != nil {
		v.Page, v.Title, v.OnPageSince = shown.page, shown.title, shown.pageAt
	}
	return v
}

// touch records that a frame came from cl.
func (a *Adapter) touch(cl *client) {
	a.mu.Lock()
	cl.lastFrame = a.now()
	a.mu.Unlock()
}

// notePage records a page frame: the page cl shows now. The widget sends
// one on connect, on every change of address or title, and when its tab
// comes back to the foreground (which makes it the visitor's active page).
func (a *Adapter) notePage(cl *client, rawURL, title string) error {
	page, ok := cleanPageURL(rawURL)
	if !ok {
		return adapters.Errorf(http.StatusBadRequest, "invalid_page", "url must be an absolute http(s) address of at most %d bytes", maxPageURLLen)
	}
	title = cleanTitle(title)
	a.mu.Lock()
	now := a.now()
	moved := cl.page != page
	if moved {
		cl.pageAt = now
		if cl.page == "" && cl.prevPage == page {
			cl.pageAt = cl.prevPageAt // back on the page they were on a moment ago
		}
		cl.page = page
	}
	cl.prevPage, cl.prevPageAt = "", time.Time{}
	cl.title = title
	a.pageSeq++
	cl.pageSeq = a.pageSeq
	a.mu.Unlock()
	// The level is checked first because this runs on the socket's reader:
	// even a disabled Debug call takes about 1 KB of stack, most of what is
	// left below the reader's 4 KB (see decode.go).
	if moved && a.log.Enabled(context.Background(), slog.LevelDebug) {
		a.log.Debug("webchat: page view", "channel", cl.channelID, "visitor", cl.visitorID, "url", page)
	}
	return nil
}

// cleanPageURL accepts an absolute http or https address and drops any
// user:password from it.
func cleanPageURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > maxPageURLLen {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	u.User = nil
	// Parsing re-escapes the address ("é" → "%C3%A9"), which can make
	// it longer than the limit checked above: check what is kept.
	page := u.String()
	if len(page) > maxPageURLLen {
		return "", false
	}
	return page, true
}

// cleanTitle turns control characters into spaces, trims and cuts the
// title to maxTitleChars.
func cleanTitle(s string) string {
	s = strings.TrimSpace(strings.Map(controlToSpace, s))
	if utf8.RuneCountInString(s) <= maxTitleChars {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:maxTitleChars]))
}
