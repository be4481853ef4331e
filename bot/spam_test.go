package bot

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"hub/inbox"
)

// arrivals returns n times step apart, the last at end.
func arrivals(n int, step time.Duration, end time.Time) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		out[i] = end.Add(-time.Duration(n-1-i) * step)
	}
	return out
}

func TestCheckSpam_Rate(t *testing.T) {
	end := time.Date(2025, 5, 1, 12, 0, 10, 0, time.UTC)
	flood := arrivals(20, 500*time.Millisecond, end) // 20 messages in 9.5 s
	tests := []struct {
		name     string
		recent   []time.Time
		settings inbox.WorkspaceSettings
		want     bool
	}{
		{"19 messages in 10 s", arrivals(19, 500*time.Millisecond, end), inbox.WorkspaceSettings{}, false},
		{"20 messages in 9.5 s", flood, inbox.WorkspaceSettings{}, true},
		{"20 messages, the first exactly 10 s before the last", append([]time.Time{end.Add(-10 * time.Second)}, arrivals(19, 500*time.Millisecond, end)...), inbox.WorkspaceSettings{}, false},
		{"20 messages, the first 9.999 s before", append([]time.Time{end.Add(-9999 * time.Millisecond)}, arrivals(19, 500*time.Millisecond, end)...), inbox.WorkspaceSettings{}, true},
		{"21st after the window", append(append([]time.Time{}, flood...), end.Add(10*time.Second)), inbox.WorkspaceSettings{}, false},
		{"21st inside the window", append(append([]time.Time{}, flood...), end.Add(400*time.Millisecond)), inbox.WorkspaceSettings{}, true},
		{"21st 1 s later: 19 left in its window", append(append([]time.Time{}, flood...), end.Add(time.Second)), inbox.WorkspaceSettings{}, false},
		{"out of order", append([]time.Time{end}, arrivals(19, 100*time.Millisecond, end.Add(-time.Second))...), inbox.WorkspaceSettings{}, true},
		{"custom: 3 in 2 s", arrivals(3, 900*time.Millisecond, end), inbox.WorkspaceSettings{SpamMaxMessages: 3, SpamWindowSeconds: 2}, true},
		{"custom: 3 in 2.2 s", arrivals(3, 1100*time.Millisecond, end), inbox.WorkspaceSettings{SpamMaxMessages: 3, SpamWindowSeconds: 2}, false},
		{"off", flood, inbox.WorkspaceSettings{SpamMaxMessages: -1}, false},
		{"window off", flood, inbox.WorkspaceSettings{SpamWindowSeconds: -1}, false},
		{"a limit of 1 counts as 2", arrivals(1, 0, end), inbox.WorkspaceSettings{SpamMaxMessages: 1}, false},
		{"a limit above 50 counts as 50", arrivals(50, 100*time.Millisecond, end), inbox.WorkspaceSettings{SpamMaxMessages: 100}, true},
		{"no history", nil, inbox.WorkspaceSettings{}, false},
	}
	for _, tt := range tests {
		spam, reason := CheckSpam(SpamInput{Text: "hi", Settings: tt.settings, RecentInbound: tt.recent, RepeatCount: 1})
		if spam != tt.want || (spam && reason != SpamRate) {
			t.Errorf("%s: %v %q, want %v", tt.name, spam, reason, tt.want)
		}
	}
}

func TestCheckSpam_Repeats(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		count    int
		settings inbox.WorkspaceSettings
		want     bool
	}{
		{"4 in a row", "buy now", 4, inbox.WorkspaceSettings{}, false},
		{"5 in a row", "buy now", 5, inbox.WorkspaceSettings{}, true},
		{"custom 3", "buy now", 3, inbox.WorkspaceSettings{SpamMaxRepeats: 3}, true},
		{"a limit of 1 counts as 2", "hello", 1, inbox.WorkspaceSettings{SpamMaxRepeats: 1}, false},
		{"off", "buy now", 50, inbox.WorkspaceSettings{SpamMaxRepeats: -1}, false},
		{"attachments only never repeat", " ", 9, inbox.WorkspaceSettings{}, false},
	}
	for _, tt := range tests {
		spam, reason := CheckSpam(SpamInput{Text: tt.text, Settings: tt.settings, RepeatCount: tt.count})
		if spam != tt.want || (spam && reason != SpamRepeats) {
			t.Errorf("%s: %v %q, want %v", tt.name, spam, reason, tt.want)
		}
	}
}

func TestCheckSpam_Links(t *testing.T) {
	five := "https://a.com http://b.net/x www.c.org d.io/path bit.ly/abc"
	tests := []struct {
		name     string
		text     string
		settings inbox.WorkspaceSettings
		want     bool
	}{
		{"5 links", five, inbox.WorkspaceSettings{}, false},
		{"6 links", five + " (see https://e.com/f?g=1).", inbox.WorkspaceSettings{}, true},
		{"bare domain with a path", five + " offer.zz/now", inbox.WorkspaceSettings{}, true},
		{"bare common domain", five + " Example.COM", inbox.WorkspaceSettings{}, true},
		{"not links", five + " e.g. 3.5 ok.thanks ana@mail.com wi-fi... end.", inbox.WorkspaceSettings{}, false},
		{"custom 1", "http://a.com http://b.com", inbox.WorkspaceSettings{SpamMaxLinks: 1}, true},
		{"off", strings.Repeat("http://a.com ", 20), inbox.WorkspaceSettings{SpamMaxLinks: -1}, false},
	}
	for _, tt := range tests {
		spam, reason := CheckSpam(SpamInput{Text: tt.text, Settings: tt.settings, RepeatCount: 1})
		if spam != tt.want || (spam && reason != SpamLinks) {
			t.Errorf("%s: %v %q, want %v", tt.name, spam, reason, tt.want)
		}
	}
}

func TestCheckSpam_Blocklist(t *testing.T) {
	list := []string{"casino", "free money", "crédit gratuit", "viagra*", "spam.com", "https://www.bad.io/path", ""}
	tests := []struct {
		text string
		want bool
	}{
		{"Best CASINO!", true},
		{"casinos", false},
		{"FREE-money here", true},
		{"money for free", false},
		{"Credit GRATUIT", true},
		{"viagras cheap", true},
		{"see https://www.spam.com/x", true},
		{"a.spam.com", true},
		{"write to x@spam.com", true},
		{"notspam.com", false},
		{"spam com", false},
		{"bad.io", true},
		{"www.bad.io/other", true},
		{"hello", false},
	}
	for _, tt := range tests {
		spam, reason := CheckSpam(SpamInput{Text: tt.text, Settings: inbox.WorkspaceSettings{SpamBlocklist: list}, RepeatCount: 1})
		if spam != tt.want || (spam && reason != SpamBlocklist) {
			t.Errorf("%q: %v %q, want %v", tt.text, spam, reason, tt.want)
		}
	}
}

func TestCheckSpam_FirstRuleWins(t *testing.T) {
	end := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	in := SpamInput{
		Text:          "casino " + strings.Repeat("http://x.com ", 6),
		Settings:      inbox.WorkspaceSettings{SpamBlocklist: []string{"casino"}},
		RecentInbound: arrivals(20, time.Millisecond, end),
		RepeatCount:   5,
	}
	for _, want := range []string{SpamRate, SpamRepeats, SpamLinks, SpamBlocklist} {
		if _, got := CheckSpam(in); got != want {
			t.Fatalf("reason %q, want %q", got, want)
		}
		switch want {
		case SpamRate:
			in.RecentInbound = nil
		case SpamRepeats:
			in.RepeatCount = 1
		case SpamLinks:
			in.Text = "casino"
		}
	}
	if spam, reason := CheckSpam(SpamInput{Text: "hello", RepeatCount: 1}); spam || reason != "" {
		t.Fatalf("clean message: %v %q", spam, reason)
	}
}

func TestTrackInbound(t *testing.T) {
	t0 := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	recent := make([]time.Time, 3, 10)
	copy(recent, []time.Time{at(1), at(2), at(4)})
	got := TrackInbound(recent, at(5), 3)
	if want := []time.Time{at(2), at(4), at(5)}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	got[0] = at(99)
	if recent[:cap(recent)][1] != at(2) || recent[:4][3] != (time.Time{}) {
		t.Fatal("TrackInbound wrote into the caller's slice")
	}
	if got := TrackInbound(recent, at(3), 10); !reflect.DeepEqual(got, []time.Time{at(1), at(2), at(3), at(4)}) {
		t.Fatalf("late arrival not in order: %v", got)
	}
	if got := TrackInbound(nil, at(1), 5); !reflect.DeepEqual(got, []time.Time{at(1)}) {
		t.Fatalf("first: %v", got)
	}
	var many []time.Time
	for i := range 80 {
		many = TrackInbound(many, at(i), 0)
	}
	if len(many) != MaxRecentInbound || many[0] != at(30) || many[49] != at(79) {
		t.Fatalf("keep 0: %d kept, from %v", len(many), many[0])
	}
	if got := TrackInbound(many, at(80), 500); len(got) != MaxRecentInbound {
		t.Fatalf("keep 500: %d kept", len(got))
	}
}

func TestRepeatKey(t *testing.T) {
	same := [][2]string{
		{"Hello!!", "hello"},
		{"  BUY   now ", "buy now"},
		{"Crédit", "credit"},
		{"👍", " 👍 "},
	}
	for _, p := range same {
		if RepeatKey(p[0]) != RepeatKey(p[1]) {
			t.Errorf("RepeatKey(%q) = %q, RepeatKey(%q) = %q: want the same", p[0], RepeatKey(p[0]), p[1], RepeatKey(p[1]))
		}
	}
	different := [][2]string{{"hello", "hello there"}, {"👍", "👍👍"}, {"1", "2"}}
	for _, p := range different {
		if RepeatKey(p[0]) == RepeatKey(p[1]) {
			t.Errorf("RepeatKey(%q) == RepeatKey(%q)", p[0], p[1])
		}
	}
	if RepeatKey("") != "" || RepeatKey("  ") != "" {
		t.Error("a message without text has a key")
	}
	long1 := strings.Repeat("é", 100) + " one"
	long2 := strings.Repeat("é", 100) + " two"
	k1, k2 := RepeatKey(long1), RepeatKey(long2)
	if len(k1) > 64 || !utf8.ValidString(k1) || k1 == k2 || k1 != RepeatKey(long1) {
		t.Errorf("long keys %q %q", k1, k2)
	}
}
