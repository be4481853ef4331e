package hub_test

import (
	"strings"
	"testing"
)

// TestBot_AnswersThenHandsOffAfterTwoMisses drives the demo bot over the
// widget API: a greeting, a keyword answer, then two messages it cannot
// answer hand the conversation to the agents' queue.
func TestBot_AnswersThenHandsOffAfterTwoMisses(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	v := th.newVisitor(th.demo.Channel.ID)

	convID := v.say("Bonjour, quel est le mot de passe du wifi ?").ConversationID
	msgs := th.messages(admin, convID)
	if len(msgs) != 3 || msgs[1].Author.Type != "bot" || !strings.Contains(msgs[2].Text, "Hotel-Guests") {
		t.Fatalf("greeting and Wi-Fi answer expected, got %+v", msgs)
	}
	if c := th.conversation(admin, convID); c.Status != "bot" || c.AwaitingReply {
		t.Fatalf("after an answered question: %+v", c)
	}

	v.say("Do you rent bicycles?")
	if c := th.conversation(admin, convID); c.Status != "bot" {
		t.Fatalf("one miss already handed off: %s", c.Status)
	}
	v.say("And kayaks on the lake?")
	c := th.conversation(admin, convID)
	if c.Status != "open" || c.AssigneeID != "" || !c.AwaitingReply {
		t.Fatalf("two misses: %+v, want open, unassigned, awaiting a reply", c)
	}
	before := len(th.messages(admin, convID))
	v.say("Hello? Anyone?")
	if after := th.messages(admin, convID); len(after) != before+1 {
		t.Fatalf("the bot spoke while the conversation is open: %+v", after[before:])
	}
}
