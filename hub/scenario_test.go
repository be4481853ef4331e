package hub_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestScenario_WebChatEndToEnd walks one customer through the whole
// lifecycle over the real server: bot, handoff, agent, hold, close, the
// customer coming back, spam.
func TestScenario_WebChatEndToEnd(t *testing.T) {
	th := startHub(t)
	ch := th.demo.Channel.ID
	admin := th.login("admin@hotel.test", adminPassword)
	agentID, agent := th.addAgent(admin, "marie@hotel.test", "agent")
	feed := th.dial("/ws/agent?token=" + agent)

	v := th.newVisitor(ch)
	widget := th.dial("/ws/widget?channelId=" + ch + "&token=" + v.token)

	// "hello" → the bot answers.
	hello := v.say("hello")
	convID := hello.ConversationID
	bot := widget.next("the bot's answer", func(f frame) bool {
		return f.Type == "message" && f.Message.Author.Type == "bot"
	})
	if bot.Message.Text == "" || bot.Message.ConversationID != convID {
		t.Fatalf("bot answer = %+v", bot.Message)
	}
	if c := th.conversation(agent, convID); c.Status != "bot" || c.AwaitingReply {
		t.Fatalf("after hello: status %s awaiting %v, want bot and answered", c.Status, c.AwaitingReply)
	}

	// Asking for a person hands off: open, unassigned, awaiting a reply.
	v.say("je voudrais parler à un humain")
	c := th.conversation(agent, convID)
	if c.Status != "open" || c.AssigneeID != "" || !c.AwaitingReply {
		t.Fatalf("after handoff: %+v, want open, unassigned, awaitingReply", c)
	}
	feed.next("the handoff on the agent feed", func(f frame) bool {
		return f.Type == "conversation.updated" && f.Conversation.ID == convID && f.Conversation.Status == "open"
	})

	// The agent takes it and answers; the visitor gets the answer live.
	if c = th.action(agent, convID, "assign", map[string]any{}); c.AssigneeID != agentID {
		t.Fatalf("assign: assignee %q, want %q", c.AssigneeID, agentID)
	}
	th.must(201, "POST", "/api/v1/conversations/"+convID+"/messages", agent, map[string]any{"text": "Bonjour, je suis Marie. Comment puis-je vous aider ?"})
	got := widget.next("the agent's reply", func(f frame) bool {
		return f.Type == "message" && f.Message.Author.Type == "agent"
	})
	if !strings.HasPrefix(got.Message.Text, "Bonjour, je suis Marie") {
		t.Fatalf("visitor got %q", got.Message.Text)
	}
	if c = th.conversation(agent, convID); c.AwaitingReply {
		t.Fatal("awaitingReply still set after the agent's reply")
	}

	// On hold for two seconds, then the release job brings it back.
	until := th.clock.Now().Add(2 * time.Second)
	if c = th.action(agent, convID, "snooze", map[string]any{"until": until}); c.Status != "pending" || c.SnoozedUntil == nil {
		t.Fatalf("snooze: %+v", c)
	}
	th.clock.Advance(3 * time.Second)
	n, err := th.hub.Service().ReleaseDueHolds(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("ReleaseDueHolds = %d, %v; want 1", n, err)
	}
	if c = th.conversation(agent, convID); c.Status != "open" || c.AssigneeID != agentID || c.SnoozedUntil != nil {
		t.Fatalf("after release: %+v, want open with the same assignee", c)
	}

	// Close with a wrap-up.
	c = th.action(agent, convID, "close", map[string]any{"topic": "booking", "mood": "satisfied"})
	if c.Status != "closed" || c.ClosedAt == nil || c.WrapUp == nil || c.WrapUp.Topic != "booking" || !c.WrapUp.Survey {
		t.Fatalf("close: %+v", c)
	}

	// The visitor writes again: the same conversation, back with the bot.
	again := v.say("One more question about breakfast")
	if again.ConversationID != convID {
		t.Fatalf("new message went to %s, want the same conversation %s", again.ConversationID, convID)
	}
	if c = th.conversation(agent, convID); c.Status != "bot" {
		t.Fatalf("after the customer came back: status %s, want bot", c.Status)
	}
	widget.next("the bot's breakfast answer", func(f frame) bool {
		return f.Type == "message" && f.Message.Author.Type == "bot" && strings.Contains(f.Message.Text, "Breakfast")
	})

	// The answer's delivery report reaches the feed after the widget got
	// it; wait for it, so the frames after the spam change below are all
	// news.
	feed.next("the bot's breakfast answer delivered", func(f frame) bool {
		return f.Type == "message.updated" && f.Message != nil && f.Message.Author.Type == "bot" &&
			strings.Contains(f.Message.Text, "Breakfast") && f.Message.Delivery == "delivered"
	})

	// Spam: later messages are stored but nobody is notified.
	if c = th.action(agent, convID, "spam", nil); c.Status != "spam" {
		t.Fatalf("spam: status %s", c.Status)
	}
	feed.next("the spam change", func(f frame) bool {
		return f.Conversation != nil && f.Conversation.ID == convID && f.Conversation.Status == "spam"
	})
	before := len(th.messages(agent, convID))
	spam := v.say("BUY CHEAP WATCHES http://spam.example")
	if spam.ConversationID != convID {
		t.Fatalf("spam message went to %s", spam.ConversationID)
	}
	if after := th.messages(agent, convID); len(after) != before+1 {
		t.Fatalf("spam message not stored: %d messages, want %d", len(after), before+1)
	}
	// A second customer writes; the first frame the agent feed carries must
	// be about them, not about the spammer.
	other := th.newVisitor(ch)
	otherMsg := other.say("hello there")
	f := feed.next("the next notification", func(f frame) bool { return true })
	if (f.Conversation != nil && f.Conversation.ID != otherMsg.ConversationID) || (f.Message != nil && f.Message.ConversationID != otherMsg.ConversationID) {
		t.Fatalf("agent notified about %s after the spam message: %s", convID, f.Raw)
	}
	if c = th.conversation(agent, convID); c.Status != "spam" {
		t.Fatalf("spam conversation moved to %s", c.Status)
	}
}
