package inbox_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"hub/inbox"
)

// reportTimeline builds events at given times of a test day.
type reportTimeline struct {
	day    time.Time
	events []inbox.Event
}

var (
	reportContact = inbox.Author{Type: inbox.AuthorContact, ID: "contact"}
	reportBot     = inbox.Author{Type: inbox.AuthorBot}
)

func reportAgent(id string) inbox.Author { return inbox.Author{Type: inbox.AuthorAgent, ID: id} }

// add appends an event of conversation conv at day + clock ("15:04:05";
// a leading "-" is the day before).
func (tl *reportTimeline) add(conv string, typ inbox.EventType, clock string, actor inbox.Author, to inbox.Status, data ...string) {
	day := tl.day
	if clock[0] == '-' {
		day, clock = day.AddDate(0, 0, -1), clock[1:]
	}
	at, err := time.Parse("2006-01-02 15:04:05", day.Format("2006-01-02 ")+clock)
	if err != nil {
		panic(err)
	}
	d := map[string]string{}
	for i := 0; i+1 < len(data); i += 2 {
		d[data[i]] = data[i+1]
	}
	tl.events = append(tl.events, inbox.Event{
		ID: fmt.Sprintf("e%03d", len(tl.events)), WorkspaceID: "ws", ConversationID: conv,
		Type: typ, Actor: actor, To: to, Data: d, At: at,
	})
}

var reportDay = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// reportScenario is one day of a small hotel, with events just outside the day.
func reportScenario() []inbox.Event {
	tl := &reportTimeline{day: reportDay}
	open, closed := inbox.StatusOpen, inbox.StatusClosed
	// Before the range: ignored, and c4's session starts at its first event in range.
	tl.add("c9", inbox.EventCreated, "-23:58:00", reportContact, open, "channelId", "ch1")
	tl.add("c9", inbox.EventReplied, "-23:59:00", reportAgent("alice"), "", "agentId", "alice")
	tl.add("c4", inbox.EventCreated, "-23:50:00", reportContact, open, "channelId", "ch1")
	tl.add("c4", inbox.EventAssigned, "00:10:00", reportAgent("bob"), "", "agentId", "bob")
	tl.add("c4", inbox.EventReplied, "00:10:20", reportAgent("bob"), "", "agentId", "bob")
	tl.add("c4", inbox.EventClosed, "00:25:00", reportAgent("bob"), closed, "topic", "", "mood", "satisfied")
	tl.add("c4", inbox.EventCSAT, "00:30:00", reportContact, "", "score", "3", "agentId", "bob")
	// c1: straight to the queue, two sessions across a reopen.
	tl.add("c1", inbox.EventCreated, "10:00:00", reportContact, open, "channelId", "ch1")
	tl.add("c1", inbox.EventReplied, "10:00:30", reportAgent("alice"), "", "agentId", "alice")
	tl.add("c1", inbox.EventReplied, "10:01:00", reportAgent("bob"), "", "agentId", "bob")
	tl.add("c1", inbox.EventAssigned, "10:02:00", reportAgent("alice"), "", "agentId", "alice")
	tl.add("c1", inbox.EventClosed, "10:12:00", reportAgent("alice"), closed, "topic", "booking", "mood", "satisfied", "survey", "true")
	tl.add("c1", inbox.EventCSAT, "10:20:00", reportContact, "", "score", "4", "agentId", "alice")
	tl.add("c1", inbox.EventReopened, "11:00:00", reportContact, open)
	tl.add("c1", inbox.EventReplied, "11:01:30", reportAgent("alice"), "", "agentId", "alice")
	tl.add("c1", inbox.EventClosed, "11:05:00", reportAgent("alice"), closed, "topic", "booking", "mood", "", "unsure", "true")
	tl.add("c1", inbox.EventCSAT, "11:10:00", reportContact, "", "score", "5", "agentId", "alice")
	// c2, c3: the reportBot hands off.
	tl.add("c2", inbox.EventCreated, "12:00:00", reportContact, inbox.StatusBot, "channelId", "ch1")
	tl.add("c2", inbox.EventHandoff, "12:01:00", reportBot, open, "reason", "requested")
	tl.add("c2", inbox.EventAssigned, "12:01:05", reportAgent("bob"), "", "agentId", "bob")
	tl.add("c2", inbox.EventReplied, "12:01:15", reportAgent("bob"), "", "agentId", "bob")
	tl.add("c2", inbox.EventClosed, "12:11:05", reportAgent("bob"), closed, "topic", "billing", "mood", "unhappy")
	tl.add("c2", inbox.EventCSAT, "12:20:00", reportContact, "", "score", "2", "agentId", "bob")
	tl.add("c2", inbox.EventCSAT, "12:21:00", reportContact, "", "score", "7", "agentId", "bob")
	tl.add("c3", inbox.EventCreated, "13:00:00", reportContact, inbox.StatusBot, "channelId", "ch1")
	tl.add("c3", inbox.EventHandoff, "13:02:00", reportBot, open, "reason", "unmatched", "teamId", "t1")
	tl.add("c3", inbox.EventReplied, "13:02:45", reportAgent("alice"), "", "agentId", "alice")
	tl.add("c3", inbox.EventAssigned, "13:03:00", reportAgent("bob"), "", "agentId", "bob")
	tl.add("c3", inbox.EventClosed, "13:23:00", reportAgent("bob"), closed, "topic", "billing", "mood", "neutral")
	tl.add("c3", inbox.EventCSAT, "13:30:00", reportContact, "", "score", "3", "agentId", "bob")
	// c5: the reportBot alone. c6: an agent no longer listed, then spam rules.
	tl.add("c5", inbox.EventCreated, "14:00:00", reportContact, inbox.StatusBot, "channelId", "ch1")
	tl.add("c5", inbox.EventClosed, "14:30:00", reportBot, closed, "automated", "true")
	tl.add("c6", inbox.EventCreated, "15:00:00", reportContact, open, "channelId", "ch2")
	tl.add("c6", inbox.EventReplied, "15:00:40", reportAgent("ghost"), "", "agentId", "ghost")
	tl.add("c6", inbox.EventSpam, "15:01:00", reportBot, inbox.StatusSpam, "auto", "true", "reason", "links")
	tl.add("c7", inbox.EventSpam, "17:00:00", reportAgent("alice"), inbox.StatusSpam)
	// At the end of the range, excluded.
	tl.events = append(tl.events, inbox.Event{ID: "e999", ConversationID: "c1", Type: inbox.EventCSAT,
		Actor: reportContact, Data: map[string]string{"score": "1", "agentId": "alice"}, At: reportDay.AddDate(0, 0, 1)})
	// Stores list events in time order; the computation must not rely on it.
	ev := tl.events
	for i, j := 0, len(ev)-1; i < j; i, j = i+1, j-1 {
		ev[i], ev[j] = ev[j], ev[i]
	}
	return ev
}

func reportNum(v float64) *float64 { return &v }

func TestAgentReports_FromEventsOfTheRange(t *testing.T) {
	agents := []inbox.Agent{
		{ID: "carol", Name: "carol", Email: "carol@h.test"},
		{ID: "bob", Name: "Bob", Email: "bob@h.test"},
		{ID: "alice", Name: "Alice", Email: "alice@h.test"},
	}
	got := inbox.ComputeAgentReports(reportScenario(), agents, reportDay, reportDay.AddDate(0, 0, 1))
	want := []inbox.AgentReport{
		{AgentID: "ghost", Handled: 1, MedianFirstResponseSeconds: reportNum(40), Topics: map[string]int{}},
		{
			AgentID: "alice", Name: "Alice", Email: "alice@h.test", Handled: 2, Closed: 2,
			// First responses 30, 90, 45 (odd); handle times 600 and 300 (even).
			MedianFirstResponseSeconds: reportNum(45), MedianHandleSeconds: reportNum(450),
			CSAT:   inbox.CSATSummary{Average: reportNum(4.5), Count: 2, Distribution: [5]int{0, 0, 0, 1, 1}},
			Moods:  inbox.MoodCounts{Satisfied: 1, Unknown: 1},
			Topics: map[string]int{"booking": 2},
		},
		{
			AgentID: "bob", Name: "Bob", Email: "bob@h.test", Handled: 4, Closed: 3,
			// First responses 20, 15 (even); handle times 900, 600, 1200 (odd).
			MedianFirstResponseSeconds: reportNum(17.5), MedianHandleSeconds: reportNum(900),
			CSAT:   inbox.CSATSummary{Average: reportNum(2.67), Count: 3, Distribution: [5]int{0, 1, 2, 0, 0}},
			Moods:  inbox.MoodCounts{Satisfied: 1, Neutral: 1, Unhappy: 1},
			Topics: map[string]int{"billing": 2},
		},
		{AgentID: "carol", Name: "carol", Email: "carol@h.test", Topics: map[string]int{}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d reports, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if g, w := describeReport(got[i]), describeReport(want[i]); g != w {
			t.Errorf("report %d:\n got %s\nwant %s", i, g, w)
		}
	}
}

// describeReport prints a report with its pointers followed.
func describeReport(r inbox.AgentReport) string {
	p := func(v *float64) string {
		if v == nil {
			return "nil"
		}
		return fmt.Sprint(*v)
	}
	return fmt.Sprintf("%s %q %q handled=%d closed=%d frt=%s handle=%s csat=%s/%d/%v moods=%+v topics=%v",
		r.AgentID, r.Name, r.Email, r.Handled, r.Closed, p(r.MedianFirstResponseSeconds), p(r.MedianHandleSeconds),
		p(r.CSAT.Average), r.CSAT.Count, r.CSAT.Distribution, r.Moods, r.Topics)
}

func TestWorkspaceReport_CountsBotContainmentHandoffsSpamAndCSAT(t *testing.T) {
	r := inbox.ComputeWorkspaceReport(reportScenario(), reportDay, reportDay.AddDate(0, 0, 1))
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("conversations", r.Conversations, 5)
	check("by channel", r.ConversationsByChannel, map[string]int{"ch1": 4, "ch2": 1})
	check("closed", r.Closed, 6)
	check("closed by reportBot", r.ClosedByBot, 1)
	check("containment", *r.BotContainmentRate, 0.1667)
	check("handoffs", r.Handoffs, 2)
	check("handoffs by reason", r.HandoffsByReason, map[string]int{"requested": 1, "unmatched": 1})
	check("spam", r.Spam, 2)
	check("spam auto", r.SpamAuto, 1)
	check("csat average", *r.CSAT.Average, 3.4)
	check("csat count", r.CSAT.Count, 5)
	check("csat distribution", r.CSAT.Distribution, [5]int{0, 1, 2, 1, 1})
}

func TestWorkspaceReport_NothingClosedHasNoRate(t *testing.T) {
	r := inbox.ComputeWorkspaceReport(nil, reportDay, reportDay.AddDate(0, 0, 1))
	if r.BotContainmentRate != nil || r.CSAT.Average != nil || r.Closed != 0 {
		t.Fatalf("empty report = %+v", r)
	}
	if r.ConversationsByChannel == nil || r.HandoffsByReason == nil {
		t.Fatal("maps must be empty, not nil (JSON {} rather than null)")
	}
}

// reportStore serves events and agents from memory; other methods are not
// used by reports.
type reportStore struct {
	inbox.Store
	events []inbox.Event
	agents []inbox.Agent
	after  []string
}

func (s *reportStore) ListEventsBetween(_ context.Context, ws string, from, to time.Time, afterID string, limit int) ([]inbox.Event, error) {
	s.after = append(s.after, afterID)
	var out []inbox.Event
	started := afterID == ""
	for _, e := range s.events {
		if !started {
			started = e.ID == afterID
			continue
		}
		if e.WorkspaceID == ws && !e.At.Before(from) && e.At.Before(to) && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (s *reportStore) ListAgents(_ context.Context, ws string) ([]inbox.Agent, error) {
	return s.agents, nil
}

func TestReports_ReadEveryPageOfEvents(t *testing.T) {
	store := &reportStore{agents: []inbox.Agent{{ID: "alice", Name: "Alice"}}}
	for i := range 2500 {
		store.events = append(store.events, inbox.Event{
			ID: fmt.Sprintf("e%05d", i), WorkspaceID: "ws", ConversationID: fmt.Sprintf("c%d", i),
			Type: inbox.EventClosed, Actor: reportAgent("alice"), To: inbox.StatusClosed,
			At: reportDay.Add(time.Duration(i) * time.Second),
		})
	}
	svc := inbox.NewService(store, inbox.NewManualClock(reportDay), inbox.Limits{})
	admin := inbox.Actor{WorkspaceID: "ws", AgentID: "alice", Role: inbox.RoleAdmin}
	reports, err := svc.AgentReports(context.Background(), admin, reportDay, reportDay.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 1 || reports[0].Closed != 2500 {
		t.Fatalf("reports = %+v", reports)
	}
	if want := []string{"", "e00999", "e01999"}; !reflect.DeepEqual(store.after, want) {
		t.Fatalf("pages after %v, want %v", store.after, want)
	}
	ws, err := svc.WorkspaceReport(context.Background(), admin, reportDay, reportDay.AddDate(0, 0, 1))
	if err != nil || ws.Closed != 2500 {
		t.Fatalf("workspace report = %+v, %v", ws, err)
	}
}

func TestReports_AdminOnlyOverABoundedRange(t *testing.T) {
	store := &reportStore{}
	svc := inbox.NewService(store, inbox.NewManualClock(reportDay), inbox.Limits{})
	ctx := context.Background()
	admin := inbox.Actor{WorkspaceID: "ws", AgentID: "a", Role: inbox.RoleAdmin}
	agent := inbox.Actor{WorkspaceID: "ws", AgentID: "b", Role: inbox.RoleAgent}
	day := reportDay.AddDate(0, 0, 1)
	if _, err := svc.AgentReports(ctx, agent, reportDay, day); !errors.Is(err, inbox.ErrForbidden) {
		t.Errorf("agent's agents report: %v, want ErrForbidden", err)
	}
	if _, err := svc.WorkspaceReport(ctx, agent, reportDay, day); !errors.Is(err, inbox.ErrForbidden) {
		t.Errorf("agent's workspace report: %v, want ErrForbidden", err)
	}
	for _, tc := range []struct {
		name     string
		from, to time.Time
		field    string
	}{
		{"empty", reportDay, reportDay, "to"},
		{"reversed", day, reportDay, "to"},
		{"over 366 days", reportDay, reportDay.Add(inbox.MaxReportRange + time.Millisecond), "from"},
		{"366 days", reportDay, reportDay.Add(inbox.MaxReportRange), ""},
	} {
		_, err := svc.WorkspaceReport(ctx, admin, tc.from, tc.to)
		var inv *inbox.InvalidError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.field != "" && (!errors.As(err, &inv) || inv.Field != tc.field):
			t.Errorf("%s: %v, want an invalid %q", tc.name, err, tc.field)
		}
	}
	if len(store.after) != 1 {
		t.Errorf("refused ranges read the store: %d reads", len(store.after))
	}
}
