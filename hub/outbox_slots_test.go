package hub_test

import (
	"fmt"
	"testing"
	"time"
)

// TestOutbox_BusyChannelDoesNotHoldUpOtherChannels queues 200 Telegram
// replies (the bot may send about 30 a second, so they drain over
// seconds), then one partner reply: the partner reply goes out while most
// Telegram replies still wait for their turn, instead of queueing behind
// them for a send slot.
func TestOutbox_BusyChannelDoesNotHoldUpOtherChannels(t *testing.T) {
	th, admin, api, tg := telegramSetup(t)
	fp := newFakePartner(t, partnerSecret)
	partnerCh := th.createChannel(admin, "partner", false, map[string]string{"url": fp.srv.URL, "secret": partnerSecret})

	const chats = 200
	convs := make([]string, chats)
	for i := range chats {
		chat := int64(7000 + i)
		th.telegramPost(tg.ID, tgSecret, textUpdate(5000+i, chat, "Is the pool heated?"))
		c, ok := th.conversationOf(admin, tg.ID, fmt.Sprint(chat))
		if !ok {
			t.Fatalf("no conversation for chat %d", chat)
		}
		convs[i] = c.ID
	}
	th.partnerPost(partnerCh.ID, partnerSecret, guestEvent("evt-slots", "guest-slots", "Late arrival"), time.Now())
	guest, ok := th.conversationOf(admin, partnerCh.ID, "guest-slots")
	if !ok {
		t.Fatal("no partner conversation")
	}

	for _, id := range convs {
		th.must(201, "POST", "/api/v1/conversations/"+id+"/messages", admin, map[string]any{"text": "Yes, 28 °C."})
	}
	var reply struct{ ID string }
	th.must(201, "POST", "/api/v1/conversations/"+guest.ID+"/messages", admin, map[string]any{"text": "Noted, see you tonight."}).json(t, &reply)

	var telegramSentBefore int
	eventually(t, "the partner reply", 30*time.Second, func() bool {
		_, got, _ := fp.snapshot()
		if got[reply.ID] == 0 {
			return false
		}
		telegramSentBefore = len(api.delivered())
		return true
	})
	t.Logf("the partner reply went out after %d of %d Telegram replies", telegramSentBefore, chats)
	if telegramSentBefore >= chats/2 {
		t.Errorf("the partner reply waited behind %d Telegram replies: waiting sends hold the send slots", telegramSentBefore)
	}
	eventually(t, "every Telegram reply", 60*time.Second, func() bool { return len(api.delivered()) == chats })
}
