package hub_test

import (
	"testing"
	"time"
)

const (
	partnerSecret    = "partner-secret-0123456789"
	partnerOldSecret = "partner-old-secret-987654"
)

func partnerSetup(t *testing.T) (*testHub, string, *fakePartner, channelJSON) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	fp := newFakePartner(t, partnerSecret)
	ch := th.createChannel(admin, "partner", false, map[string]string{
		"url": fp.srv.URL + "/replies", "secret": partnerSecret, "previousSecret": partnerOldSecret,
	})
	return th, admin, fp, ch
}

func guestEvent(id, guest, text string) map[string]any {
	return map[string]any{
		"eventId": id, "type": "message", "conversationRef": "RES-42",
		"guest": map[string]any{"id": guest, "name": "Ana Lima"}, "text": text,
	}
}

func TestPartner_BadSignatureOrStaleTimestampStoresNothing(t *testing.T) {
	th, admin, _, ch := partnerSetup(t)
	if r := th.partnerPost(ch.ID, "not-the-secret-at-all", guestEvent("e1", "g-1", "hi"), time.Now()); r.status != 401 {
		t.Fatalf("bad signature: %d %s", r.status, r.body)
	}
	if r := th.partnerPost(ch.ID, partnerSecret, guestEvent("e2", "g-1", "hi"), time.Now().Add(-6*time.Minute)); r.status != 401 {
		t.Fatalf("6-minute-old timestamp: %d %s", r.status, r.body)
	}
	if _, ok := th.conversationOf(admin, ch.ID, "g-1"); ok {
		t.Fatal("a refused webhook created a conversation")
	}
	// Both secrets work during a rotation; a repeated event id is one message.
	for _, secret := range []string{partnerSecret, partnerOldSecret, partnerSecret} {
		if r := th.partnerPost(ch.ID, secret, guestEvent("e3", "g-1", "Can I bring my dog?"), time.Now()); r.status != 200 {
			t.Fatalf("secret %q: %d %s", secret, r.status, r.body)
		}
	}
	if r := th.partnerPost(ch.ID, partnerOldSecret, guestEvent("e4", "g-1", "And a cat?"), time.Now()); r.status != 200 {
		t.Fatalf("previous secret: %d %s", r.status, r.body)
	}
	conv, ok := th.conversationOf(admin, ch.ID, "g-1")
	if !ok {
		t.Fatal("no conversation")
	}
	if n := len(th.messages(admin, conv.ID)); n != 2 {
		t.Fatalf("%d messages, want 2", n)
	}
}

func TestPartner_ReplyRetriedUntilAcceptedThenNeverAgain(t *testing.T) {
	th, admin, fp, ch := partnerSetup(t)
	th.partnerPost(ch.ID, partnerSecret, guestEvent("e10", "g-2", "Is there a crib?"), time.Now())
	conv, _ := th.conversationOf(admin, ch.ID, "g-2")

	fp.setDown(true)
	var reply msgJSON
	th.must(201, "POST", "/api/v1/conversations/"+conv.ID+"/messages", admin, map[string]any{"text": "Yes, free of charge."}).json(t, &reply)
	eventually(t, "two refused attempts", 15*time.Second, func() bool { hits, _, _ := fp.snapshot(); return hits >= 2 })
	if d := th.messageByID(admin, conv.ID, reply.ID); d.Delivery != "queued" || d.DeliveryError == "" {
		t.Fatalf("while the partner is down: %+v", d)
	}
	fp.setDown(false)
	eventually(t, "the reply accepted", 15*time.Second, func() bool { _, got, _ := fp.snapshot(); return got[reply.ID] == 1 })
	eventually(t, "the reply marked sent", 5*time.Second, func() bool { return th.messageByID(admin, conv.ID, reply.ID).Delivery == "sent" })
	hits, _, bad := fp.snapshot()
	time.Sleep(2500 * time.Millisecond) // longer than the next backoff step
	hits2, got, _ := fp.snapshot()
	if hits2 != hits || got[reply.ID] != 1 {
		t.Fatalf("sent again after the partner accepted it: %d → %d hits, %v", hits, hits2, got)
	}
	if len(bad) > 0 {
		t.Fatalf("the partner refused requests: %v", bad)
	}
	fp.mu.Lock()
	body := fp.bodies[0]
	fp.mu.Unlock()
	if body["conversationRef"] != "RES-42" || body["guestId"] != "g-2" || body["text"] != "Yes, free of charge." {
		t.Fatalf("partner got %v", body)
	}
}
