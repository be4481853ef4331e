// Reports are computed from events (DESIGN.md §3), never from the current
// state of conversations, so they can be asked for any past range. Every
// report covers the events with from <= At < to; events outside the range
// are ignored even when they are passed in.
//
// Sessions. A conversation's "session" is one stretch of human work. It
// starts at a created event with To = open, at a handoff, or at a reopened
// event with To = open, and ends at the next closed event. The service
// loads only the events of [from, to): a session that started before
// from, or that no start event announces (a conversation back from spam),
// starts at its first event that only happens during a session (assigned,
// released, transferred, invited, left, snoozed, unsnoozed, replied, or a
// close by an agent) seen while no session is open.
//
// Per agent (AgentReport):
//   - Handled: distinct conversations with a replied or closed event by
//     the agent.
//   - Closed: closed events by the agent (Actor.ID).
//   - MedianFirstResponseSeconds: for each session whose first replied event
//     is the agent's, that reply's time minus the session start.
//   - MedianHandleSeconds: for each session the agent closed, the close time
//     minus the session's first assigned event (the session start when
//     there is none).
//   - CSAT: csat events whose Data agentId is the agent (the one who closed
//     the conversation): average rounded to 2 decimals, count, and how many
//     of each score 1 to 5.
//   - Topics: the agent's closed events per wrap-up topic (closes without a
//     topic are not counted there). Moods: the agent's closed events by mood;
//     Unknown counts "I don't know" and closes without a mood.
//
// Every agent of the workspace is listed, with zeros when it did nothing in
// the range, so the table is complete; an agent id found in events but not
// in the agent list is listed too, by id alone.
//
// Medians are the middle value, or the mean of the two middle values for an
// even count, in seconds rounded to the millisecond (stored times are whole
// milliseconds); nil (null in JSON) when there is no sample.
//
// Per workspace (WorkspaceReport): conversations created, per channel (Data
// channelId), closed events, those closed by the bot alone (Data automated =
// "true"), the bot containment rate (bot-closed ÷ all closed, rounded to 4
// decimals, nil when nothing closed), handoffs by reason, spam events (those
// the spam rules raised, Data auto = "true", also apart) and CSAT over all
// csat events.

package inbox

import (
	"context"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// MaxReportRange is the longest range a report may cover.
const MaxReportRange = 366 * 24 * time.Hour

// reportPageSize is how many events a report reads from the store at once.
const reportPageSize = 1000

// CSATSummary sums up satisfaction scores.
type CSATSummary struct {
	// Average is the mean score rounded to 2 decimals; nil without scores.
	Average *float64 `json:"average"`
	Count   int      `json:"count"`
	// Distribution counts each score: Distribution[0] is how many 1s,
	// Distribution[4] how many 5s.
	Distribution [5]int `json:"distribution"`
	sum          int
}

// add counts a csat event; scores other than 1 to 5 are ignored.
func (c *CSATSummary) add(e Event) {
	score, err := strconv.Atoi(e.Data["score"])
	if err != nil || score < 1 || score > 5 {
		return
	}
	c.Count++
	c.sum += score
	c.Distribution[score-1]++
	avg := math.Round(float64(c.sum)/float64(c.Count)*100) / 100
	c.Average = &avg
}

// MoodCounts counts wrap-up moods.
type MoodCounts struct {
	Satisfied int `json:"satisfied"`
	Neutral   int `json:"neutral"`
	Unhappy   int `json:"unhappy"`
	// Unknown is "I don't know" or no mood given.
	Unknown int `json:"unknown"`
}

func (m *MoodCounts) add(mood string) {
	switch mood {
	case "satisfied":
		m.Satisfied++
	case "neutral":
		m.Neutral++
	case "unhappy":
		m.Unhappy++
	default:
		m.Unknown++
	}
}

// AgentReport is one agent's line of the agents report.
type AgentReport struct {
	AgentID                    string         `json:"agentId"`
	Name                       string         `json:"name"`
	Email                      string         `json:"email"`
	Handled                    int            `json:"handled"`
	Closed                     int            `json:"closed"`
	MedianFirstResponseSeconds *float64       `json:"medianFirstResponseSeconds"`
	MedianHandleSeconds        *float64       `json:"medianHandleSeconds"`
	CSAT                       CSATSummary    `json:"csat"`
	Moods                      MoodCounts     `json:"moods"`
	Topics                     map[string]int `json:"topics"`
}

// WorkspaceReport is the whole workspace's report.
type WorkspaceReport struct {
	Conversations          int            `json:"conversations"`
	ConversationsByChannel map[string]int `json:"conversationsByChannel"`
	Closed                 int            `json:"closed"`
	ClosedByBot            int            `json:"closedByBot"`
	BotContainmentRate     *float64       `json:"botContainmentRate"`
	Handoffs               int            `json:"handoffs"`
	HandoffsByReason       map[string]int `json:"handoffsByReason"`
	Spam                   int            `json:"spam"`
	SpamAuto               int            `json:"spamAuto"`
	CSAT                   CSATSummary    `json:"csat"`
}

// eventsInRange returns the events with from <= At < to in (At, ID) order,
// the order stores list them in.
func eventsInRange(events []Event, from, to time.Time) []Event {
	out := make([]Event, 0, len(events))
	for _, e := range events {
		if !e.At.Before(from) && e.At.Before(to) {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// startsSession reports whether e opens a session.
func startsSession(e Event) bool {
	switch e.Type {
	case EventHandoff:
		return true
	case EventCreated, EventReopened:
		return e.To == StatusOpen
	}
	return false
}

// duringSession reports whether e only happens while a session is open.
func duringSession(e Event) bool {
	switch e.Type {
	case EventAssigned, EventReleased, EventTransferred, EventInvited, EventLeft,
		EventSnoozed, EventUnsnoozed, EventReplied:
		return true
	case EventClosed:
		return agentClose(e)
	}
	return false
}

// agentClose reports whether a closed event was an agent's.
func agentClose(e Event) bool {
	return e.Type == EventClosed && e.Actor.Type == AuthorAgent && e.Actor.ID != ""
}

// session is the open session of one conversation.
type session struct {
	start      time.Time
	assignedAt time.Time // first assigned event; zero when none yet
	replied    bool
}

// agentTally gathers one agent's numbers while events are walked.
type agentTally struct {
	report         AgentReport
	conversations  map[string]bool
	firstResponses []float64
	handles        []float64
}

// ComputeAgentReports computes the agents report over [from, to) (see the
// definitions at the top of this file). Agents are sorted by name, then id.
func ComputeAgentReports(events []Event, agents []Agent, from, to time.Time) []AgentReport {
	tallies := map[string]*agentTally{}
	tally := func(id string) *agentTally {
		t := tallies[id]
		if t == nil {
			t = &agentTally{report: AgentReport{AgentID: id, Topics: map[string]int{}}, conversations: map[string]bool{}}
			tallies[id] = t
		}
		return t
	}
	for _, a := range agents {
		t := tally(a.ID)
		t.report.Name, t.report.Email = a.Name, a.Email
	}

	open := map[string]*session{}
	for _, e := range eventsInRange(events, from, to) {
		s := open[e.ConversationID]
		if s == nil && (startsSession(e) || duringSession(e)) {
			s = &session{start: e.At}
			open[e.ConversationID] = s
		}
		switch e.Type {
		case EventAssigned:
			if s.assignedAt.IsZero() {
				s.assignedAt = e.At
			}
		case EventReplied:
			id := e.Data["agentId"]
			if id == "" {
				id = e.Actor.ID
			}
			if id == "" {
				continue
			}
			t := tally(id)
			t.conversations[e.ConversationID] = true
			if !s.replied {
				s.replied = true
				t.firstResponses = append(t.firstResponses, e.At.Sub(s.start).Seconds())
			}
		case EventClosed:
			delete(open, e.ConversationID)
			if !agentClose(e) {
				continue
			}
			t := tally(e.Actor.ID)
			t.conversations[e.ConversationID] = true
			t.report.Closed++
			if topic := e.Data["topic"]; topic != "" {
				t.report.Topics[topic]++
			}
			t.report.Moods.add(e.Data["mood"])
			begin := s.start
			if !s.assignedAt.IsZero() {
				begin = s.assignedAt
			}
			t.handles = append(t.handles, e.At.Sub(begin).Seconds())
		case EventCSAT:
			if id := e.Data["agentId"]; id != "" {
				tally(id).report.CSAT.add(e)
			}
		}
	}

	out := make([]AgentReport, 0, len(tallies))
	for _, t := range tallies {
		t.report.Handled = len(t.conversations)
		t.report.MedianFirstResponseSeconds = median(t.firstResponses)
		t.report.MedianHandleSeconds = median(t.handles)
		out = append(out, t.report)
	}
	sort.Slice(out, func(i, j int) bool {
		ni, nj := strings.ToLower(out[i].Name), strings.ToLower(out[j].Name)
		if ni != nj {
			return ni < nj
		}
		return out[i].AgentID < out[j].AgentID
	})
	return out
}

// ComputeWorkspaceReport computes the workspace report over [from, to)
// (see the definitions at the top of this file).
func ComputeWorkspaceReport(events []Event, from, to time.Time) WorkspaceReport {
	r := WorkspaceReport{ConversationsByChannel: map[string]int{}, HandoffsByReason: map[string]int{}}
	for _, e := range eventsInRange(events, from, to) {
		switch e.Type {
		case EventCreated:
			r.Conversations++
			if ch := e.Data["channelId"]; ch != "" {
				r.ConversationsByChannel[ch]++
			}
		case EventHandoff:
			r.Handoffs++
			reason := e.Data["reason"]
			if reason == "" {
				reason = "unknown"
			}
			r.HandoffsByReason[reason]++
		case EventClosed:
			r.Closed++
			if e.Data["automated"] == "true" {
				r.ClosedByBot++
			}
		case EventSpam:
			r.Spam++
			if e.Data["auto"] == "true" {
				r.SpamAuto++
			}
		case EventCSAT:
			r.CSAT.add(e)
		}
	}
	if r.Closed > 0 {
		rate := math.Round(float64(r.ClosedByBot)/float64(r.Closed)*10000) / 10000
		r.BotContainmentRate = &rate
	}
	return r
}

// median returns the median of xs rounded to the millisecond, or nil when
// xs is empty. xs is sorted in place.
func median(xs []float64) *float64 {
	n := len(xs)
	if n == 0 {
		return nil
	}
	sort.Float64s(xs)
	m := xs[n/2]
	if n%2 == 0 {
		m = (xs[n/2-1] + xs[n/2]) / 2
	}
	m = math.Round(m*1000) / 1000
	return &m
}

// checkReportRange refuses empty, reversed and too long ranges.
func checkReportRange(from, to time.Time) error {
	if !from.Before(to) {
		return Invalid("to", "to must be after from")
	}
	if to.Sub(from) > MaxReportRange {
		return Invalid("from", "a report covers at most 366 days")
	}
	return nil
}

// reportEvents checks the actor and the range, then reads every event of
// the actor's workspace in [from, to), page by page.
func (s *Service) reportEvents(ctx context.Context, actor Actor, from, to time.Time) ([]Event, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	if err := checkReportRange(from, to); err != nil {
		return nil, err
	}
	var all []Event
	after := ""
	for {
		page, err := s.store.ListEventsBetween(ctx, actor.WorkspaceID, from, to, after, reportPageSize)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < reportPageSize {
			return all, nil
		}
		after = page[len(page)-1].ID
	}
}

// AgentReports returns the agents report of the actor's workspace over
// [from, to) (admins only). The range must be non-empty and at most
// MaxReportRange long.
func (s *Service) AgentReports(ctx context.Context, actor Actor, from, to time.Time) ([]AgentReport, error) {
	events, err := s.reportEvents(ctx, actor, from, to)
	if err != nil {
		return nil, err
	}
	agents, err := s.store.ListAgents(ctx, actor.WorkspaceID)
	if err != nil {
		return nil, err
	}
	return ComputeAgentReports(events, agents, from, to), nil
}

// WorkspaceReport returns the workspace report of the actor's workspace
// over [from, to) (admins only), with AgentReports' range rules.
func (s *Service) WorkspaceReport(ctx context.Context, actor Actor, from, to time.Time) (WorkspaceReport, error) {
	events, err := s.reportEvents(ctx, actor, from, to)
	if err != nil {
		return WorkspaceReport{}, err
	}
	return ComputeWorkspaceReport(events, from, to), nil
}
