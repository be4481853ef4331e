package hub_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// botWorld is the demo hotel with one channel of each type, the bot on,
// and fakes of the providers behind them.
type botWorld struct {
	th       *testHub
	admin    string
	teamID   string
	webchat  string
	tw       *fakeTwilio
	sms      channelJSON
	tg       *fakeBotAPI
	telegram channelJSON
	fp       *fakePartner
	partner  channelJSON
	seq      atomic.Int64
}

func newBotWorld(t *testing.T) *botWorld {
	th := startHub(t)
	w := &botWorld{th: th, admin: th.login("admin@hotel.test", adminPassword), webchat: th.demo.Channel.ID}
	var team struct{ ID string }
	th.must(201, "POST", "/api/v1/teams", w.admin, map[string]any{"name": "Sales"}).json(t, &team)
	w.teamID = team.ID
	th.must(201, "POST", "/api/v1/bot/rules", w.admin, map[string]any{
		"name": "Menu", "keywords": []string{"menu", "help"}, "answer": "What do you need?", "buttons": []string{"Breakfast", "Parking"}, "priority": 30,
	})
	th.must(201, "POST", "/api/v1/bot/rules", w.admin, map[string]any{
		"name": "Groups", "phrases": []string{"group booking"}, "answer": "Our sales team will contact you.", "handoff": true, "teamId": team.ID, "priority": 40,
	})
	w.tw = newFakeTwilio(t, twilioSID, twilioToken)
	w.sms = th.createChannel(w.admin, "sms", true, map[string]string{
		"accountSid": twilioSID, "authToken": twilioToken, "from": "+33100000000", "apiBaseUrl": w.tw.srv.URL, "mps": "100",
	})
	w.tg = newFakeBotAPI(t, tgToken)
	w.telegram = th.createChannel(w.admin, "telegram", true, map[string]string{"botToken": tgToken, "webhookSecret": tgSecret, "apiBaseUrl": w.tg.srv.URL})
	w.fp = newFakePartner(t, partnerSecret)
	w.partner = th.createChannel(w.admin, "partner", true, map[string]string{"url": w.fp.srv.URL, "secret": partnerSecret})
	return w
}

// customer is one person writing on one channel.
type customer struct {
	w       *botWorld
	kind    string
	handle  string
	visitor *visitor
	convID  string
}

func (w *botWorld) customer(kind string) *customer {
	n := w.seq.Add(1)
	c := &customer{w: w, kind: kind}
	switch kind {
	case "webchat":
		c.visitor = w.th.newVisitor(w.webchat)
	case "sms":
		c.handle = fmt.Sprintf("+336%08d", n)
	case "telegram":
		c.handle = fmt.Sprint(7000 + n)
	case "partner":
		c.handle = fmt.Sprintf("guest-%d", n)
	}
	return c
}

func (c *customer) channelID() string {
	switch c.kind {
	case "sms":
		return c.w.sms.ID
	case "telegram":
		return c.w.telegram.ID
	case "partner":
		return c.w.partner.ID
	}
	return c.w.webchat
}

// says sends text from the customer through the channel's real entry point.
func (c *customer) says(text string) {
	th := c.w.th
	th.t.Helper()
	n := c.w.seq.Add(1)
	var r response
	switch c.kind {
	case "webchat":
		m := c.visitor.say(text)
		c.convID = m.ConversationID
		return
	case "sms":
		r = th.twilioPost("/hooks/sms/"+c.w.sms.ID, twilioToken, inboundSMS(fmt.Sprintf("SM%d", n), c.handle, text), false)
	case "telegram":
		chat := 0
		fmt.Sscan(c.handle, &chat)
		r = th.telegramPost(c.w.telegram.ID, tgSecret, textUpdate(int(n), int64(chat), text))
	case "partner":
		r = th.partnerPost(c.w.partner.ID, partnerSecret, guestEvent(fmt.Sprintf("e%d", n), c.handle, text), time.Now())
	}
	if r.status != 200 {
		th.t.Fatalf("%s message %q: %d %s", c.kind, text, r.status, r.body)
	}
	if c.convID == "" {
		conv, ok := th.conversationOf(c.w.admin, c.channelID(), c.handle)
		if !ok {
			th.t.Fatalf("no %s conversation for %s", c.kind, c.handle)
		}
		c.convID = conv.ID
	}
}

// botSaid returns the bot's public messages in the conversation.
func (c *customer) botSaid() []string {
	var out struct {
		Items []struct {
			Text    string   `json:"text"`
			Private bool     `json:"private"`
			Buttons []string `json:"buttons"`
			Author  struct{ Type string }
		}
	}
	c.w.th.must(200, "GET", "/api/v1/conversations/"+c.convID+"/messages", c.w.admin, nil).json(c.w.th.t, &out)
	var said []string
	for _, m := range out.Items {
		if m.Author.Type == "bot" && !m.Private {
			said = append(said, m.Text+strings.Join(m.Buttons, "|"))
		}
	}
	return said
}

func (c *customer) conv() convJSON { return c.w.th.conversation(c.w.admin, c.convID) }

func TestBot_SameBehaviourOnAllFourChannels(t *testing.T) {
	w := newBotWorld(t)
	for _, kind := range []string{"webchat", "sms", "telegram", "partner"} {
		t.Run(kind, func(t *testing.T) {
			a := w.customer(kind)
			a.says("hello")
			if said := a.botSaid(); len(said) != 1 || !strings.HasPrefix(said[0], "Hello! I am the virtual assistant") {
				t.Fatalf("greeting: %q", said)
			}
			a.says("what is the wifi password?")
			if said := a.botSaid(); len(said) != 2 || !strings.Contains(said[1], "Hotel-Guests") {
				t.Fatalf("FAQ answer: %q", said)
			}
			a.says("menu")
			if said := a.botSaid(); len(said) != 3 || said[2] != "What do you need?Breakfast|Parking" {
				t.Fatalf("answer with buttons: %q", said)
			}
			w.checkButtonsRendered(t, a)
			a.says("2")
			if said := a.botSaid(); len(said) != 4 || !strings.Contains(said[3], "garage") {
				t.Fatalf(`"2" after the menu: %q`, said)
			}
			a.says("je voudrais parler à un conseiller")
			if conv := a.conv(); conv.Status != "open" {
				t.Fatalf("asking for a person in French: %s", conv.Status)
			}
			before := len(a.botSaid())
			a.says("hello? anyone? wifi?")
			if n := len(a.botSaid()); n != before {
				t.Fatalf("the bot spoke while the conversation is open: %d → %d", before, n)
			}

			b := w.customer(kind)
			b.says("xyzzy plugh")
			b.says("frobozz")
			if conv := b.conv(); conv.Status != "open" || conv.TeamID != "" {
				t.Fatalf("two unmatched messages: %+v", conv)
			}

			c := w.customer(kind)
			c.says("a group booking for 30 people")
			if conv := c.conv(); conv.Status != "open" || conv.TeamID != w.teamID {
				t.Fatalf("rule handoff to a team: %+v", conv)
			}
			var queue struct{ Items []convJSON }
			w.th.must(200, "GET", "/api/v1/conversations?status=open&team="+w.teamID, w.admin, nil).json(t, &queue)
			found := false
			for _, q := range queue.Items {
				found = found || q.ID == c.convID
			}
			if !found {
				t.Fatal("the conversation is not in the team's queue")
			}
		})
	}
}

// checkButtonsRendered looks at what the provider got for "What do you need?".
func (w *botWorld) checkButtonsRendered(t *testing.T, c *customer) {
	t.Helper()
	switch c.kind {
	case "webchat":
		var hist struct {
			Items []struct {
				Text    string
				Buttons []string
			}
		}
		w.th.must(200, "GET", "/api/v1/widget/"+w.webchat+"/messages", c.visitor.token, nil).json(t, &hist)
		last := hist.Items[len(hist.Items)-1]
		if last.Text != "What do you need?" || strings.Join(last.Buttons, "|") != "Breakfast|Parking" {
			t.Fatalf("widget got %+v", last)
		}
	case "sms":
		eventually(t, "the SMS with a numbered list", 10*time.Second, func() bool {
			for _, m := range w.tw.messages() {
				if m.Get("To") == c.handle && m.Get("Body") == "What do you need?\n\n1. Breakfast\n2. Parking" {
					return true
				}
			}
			return false
		})
	case "telegram":
		eventually(t, "the Telegram message with an inline keyboard", 10*time.Second, func() bool {
			for _, m := range w.tg.delivered() {
				if m.chat == c.handle && m.text == "What do you need?" && strings.Contains(m.markup, `"inline_keyboard"`) &&
					strings.Contains(m.markup, `"Breakfast"`) && strings.Contains(m.markup, `"Parking"`) {
					return true
				}
			}
			return false
		})
	case "partner":
		eventually(t, "the partner message with buttons", 10*time.Second, func() bool {
			w.fp.mu.Lock()
			defer w.fp.mu.Unlock()
			for _, b := range w.fp.bodies {
				raw, _ := json.Marshal(b["buttons"])
				if b["guestId"] == c.handle && b["text"] == "What do you need?" && string(raw) == `["Breakfast","Parking"]` {
					return true
				}
			}
			return false
		})
	}
}
