package api

import (
	"testing"

	"hub/inbox"
)

func TestFrameCache_SharesMessageFramesAndNeverConversationOnlyOnes(t *testing.T) {
	var c frameCache
	conv := &inbox.Conversation{ID: "c1"}
	msg := &inbox.Message{ID: "m1"}

	if _, ok := keyOf(inbox.Change{Kind: inbox.ConversationUpdated, Conversation: conv}); ok {
		t.Fatal("a conversation-only change is cached: the same pointer may be emitted again, changed")
	}
	k, ok := keyOf(inbox.Change{Kind: inbox.MessageCreated, Conversation: conv, Message: msg})
	if !ok {
		t.Fatal("a message change is not cached")
	}
	c.put(k, []byte(`{"type":"message.created"}`))
	if got, ok := c.get(k); !ok || string(got) != `{"type":"message.created"}` {
		t.Fatalf("get = %q, %v", got, ok)
	}
	// Another copy of the same message is another change.
	other := *msg
	k2, _ := keyOf(inbox.Change{Kind: inbox.MessageCreated, Conversation: conv, Message: &other})
	if _, ok := c.get(k2); ok {
		t.Fatal("a different message pointer matched")
	}
	// The ring forgets the oldest entry.
	for i := range frameCacheSize {
		m := &inbox.Message{ID: string(rune('a' + i))}
		key, _ := keyOf(inbox.Change{Kind: inbox.MessageUpdated, Message: m})
		c.put(key, []byte("x"))
	}
	if _, ok := c.get(k); ok {
		t.Fatal("the oldest entry survived a full ring")
	}
}
