package inbox_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"hub/inbox"
)

// sms is a provider message with an id, as retries resend it.
func sms(id, from, text string) inbox.IngestInput {
	return inbox.IngestInput{ExternalID: id, ContactHandle: from, Text: text}
}

func (f *fixture) deliver(ch *inbox.Channel, in inbox.IngestInput) *inbox.IngestResult {
	f.t.Helper()
	f.clock.Advance(time.Second)
	return f.must1(f.svc.Ingest(f.ctx, ch, in)).(*inbox.IngestResult)
}

// inboundAnnounced counts the announcements of customer message id.
func (f *fixture) inboundAnnounced(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.changes {
		if c.Kind == inbox.MessageCreated && c.Message.ID == id {
			n++
		}
	}
	return n
}

// TestIngest_RetryIsOwedTheBotTurnUntilItCompletes: the hub stored the
// message and died before the bot's turn; the provider's retry is a
// duplicate that still gets the turn, and only until the turn completes.
func TestIngest_RetryIsOwedTheBotTurnUntilItCompletes(t *testing.T) {
	f := newFixture(t)
	in := sms("SM1", "+33600000001", "do you rent bikes?")
	first := f.deliver(f.botCh, in) // ... and the hub dies here

	retry := f.deliver(f.botCh, in)
	if !retry.Duplicate || !retry.BotOwed || !retry.RunBot() || retry.Message.ID != first.Message.ID {
		t.Fatalf("retry before the turn: duplicate %v, owed %v, runBot %v", retry.Duplicate, retry.BotOwed, retry.RunBot())
	}
	if retry.Contact == nil || retry.Contact.ID != first.Contact.ID || retry.Conversation.GreetMessageID != first.Message.ID {
		t.Fatalf("retry without what the bot needs: contact %+v, greet %q", retry.Contact, retry.Conversation.GreetMessageID)
	}
	if n := f.inboundAnnounced(first.Message.ID); n != 1 {
		t.Fatalf("the message was announced %d times, want once", n)
	}
	f.must1(f.svc.TakeBotTurn(f.ctx, retry.Conversation, missTurn(retry)))
	f.wantTurnOnce(retry)

	// A retry of the answered message: a plain duplicate, the miss is not
	// counted again.
	again := f.deliver(f.botCh, in)
	if !again.Duplicate || again.BotOwed || again.RunBot() {
		t.Fatalf("retry after the turn: owed %v, runBot %v", again.BotOwed, again.RunBot())
	}
	f.wantTurnOnce(retry)
}

// TestIngest_RetryAfterCrashBeforeTheConversationUpdate: the message is
// stored but the conversation never saw it; the retry applies it once and
// is owed the bot's turn, with the greeting of a new conversation.
func TestIngest_RetryAfterCrashBeforeTheConversationUpdate(t *testing.T) {
	f, flaky := newFlakyFixture(t)
	for _, existing := range []bool{false, true} {
		handle := fmt.Sprintf("+3360000010%v", existing)
		if existing {
			r := f.deliver(f.botCh, sms("SM-old", handle, "hello"))
			f.must1(f.svc.TakeBotTurn(f.ctx, r.Conversation, inbox.BotTurn{MessageID: r.Message.ID, Replies: []inbox.BotText{{Text: "Hi"}}}))
		}
		in := sms("SM-new-"+handle, handle, "do you rent bikes?")
		flaky.failUpdate.Store(1)
		f.clock.Advance(time.Second)
		if _, err := f.svc.Ingest(f.ctx, f.botCh, in); !errors.Is(err, errCrash) {
			t.Fatalf("setup: ingest %v, want the crash", err)
		}
		retry := f.deliver(f.botCh, in)
		c := f.get(retry.Conversation.ID)
		if !retry.Duplicate || !retry.RunBot() || c.LastInboundID != retry.Message.ID || !c.AwaitingReply ||
			(c.GreetMessageID == retry.Message.ID) == existing {
			t.Fatalf("existing %v: retry duplicate %v runBot %v; conversation last inbound %q awaiting %v greets %q",
				existing, retry.Duplicate, retry.RunBot(), c.LastInboundID, c.AwaitingReply, c.GreetMessageID)
		}
		if n := f.inboundAnnounced(retry.Message.ID); n != 1 {
			t.Fatalf("existing %v: the message was announced %d times, want once", existing, n)
		}
		f.deliver(f.botCh, in)
		if f.get(c.ID).Version != c.Version {
			t.Fatal("a second retry applied the message again")
		}
	}
}

// TestIngest_RetryOfAnOlderMessageIsNotAnswered: once a newer message came,
// answering the old one would answer out of turn.
func TestIngest_RetryOfAnOlderMessageIsNotAnswered(t *testing.T) {
	f := newFixture(t)
	old := sms("SM-a", "+33600000002", "do you rent bikes?")
	f.deliver(f.botCh, old) // the hub dies before the bot's turn
	newer := f.deliver(f.botCh, sms("SM-b", "+33600000002", "and kayaks?"))
	if r := f.deliver(f.botCh, old); r.BotOwed || r.RunBot() {
		t.Fatal("the old message's retry is owed an answer though a newer message is waiting for one")
	}
	f.must1(f.svc.TakeBotTurn(f.ctx, newer.Conversation, missTurn(newer)))
	if r := f.deliver(f.botCh, old); r.BotOwed || r.RunBot() {
		t.Fatal("the old message's retry is owed an answer after the newer one was answered")
	}
	if bots := f.botMessages(newer.Conversation.ID); len(bots) != 2 {
		t.Fatalf("%d bot messages, want the newer message's turn only", len(bots))
	}
}

// TestIngest_RetryOnceTheConversationLeftTheBot: an agent (or the bot's
// handoff) took the conversation; the bot stays silent.
func TestIngest_RetryOnceTheConversationLeftTheBot(t *testing.T) {
	f := newFixture(t)
	in := sms("SM-c", "+33600000003", "a person please")
	r := f.deliver(f.botCh, in)
	f.must1(f.svc.Handoff(f.ctx, f.ws.ID, r.Conversation.ID, "", "requested", nil))
	if again := f.deliver(f.botCh, in); !again.Duplicate || again.RunBot() {
		t.Fatalf("retry on an open conversation: runBot %v", again.RunBot())
	}
}

// TestIngest_ConcurrentRetriesApplyOnceAndTurnOnce: the provider's retries
// arrive while the original is being stored; the message is applied once
// and, with every request running the bot, the turn is stored once.
func TestIngest_ConcurrentRetriesApplyOnceAndTurnOnce(t *testing.T) {
	f := newFixture(t)
	// Spam counters, which a second application would double.
	f.svc.UseSpamRules(inbox.SpamRules{Check: func(inbox.WorkspaceSettings, string, []time.Time, int) (bool, string) { return false, "" }})
	for round := range 5 {
		in := sms(fmt.Sprintf("SM-race-%d", round), fmt.Sprintf("+3361000000%d", round), "do you rent bikes?")
		const requests = 12
		results := make([]*inbox.IngestResult, requests)
		errs := make([]error, requests)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range requests {
			wg.Go(func() {
				<-start
				results[i], errs[i] = f.svc.Ingest(f.ctx, f.botCh, in)
			})
		}
		close(start)
		wg.Wait()
		originals := 0
		for i, r := range results {
			if errs[i] != nil {
				t.Fatalf("request %d: %v", i, errs[i])
			}
			if !r.Duplicate {
				originals++
			}
			if r.Message.ID != results[0].Message.ID || !r.RunBot() {
				t.Fatalf("request %d: message %s, runBot %v", i, r.Message.ID, r.RunBot())
			}
		}
		c := f.get(results[0].Conversation.ID)
		if originals != 1 || len(c.RecentInbound) != 1 || c.RepeatCount != 1 || f.inboundAnnounced(results[0].Message.ID) != 1 {
			t.Fatalf("round %d: %d originals; applied %d times (repeat %d); announced %d times; want 1 each",
				round, originals, len(c.RecentInbound), c.RepeatCount, f.inboundAnnounced(results[0].Message.ID))
		}
		for i, r := range results {
			wg.Go(func() {
				if _, err := f.svc.TakeBotTurn(f.ctx, r.Conversation, missTurn(r)); err != nil {
					t.Errorf("turn %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		f.wantTurnOnce(results[0])
	}
}
