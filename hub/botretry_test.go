package hub_test

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"hub/adapters"
	"hub/inbox"
)

// Provider retries and the bot: a webhook the hub did not acknowledge
// (it crashed, or is still working on it) comes again with the same
// provider id. The customer's message is stored once, and the bot's answer
// to it is stored, and sent, exactly once.

// sendsByMessage counts the fake Twilio's sends per hub message id (the
// hub names its message in each send's status callback).
func sendsByMessage(t *testing.T, tw *fakeTwilio) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, form := range tw.messages() {
		cb, err := url.Parse(form.Get("StatusCallback"))
		if err != nil || cb.Query().Get("message") == "" {
			t.Fatalf("a send without the hub's message id: %v", form)
		}
		out[cb.Query().Get("message")]++
	}
	return out
}

// smsRetry is one customer SMS of a botWorld, sent with a fixed MessageSid
// so it can be retried like Twilio does.
type smsRetry struct {
	w    *botWorld
	sid  string
	from string
	text string
}

func (w *botWorld) sms1(sid, from, text string) smsRetry {
	return smsRetry{w: w, sid: sid, from: from, text: text}
}

// post sends the webhook as Twilio does.
func (s smsRetry) post() {
	s.w.th.t.Helper()
	r := s.w.th.twilioPost("/hooks/sms/"+s.w.sms.ID, twilioToken, inboundSMS(s.sid, s.from, s.text), false)
	if r.status != 200 {
		s.w.th.t.Fatalf("SMS %s: %d %s", s.sid, r.status, r.body)
	}
}

// deliver hands the message to the hub directly, as the adapter does.
func (s smsRetry) deliver() (adapters.Receipt, error) {
	return s.w.th.hub.Deliver(context.Background(), adapters.Inbound{
		ChannelID: s.w.sms.ID, ExternalID: s.sid, ContactHandle: s.from, Text: s.text,
	})
}

// storeOnly stores the message and updates its conversation, then stops,
// like a hub killed before its bot's turn and before the webhook's 2xx.
func (s smsRetry) storeOnly() {
	th := s.w.th
	th.t.Helper()
	ch, err := th.store.FindChannel(context.Background(), s.w.sms.ID)
	if err != nil {
		th.t.Fatal(err)
	}
	if _, err := th.hub.Service().Ingest(context.Background(), ch, inbox.IngestInput{ExternalID: s.sid, ContactHandle: s.from, Text: s.text}); err != nil {
		th.t.Fatal(err)
	}
}

// stored is the conversation of s as stored, with its messages.
func (s smsRetry) stored() (*inbox.Conversation, []inbox.Message) {
	th := s.w.th
	th.t.Helper()
	ctx := context.Background()
	conv, ok := th.conversationOf(s.w.admin, s.w.sms.ID, s.from)
	if !ok {
		th.t.Fatalf("no conversation for %s", s.from)
	}
	c, err := th.store.GetConversation(ctx, th.demo.Workspace.ID, conv.ID)
	if err != nil {
		th.t.Fatal(err)
	}
	msgs, err := th.store.ListMessages(ctx, th.demo.Workspace.ID, conv.ID, "", 0)
	if err != nil {
		th.t.Fatal(err)
	}
	return c, msgs
}

// wantAnswered checks the conversation of s: each customer message once,
// the bot's replies exactly the texts want, in order, each sent to the
// customer once.
func (s smsRetry) wantAnswered(inbound int, want ...string) {
	t := s.w.th.t
	t.Helper()
	_, msgs := s.stored()
	var bot []inbox.Message
	in := 0
	for _, m := range msgs {
		switch {
		case m.Direction == inbox.DirectionIn:
			in++
		case m.Author.Type == inbox.AuthorBot:
			bot = append(bot, m)
		}
	}
	texts := make([]string, len(bot))
	for i, m := range bot {
		texts[i] = m.Text
	}
	if in != inbound || fmt.Sprint(texts) != fmt.Sprint(want) {
		t.Fatalf("%d customer messages and bot replies %q; want %d and %q", in, texts, inbound, want)
	}
	eventually(t, "every bot reply at the fake Twilio", 10*time.Second, func() bool {
		sent := sendsByMessage(t, s.w.tw)
		for _, m := range bot {
			if sent[m.ID] == 0 {
				return false
			}
		}
		return true
	})
	// Give a second send the time to happen, then count.
	time.Sleep(100 * time.Millisecond)
	sent := sendsByMessage(t, s.w.tw)
	for _, m := range bot {
		if sent[m.ID] != 1 {
			t.Fatalf("bot reply %q sent %d times, want once", m.Text, sent[m.ID])
		}
	}
}

const (
	greeting = "Hello! I am the virtual assistant. How can I help you?"
	fallback = "Sorry, I did not understand. Could you rephrase? You can also ask for an agent."
	wifi     = "The Wi-Fi network is \"Hotel-Guests\"; the password is on your key card holder. / Le réseau Wi-Fi est « Hotel-Guests » ; le mot de passe est sur la pochette de votre carte."
)

// TestBotRetry_MessageStoredBeforeACrashIsAnsweredOnRetry: the hub stored
// the message and died before the bot answered; Twilio's retry is a
// duplicate, and the customer gets the bot's answer, once.
func TestBotRetry_MessageStoredBeforeACrashIsAnsweredOnRetry(t *testing.T) {
	w := newBotWorld(t)
	msg := w.sms1("SMcrash1", "+33650000001", "What is the wifi password?")
	msg.storeOnly()
	before := w.th.hub.Metrics().DuplicatesIn.Load()
	msg.post()
	if got := w.th.hub.Metrics().DuplicatesIn.Load(); got != before+1 {
		t.Errorf("the retry counted as %d duplicates, want 1", got-before)
	}
	msg.wantAnswered(1, greeting, wifi)
	msg.post() // and once more, answered now
	msg.wantAnswered(1, greeting, wifi)
}

// TestBotRetry_ConcurrentDuplicatesAnswerOnce: Twilio's retries arrive
// while the original request is still running; every request may run the
// bot, the answer is stored and sent once.
func TestBotRetry_ConcurrentDuplicatesAnswerOnce(t *testing.T) {
	w := newBotWorld(t)
	for round := range 4 {
		msg := w.sms1(fmt.Sprintf("SMrace%d", round), fmt.Sprintf("+3365100000%d", round), "What is the wifi password?")
		const requests = 12
		receipts := make([]adapters.Receipt, requests)
		errs := make([]error, requests)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range requests {
			wg.Go(func() {
				<-start
				if i%2 == 0 {
					receipts[i], errs[i] = msg.deliver()
					return
				}
				// Through the real webhook too.
				r := w.th.twilioPost("/hooks/sms/"+w.sms.ID, twilioToken, inboundSMS(msg.sid, msg.from, msg.text), false)
				if r.status != 200 {
					errs[i] = fmt.Errorf("webhook %d: %s", r.status, r.body)
				}
				receipts[i].Duplicate = true // not shown by Twilio's answer
			})
		}
		close(start)
		wg.Wait()
		originals := 0
		for i, r := range receipts {
			if errs[i] != nil {
				t.Fatalf("request %d: %v", i, errs[i])
			}
			if !r.Duplicate {
				originals++
			}
		}
		if originals > 1 {
			t.Fatalf("round %d: %d requests were not duplicates", round, originals)
		}
		msg.wantAnswered(1, greeting, wifi)
	}
}

// TestBotRetry_AnsweredMessageRetryChangesNothing: a retry of a message the
// bot has answered adds no reply and does not count the miss again (two
// misses hand off: a miss counted twice would hand off at the next one).
func TestBotRetry_AnsweredMessageRetryChangesNothing(t *testing.T) {
	w := newBotWorld(t)
	msg := w.sms1("SMmiss1", "+33652000001", "Do you rent bicycles?")
	msg.post()
	msg.wantAnswered(1, greeting, fallback)
	for range 3 {
		msg.post()
		if _, err := msg.deliver(); err != nil {
			t.Fatal(err)
		}
	}
	msg.wantAnswered(1, greeting, fallback)
	if c, _ := msg.stored(); c.BotMisses != 1 || c.Status != inbox.StatusBot {
		t.Fatalf("after retries of a miss: misses %d, status %s; want 1, bot", c.BotMisses, c.Status)
	}
	next := w.sms1("SMmiss2", msg.from, "And kayaks on the lake?")
	next.post()
	if c, _ := next.stored(); c.Status != inbox.StatusOpen {
		t.Fatalf("the second miss did not hand off: %s", c.Status)
	}
	next.wantAnswered(2, greeting, fallback, "Thanks, a member of our team will be with you shortly.")
}

// TestBotRetry_OldMessageIsNotAnsweredAfterANewerOne: the hub died before
// answering A; the customer wrote B, which was answered; A's retry comes
// last and gets no answer of its own, which would now be out of turn.
func TestBotRetry_OldMessageIsNotAnsweredAfterANewerOne(t *testing.T) {
	w := newBotWorld(t)
	a := w.sms1("SMold1", "+33653000001", "Do you rent bicycles?")
	a.storeOnly()
	b := w.sms1("SMold2", a.from, "What is the wifi password?")
	b.post()
	b.wantAnswered(2, wifi)
	a.post()
	b.wantAnswered(2, wifi)
}
