package hub_test

import (
	"context"
	"testing"
	"time"

	"hub/inbox"
)

// TestTelegram_ReplyMessageIDsNeverDropOrRefuse: Telegram numbers a bot's
// messages per chat, and updates with a counter of its own, so a reply's
// message_id collides with other chats' replies and, sooner or later,
// with an update_id. Each reply must keep its provider id, and an update
// whose update_id equals a reply's message_id is a new customer message:
// stored and answered, not dropped as a retry.
func TestTelegram_ReplyMessageIDsNeverDropOrRefuse(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	api := newFakeBotAPI(t, tgToken)
	api.mu.Lock()
	api.perChat = true
	api.mu.Unlock()
	ch := th.createChannel(admin, "telegram", true, map[string]string{
		"botToken": tgToken, "webhookSecret": tgSecret, "apiBaseUrl": api.srv.URL,
	})

	// Two chats write; the bot's first reply in each is message 1.
	for i, chat := range []int64{501, 502} {
		if r := th.telegramPost(ch.ID, tgSecret, textUpdate(100+i, chat, "Hello")); r.status != 200 {
			t.Fatalf("update from %d: %d %s", chat, r.status, r.body)
		}
	}
	for _, chat := range []string{"501", "502"} {
		eventually(t, "chat "+chat+"'s reply recorded with message_id 1", 15*time.Second, func() bool {
			return th.sentWithProviderID(admin, ch.ID, chat, "1")
		})
	}

	// A new chat's update 1 carries the number both replies have.
	if r := th.telegramPost(ch.ID, tgSecret, textUpdate(1, 503, "Do you have parking?")); r.status != 200 {
		t.Fatalf("update 1: %d %s", r.status, r.body)
	}
	conv, ok := th.conversationOf(admin, ch.ID, "503")
	if !ok {
		t.Fatal("update 1 was dropped: no conversation for chat 503")
	}
	msgs := th.messages(admin, conv.ID)
	if len(msgs) == 0 || msgs[0].Direction != "in" || msgs[0].Text != "Do you have parking?" {
		t.Fatalf("chat 503's messages: %+v, want the update stored", msgs)
	}
	eventually(t, "the bot's answer to chat 503", 15*time.Second, func() bool {
		for _, s := range api.delivered() {
			if s.chat == "503" {
				return true
			}
		}
		return false
	})
	// A provider retry of update 1 is still a duplicate.
	th.telegramPost(ch.ID, tgSecret, textUpdate(1, 503, "Do you have parking?"))
	in := 0
	for _, m := range th.messages(admin, conv.ID) {
		if m.Direction == "in" {
			in++
		}
	}
	if in != 1 {
		t.Errorf("chat 503 has %d inbound messages after a retry of update 1, want 1", in)
	}
}

// sentWithProviderID reports whether the conversation of handle on the
// channel has a reply sent with that provider id.
func (th *testHub) sentWithProviderID(token, channelID, handle, providerID string) bool {
	th.t.Helper()
	conv, ok := th.conversationOf(token, channelID, handle)
	if !ok {
		return false
	}
	ctx := context.Background()
	list, err := th.store.ListMessages(ctx, th.demo.Workspace.ID, conv.ID, "", 0)
	if err != nil {
		th.t.Fatal(err)
	}
	for _, m := range list {
		if m.Direction == inbox.DirectionOut && m.Delivery == inbox.DeliverySent && m.ExternalID == providerID {
			return true
		}
	}
	return false
}
