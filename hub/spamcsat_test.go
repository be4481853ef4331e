package hub_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestSpam_TwentyMessagesInTenSecondsSilenceTheContact(t *testing.T) {
	w := newBotWorld(t)
	spammer := w.customer("sms")
	for i := range 20 {
		w.th.clock.Advance(400 * time.Millisecond)
		spammer.says(fmt.Sprintf("message number %d", i))
	}
	if conv := spammer.conv(); conv.Status != "spam" {
		t.Fatalf("after 20 messages in 8 s: %s", conv.Status)
	}
	botBefore := len(spammer.botSaid())
	// The bot's answers from before the spam mark are still on their way
	// out; their delivery reports are old news, not the spammer's new
	// message, so the feed opens once they are recorded.
	eventually(t, "the bot's earlier answers sent", 30*time.Second, func() bool {
		for _, m := range w.th.messages(w.admin, spammer.convID) {
			if m.Direction == "out" && m.Delivery == "queued" {
				return false
			}
		}
		return true
	})

	feed := w.th.dial("/ws/agent?token=" + w.admin)
	spammer.says("one more")
	other := w.customer("sms")
	other.says("hello")
	// The other customer's first event comes after anything the spammer's
	// message could have produced: nothing of the spammer may come first.
	f := feed.next("an event", func(f frame) bool {
		// A delivery report of a reply sent before the mark is not news
		// of the spammer (should one still be on its way).
		late := f.Type == "message.updated" && f.Message != nil && f.Message.Direction == "out"
		return f.Type != "pong" && !late
	})
	if (f.Conversation != nil && f.Conversation.ID == spammer.convID) || (f.Message != nil && f.Message.ConversationID == spammer.convID) {
		t.Fatalf("the spammer's message reached the agents' feed: %s", f.Raw)
	}
	if n := len(spammer.botSaid()); n != botBefore {
		t.Fatalf("the bot answered a spammer: %d → %d", botBefore, n)
	}
	var msgs []msgJSON = w.th.messages(w.admin, spammer.convID)
	if last := msgs[len(msgs)-1]; last.Text != "one more" {
		t.Fatalf("the spammer's message is not stored: %+v", last)
	}
}

// closeForSurvey hands the conversation to the admin, who answers and closes it.
func (w *botWorld) closeForSurvey(c *customer) {
	w.th.t.Helper()
	w.th.must(201, "POST", "/api/v1/conversations/"+c.convID+"/messages", w.admin, map[string]any{"text": "Here you are."})
	w.th.action(w.admin, c.convID, "close", map[string]any{"topic": "towels", "mood": "satisfied", "survey": true})
}

func (c *customer) csat() int {
	var conv struct {
		CSAT *struct{ Score int } `json:"csat"`
	}
	c.w.th.must(200, "GET", "/api/v1/conversations/"+c.convID, c.w.admin, nil).json(c.w.th.t, &conv)
	if conv.CSAT == nil {
		return 0
	}
	return conv.CSAT.Score
}

func TestSurvey_ScoresFromSMSTelegramAndWidgetCountForTheCloser(t *testing.T) {
	w := newBotWorld(t)

	sms := w.customer("sms")
	sms.says("je voudrais parler à un conseiller")
	w.closeForSurvey(sms)
	eventually(t, "the survey SMS", 10*time.Second, func() bool {
		for _, m := range w.tw.messages() {
			if m.Get("To") == sms.handle && strings.Contains(m.Get("Body"), "from 1 (poor) to 5") {
				return !strings.Contains(m.Get("Body"), "\n1. ")
			}
		}
		return false
	})
	sms.says("4")
	if got, st := sms.csat(), sms.conv().Status; got != 4 || st != "closed" {
		t.Fatalf("SMS rating: csat %d status %s", got, st)
	}

	again := w.customer("sms")
	again.says("je voudrais parler à un conseiller")
	w.closeForSurvey(again)
	again.says("still broken")
	// Reopened as usual: this channel has the bot on, so back to the bot.
	if st := again.conv().Status; st != "bot" {
		t.Fatalf(`"still broken" after the survey: %s`, st)
	}
	var events struct{ Items []struct{ Type string } }
	w.th.must(200, "GET", "/api/v1/conversations/"+again.convID+"/events", w.admin, nil).json(t, &events)
	if last := events.Items[len(events.Items)-1].Type; last != "reopened" {
		t.Fatalf("last event %q, want reopened", last)
	}

	tg := w.customer("telegram")
	tg.says("je voudrais parler à un conseiller")
	w.closeForSurvey(tg)
	eventually(t, "the survey with rating buttons", 10*time.Second, func() bool {
		for _, m := range w.tg.delivered() {
			if m.chat == tg.handle && strings.Contains(m.markup, `"callback_data":"5"`) {
				return true
			}
		}
		return false
	})
	press := fmt.Sprintf(`{"update_id":%d,"callback_query":{"id":"cb-1","from":{"id":%s,"is_bot":false,"first_name":"Lea"},"message":{"message_id":9,"date":1763715600,"chat":{"id":%s,"type":"private"}},"data":"5"}}`,
		w.seq.Add(1), tg.handle, tg.handle)
	if r := w.th.telegramPost(w.telegram.ID, tgSecret, press); r.status != 200 {
		t.Fatalf("button press: %d %s", r.status, r.body)
	}
	if got := tg.csat(); got != 5 {
		t.Fatalf("Telegram rating: %d", got)
	}

	web := w.customer("webchat")
	web.says("je voudrais parler à un conseiller")
	w.closeForSurvey(web)
	var hist struct {
		Items []struct{ Kind string }
	}
	w.th.must(200, "GET", "/api/v1/widget/"+w.webchat+"/messages", web.visitor.token, nil).json(t, &hist)
	if k := hist.Items[len(hist.Items)-1].Kind; k != "survey" {
		t.Fatalf("the widget's last message kind is %q, want survey (stars)", k)
	}
	web.says("★★★") // what a click on the third star sends
	if got := web.csat(); got != 3 {
		t.Fatalf("widget rating: %d", got)
	}

	var report struct {
		Items []struct {
			Email string `json:"email"`
			CSAT  struct {
				Average *float64 `json:"average"`
				Count   int      `json:"count"`
			} `json:"csat"`
		}
	}
	w.th.must(200, "GET", "/api/v1/reports/agents?from=2026-11-20&to=2026-11-22", w.admin, nil).json(t, &report)
	for _, a := range report.Items {
		if a.Email == "admin@hotel.test" {
			if a.CSAT.Count != 3 || a.CSAT.Average == nil || *a.CSAT.Average != 4 {
				t.Fatalf("admin's CSAT in the report: %+v", a.CSAT)
			}
			return
		}
	}
	t.Fatal("the closer is not in the agent report")
}
