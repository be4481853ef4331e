package storetest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"hub/inbox"
)

// The norm* functions bring a record to a canonical form so reflect.DeepEqual
// ignores what backends may legitimately change: time zone, monotonic clock
// reading, nil versus empty slices and maps.

func nt(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.Unix(0, t.UnixNano()).UTC()
}

func ntp(p *time.Time) *time.Time {
	if p == nil {
		return nil
	}
	v := nt(*p)
	return &v
}

func nslice[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

func nmap(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

func normConv(c inbox.Conversation) inbox.Conversation {
	c.Participants = nslice(c.Participants)
	c.SnoozedUntil = ntp(c.SnoozedUntil)
	c.AwaitingSince = ntp(c.AwaitingSince)
	c.LastMessageAt = nt(c.LastMessageAt)
	c.CreatedAt = nt(c.CreatedAt)
	c.UpdatedAt = nt(c.UpdatedAt)
	c.ClosedAt = ntp(c.ClosedAt)
	c.LastButtons = nslice(c.LastButtons)
	c.SurveyUntil = ntp(c.SurveyUntil)
	if len(c.RecentInbound) == 0 {
		c.RecentInbound = nil
	} else {
		times := make([]time.Time, len(c.RecentInbound))
		for i, x := range c.RecentInbound {
			times[i] = nt(x)
		}
		c.RecentInbound = times
	}
	if c.WrapUp != nil {
		w := *c.WrapUp
		c.WrapUp = &w
	}
	if c.CSAT != nil {
		x := *c.CSAT
		x.At = nt(x.At)
		c.CSAT = &x
	}
	c.QueuedAt = ntp(c.QueuedAt)
	if c.Offer != nil {
		o := *c.Offer
		o.At, o.ExpiresAt = nt(o.At), nt(o.ExpiresAt)
		c.Offer = &o
	}
	if len(c.Invites) == 0 {
		c.Invites = nil
	} else {
		invites := make([]inbox.Invite, len(c.Invites))
		for i, x := range c.Invites {
			x.ExpiresAt = nt(x.ExpiresAt)
			invites[i] = x
		}
		c.Invites = invites
	}
	return c
}

func normMsg(m inbox.Message) inbox.Message {
	m.Attachments = nslice(m.Attachments)
	m.Buttons = nslice(m.Buttons)
	m.CreatedAt = nt(m.CreatedAt)
	m.NextAttemptAt = nt(m.NextAttemptAt)
	m.LeaseUntil = nt(m.LeaseUntil)
	return m
}

func normEvent(e inbox.Event) inbox.Event {
	e.Data = nmap(e.Data)
	e.At = nt(e.At)
	return e
}

func normWorkspace(w inbox.Workspace) inbox.Workspace {
	w.Settings.BusinessHours = nslice(w.Settings.BusinessHours)
	w.Settings.WrapUpTopics = nslice(w.Settings.WrapUpTopics)
	w.Settings.SpamBlocklist = nslice(w.Settings.SpamBlocklist)
	w.Settings.CannedAnswers = nslice(w.Settings.CannedAnswers)
	w.CreatedAt = nt(w.CreatedAt)
	return w
}

func normAgent(a inbox.Agent) inbox.Agent {
	a.CreatedAt = nt(a.CreatedAt)
	a.StatusAt = nt(a.StatusAt)
	a.RoutedAt = nt(a.RoutedAt)
	return a
}

func normChat(m inbox.ChatMessage) inbox.ChatMessage {
	m.CreatedAt = nt(m.CreatedAt)
	return m
}

func normTeam(x inbox.Team) inbox.Team {
	x.AgentIDs = nslice(x.AgentIDs)
	x.CreatedAt = nt(x.CreatedAt)
	return x
}

func normChannel(c inbox.Channel) inbox.Channel {
	c.Config = nmap(c.Config)
	c.Secrets = nmap(c.Secrets)
	c.CreatedAt = nt(c.CreatedAt)
	return c
}

func normSession(s inbox.Session) inbox.Session {
	s.CreatedAt = nt(s.CreatedAt)
	s.ExpiresAt = nt(s.ExpiresAt)
	return s
}

func normRule(r inbox.BotRule) inbox.BotRule {
	r.Keywords = nslice(r.Keywords)
	r.Phrases = nslice(r.Phrases)
	r.Patterns = nslice(r.Patterns)
	r.Buttons = nslice(r.Buttons)
	r.CreatedAt = nt(r.CreatedAt)
	return r
}

// dump shows a record in failure messages; %+v would print pointer
// addresses instead of the times and wrap-ups behind them. Fields tagged
// json:"-" (password and token hashes, a conversation's spam counters and
// bot bookkeeping) are
// added back explicitly.
func dump(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%+v", v)
	}
	switch x := v.(type) {
	case inbox.Agent:
		return string(b) + " passwordHash=" + x.PasswordHash
	case inbox.Session:
		return string(b) + " tokenHash=" + x.TokenHash
	case inbox.Channel:
		return string(b) + fmt.Sprintf(" secrets=%v", x.Secrets)
	case inbox.Conversation:
		return string(b) + fmt.Sprintf(" recentInbound=%v repeatText=%q repeatCount=%d lastInboundId=%q botTurnMessageId=%q greetMessageId=%q",
			x.RecentInbound, x.RepeatText, x.RepeatCount, x.LastInboundID, x.BotTurnMessageID, x.GreetMessageID)
	case inbox.Message:
		return string(b) + fmt.Sprintf(" nextAttemptAt=%v leaseUntil=%v", x.NextAttemptAt, x.LeaseUntil)
	}
	return string(b)
}

func same[T any](t *testing.T, what string, got, want T, norm func(T) T) {
	t.Helper()
	g, w := norm(got), norm(want)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s mismatch:\n got %s\nwant %s", what, dump(g), dump(w))
	}
}

// ids returns the ids of records in their order, for order checks.
func ids[T any](items []T, id func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = id(it)
	}
	return out
}

func convID(c inbox.Conversation) string { return c.ID }
func msgID(m inbox.Message) string       { return m.ID }
func chatID(m inbox.ChatMessage) string  { return m.ID }

func sameIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %v\nwant %v", what, got, want)
	}
}

// sameIDSet compares ignoring order, for lists whose order the contract
// leaves open.
func sameIDSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	g := append([]string(nil), got...)
	w := append([]string(nil), want...)
	sort.Strings(g)
	sort.Strings(w)
	sameIDs(t, what, g, w)
}

// byActivity sorts conversations the way ListConversations must return
// them: LastMessageAt descending, then ID descending.
func byActivity(cs []inbox.Conversation) []inbox.Conversation {
	out := append([]inbox.Conversation(nil), cs...)
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.LastMessageAt.Equal(b.LastMessageAt) {
			return a.LastMessageAt.After(b.LastMessageAt)
		}
		return a.ID > b.ID
	})
	return out
}
