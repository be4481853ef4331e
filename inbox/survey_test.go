package inbox_test

import (
	"strings"
	"testing"
	"time"

	"hub/inbox"
)

func TestParseRating(t *testing.T) {
	for text, want := range map[string]int{
		"4": 4, " 5 ": 5, "4/5": 4, "3 / 5": 3, "****": 4, "*": 1, "★★★★★": 5, "4 stars": 4, "1 star": 1,
		"2 étoiles": 2, "5!": 5, "4.": 4,
	} {
		if got, ok := inbox.ParseRating(text); !ok || got != want {
			t.Errorf("ParseRating(%q) = %d, %v; want %d", text, got, ok, want)
		}
	}
	for _, text := range []string{"", "0", "6", "10", "still broken", "4 more towels please", "******", "45", "4/10"} {
		if got, ok := inbox.ParseRating(text); ok {
			t.Errorf("ParseRating(%q) = %d, want no rating", text, got)
		}
	}
}

// closeWithSurvey opens a conversation, lets a1 answer and close it.
func (f *fixture) closeWithSurvey(handle string) *inbox.Conversation {
	f.t.Helper()
	c := f.open(handle, true)
	f.reply(f.a1, c.ID, "Done!", false)
	return f.must1(f.svc.Close(f.ctx, f.a1, c.ID, inbox.CloseInput{Topic: "towels", Survey: true})).(*inbox.Conversation)
}

func TestSurvey_RatingRecordedForTheCloserAndNotReopened(t *testing.T) {
	f := newFixture(t)
	c := f.closeWithSurvey("+33600000001")
	if c.SurveyUntil == nil || !c.SurveyUntil.Equal(c.ClosedAt.Add(24*time.Hour)) {
		t.Fatalf("survey window %v", c.SurveyUntil)
	}
	msgs := f.must1(f.store.ListMessages(f.ctx, f.ws.ID, c.ID, "", 0)).([]inbox.Message)
	last := msgs[len(msgs)-1]
	if last.Kind != inbox.MessageSurvey || last.Delivery != inbox.DeliveryQueued || len(last.Buttons) != 5 || !strings.Contains(last.Text, "1") {
		t.Fatalf("survey message %+v", last)
	}
	r := f.ingest(f.humanCh, "+33600000001", "4")
	if r.Rated != 4 || r.Conversation.Status != inbox.StatusClosed || r.Conversation.CSAT == nil || r.Conversation.CSAT.Score != 4 {
		t.Fatalf("after rating: rated %d, %+v", r.Rated, r.Conversation)
	}
	events := f.must1(f.store.ListEvents(f.ctx, f.ws.ID, c.ID)).([]inbox.Event)
	e := events[len(events)-1]
	if e.Type != inbox.EventCSAT || e.Data["score"] != "4" || e.Data["agentId"] != f.a1.AgentID {
		t.Fatalf("csat event %+v", e)
	}
	// One survey per close: a second "5" is a new message, which reopens.
	r = f.ingest(f.humanCh, "+33600000001", "5")
	if r.Rated != 0 || r.Conversation.Status != inbox.StatusOpen {
		t.Fatalf("second rating: %d %s", r.Rated, r.Conversation.Status)
	}
}

func TestSurvey_NonRatingReopensAndLateAnswerIsAMessage(t *testing.T) {
	f := newFixture(t)
	c := f.closeWithSurvey("+33600000002")
	r := f.ingest(f.humanCh, "+33600000002", "still broken")
	if r.Rated != 0 || r.Conversation.Status != inbox.StatusOpen || r.Conversation.SurveyUntil != nil {
		t.Fatalf("non-rating: %+v", r.Conversation)
	}
	c = f.must1(f.svc.Close(f.ctx, f.a1, c.ID, inbox.CloseInput{Survey: true})).(*inbox.Conversation)
	f.clock.Advance(25 * time.Hour)
	if r = f.ingest(f.humanCh, "+33600000002", "5"); r.Rated != 0 || r.Conversation.Status != inbox.StatusOpen {
		t.Fatalf("answer after the window: rated %d status %s", r.Rated, r.Conversation.Status)
	}
	// Survey off: no question, no window.
	c = f.must1(f.svc.Close(f.ctx, f.a1, c.ID, inbox.CloseInput{})).(*inbox.Conversation)
	if c.SurveyUntil != nil {
		t.Fatal("survey window without a survey")
	}
}

func TestClose_TopicMustBeOnTheWorkspaceList(t *testing.T) {
	f := newFixture(t)
	settings := f.ws.Settings
	settings.WrapUpTopics = []string{"Booking", "Billing"}
	f.must1(f.svc.UpdateSettings(f.ctx, f.admin, settings))
	c := f.open("+33600000003", true)
	if _, err := f.svc.Close(f.ctx, f.a1, c.ID, inbox.CloseInput{Topic: "Parking"}); !isInvalid(err, "topic") {
		t.Fatalf("unknown topic: %v", err)
	}
	c = f.must1(f.svc.Close(f.ctx, f.a1, c.ID, inbox.CloseInput{Topic: "billing", Unsure: true})).(*inbox.Conversation)
	if c.WrapUp.Topic != "billing" || !c.WrapUp.Unsure {
		t.Fatalf("wrap-up %+v", c.WrapUp)
	}
	if _, err := f.svc.UpdateSettings(f.ctx, f.a1, settings); err != inbox.ErrForbidden {
		t.Fatalf("agent changing settings: %v", err)
	}
}

func isInvalid(err error, field string) bool {
	e, ok := err.(*inbox.InvalidError)
	return ok && e.Field == field
}

func TestReply_RecordsTheWaitOfTheCustomer(t *testing.T) {
	f := newFixture(t)
	c := f.open("+33600000004", true)
	f.clock.Advance(90 * time.Second)
	f.reply(f.a1, c.ID, "Hello", false)
	f.reply(f.a1, c.ID, "Anything else?", false)
	var replied []inbox.Event
	for _, e := range f.must1(f.store.ListEvents(f.ctx, f.ws.ID, c.ID)).([]inbox.Event) {
		if e.Type == inbox.EventReplied {
			replied = append(replied, e)
		}
	}
	if len(replied) != 1 || replied[0].Data["waitMs"] != "90000" || replied[0].Data["agentId"] != f.a1.AgentID {
		t.Fatalf("replied events %+v (only an answer to a waiting customer counts)", replied)
	}
}

func TestSpam_AutomaticVerdictBlocksSilently(t *testing.T) {
	f := newFixture(t)
	f.svc.UseSpamRules(inbox.SpamRules{
		Check: func(_ inbox.WorkspaceSettings, text string, recent []time.Time, repeats int) (bool, string) {
			if repeats >= 3 {
				return true, "repeats"
			}
			return false, ""
		},
	})
	f.ingest(f.humanCh, "spammer", "BUY NOW")
	f.ingest(f.humanCh, "spammer", "BUY NOW")
	f.mu.Lock()
	f.changes = nil
	f.mu.Unlock()
	r := f.ingest(f.humanCh, "spammer", "BUY NOW")
	if r.Conversation.Status != inbox.StatusSpam || !r.Blocked || r.RunBot() {
		t.Fatalf("third identical message: %+v blocked %v", r.Conversation.Status, r.Blocked)
	}
	f.mu.Lock()
	for _, ch := range f.changes {
		if !ch.Silent {
			t.Errorf("spam produced a visible change %s", ch.Kind)
		}
	}
	f.mu.Unlock()
	contact := f.must1(f.store.GetContact(f.ctx, f.ws.ID, r.Conversation.ContactID)).(*inbox.Contact)
	if id, _ := contact.Identity(f.humanCh.ID); !id.Blocked {
		t.Fatal("the contact is not blocked")
	}
	events := f.must1(f.store.ListEvents(f.ctx, f.ws.ID, r.Conversation.ID)).([]inbox.Event)
	if e := events[len(events)-1]; e.Type != inbox.EventSpam || e.Data["auto"] != "true" || e.Data["reason"] != "repeats" {
		t.Fatalf("spam event %+v", e)
	}
	if r = f.ingest(f.humanCh, "spammer", "hello?"); !r.Blocked || r.RunBot() {
		t.Fatal("a blocked contact's next message is not silent")
	}
}

func TestIdleBotConversationsCloseAsAutomated(t *testing.T) {
	f := newFixture(t)
	answered := f.ingest(f.botCh, "guest-a", "wifi password?").Conversation
	if err := f.botSays(answered.ID, "It is on your key card.", true); err != nil {
		t.Fatal(err)
	}
	unanswered := f.ingest(f.botCh, "guest-b", "blah").Conversation
	f.clock.Advance(29 * time.Minute)
	if n := f.must1(f.svc.CloseIdleBotConversations(f.ctx)).(int); n != 0 {
		t.Fatalf("closed %d before 30 minutes", n)
	}
	f.clock.Advance(2 * time.Minute)
	if n := f.must1(f.svc.CloseIdleBotConversations(f.ctx)).(int); n != 1 {
		t.Fatalf("closed %d, want only the answered one", n)
	}
	wantStatus(t, f.get(answered.ID), inbox.StatusClosed)
	wantStatus(t, f.get(unanswered.ID), inbox.StatusBot)
	events := f.must1(f.store.ListEvents(f.ctx, f.ws.ID, answered.ID)).([]inbox.Event)
	if e := events[len(events)-1]; e.Type != inbox.EventClosed || e.Actor.Type != inbox.AuthorBot || e.Data["automated"] != "true" {
		t.Fatalf("close event %+v", e)
	}
	// The customer writes again: back to the bot, same conversation.
	r := f.ingest(f.botCh, "guest-a", "and breakfast?")
	if r.Conversation.ID != answered.ID || r.Conversation.Status != inbox.StatusBot {
		t.Fatalf("after automated close: %+v", r.Conversation)
	}
}
