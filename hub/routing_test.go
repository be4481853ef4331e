package hub_test

import (
	"strings"
	"testing"
	"time"
)

type offerJSON struct {
	Offer *struct {
		AgentID string `json:"agentId"`
		Kind    string `json:"kind"`
	} `json:"offer"`
	AssigneeID string `json:"assigneeId"`
}

func (th *testHub) offerOf(token, convID string) offerJSON {
	th.t.Helper()
	var o offerJSON
	th.must(200, "GET", "/api/v1/conversations/"+convID, token, nil).json(th.t, &o)
	return o
}

func (th *testHub) statusOf(token, agentID string) string {
	th.t.Helper()
	var out struct {
		Items []struct{ ID, Status string }
	}
	th.must(200, "GET", "/api/v1/agents", token, nil).json(th.t, &out)
	for _, a := range out.Items {
		if a.ID == agentID {
			return a.Status
		}
	}
	th.t.Fatalf("agent %s not listed", agentID)
	return ""
}

func TestRouting_AutoOffersRONAAndAcceptOverTheAPI(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	th.must(200, "PATCH", "/api/v1/settings", admin, map[string]any{"routingMode": "auto", "offerTimeoutSeconds": 30})
	th.must(200, "PATCH", "/api/v1/agents/me/status", admin, map[string]any{"status": "away"})
	a1, tok1 := th.addAgent(admin, "a1@hotel.test", "agent")
	a2, tok2 := th.addAgent(admin, "a2@hotel.test", "agent")
	if r := th.do("PATCH", "/api/v1/agents/me/status", tok1, map[string]any{"status": "busy"}); r.status != 400 || r.errorCode() != "invalid_status" {
		t.Fatalf("unknown status: %d %s", r.status, r.body)
	}
	th.must(200, "PATCH", "/api/v1/agents/me/status", tok1, map[string]any{"status": "available"})
	feed := th.dial("/ws/agent?token=" + tok1)

	v := th.newVisitor(th.demo.Channel.ID)
	conv := v.say("je voudrais parler à un humain").ConversationID
	feed.next("the offer on a1's feed", func(f frame) bool {
		return f.Conversation != nil && f.Conversation.ID == conv && th.offerOf(admin, conv).Offer != nil
	})
	if o := th.offerOf(admin, conv); o.Offer.AgentID != a1 || o.Offer.Kind != "route" {
		t.Fatalf("offer %+v, want a route offer to a1", o.Offer)
	}

	// a1 lets it ring: RONA, and a2 gets it as soon as they are available.
	th.clock.Advance(31 * time.Second)
	eventually(t, "a1 RONA", 10*time.Second, func() bool { return th.statusOf(admin, a1) == "rona" })
	if o := th.offerOf(admin, conv); o.Offer != nil {
		t.Fatalf("offered to %s with nobody available", o.Offer.AgentID)
	}
	th.must(200, "PATCH", "/api/v1/agents/me/status", tok2, map[string]any{"status": "available"})
	eventually(t, "the offer to a2", 10*time.Second, func() bool {
		o := th.offerOf(admin, conv)
		return o.Offer != nil && o.Offer.AgentID == a2
	})
	if r := th.do("POST", "/api/v1/conversations/"+conv+"/accept", tok1, nil); r.status != 409 || r.errorCode() != "offer_not_yours" {
		t.Fatalf("a1 accepting a2's offer: %d %s", r.status, r.body)
	}
	th.must(200, "POST", "/api/v1/conversations/"+conv+"/accept", tok2, nil)
	if o := th.offerOf(admin, conv); o.AssigneeID != a2 || o.Offer != nil {
		t.Fatalf("after accept: %+v", o)
	}
	if r := th.do("POST", "/api/v1/conversations/"+conv+"/accept", tok2, nil); r.status != 409 {
		t.Fatalf("accepting twice: %d", r.status)
	}
}

func TestConference_InvitedAgentRepliesOnlyWhileIn(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	_, tok1 := th.addAgent(admin, "a1@hotel.test", "agent")
	a2, tok2 := th.addAgent(admin, "a2@hotel.test", "agent")
	v := th.newVisitor(th.demo.Channel.ID)
	conv := v.say("je voudrais parler à un humain").ConversationID
	th.action(tok1, conv, "assign", nil)
	th.action(tok1, conv, "invite", map[string]any{"agentId": a2})
	if r := th.do("POST", "/api/v1/conversations/"+conv+"/messages", tok2, map[string]any{"text": "hi"}); r.status != 409 {
		t.Fatalf("reply before accepting the invitation: %d", r.status)
	}
	th.action(tok2, conv, "accept", nil)
	th.must(201, "POST", "/api/v1/conversations/"+conv+"/messages", tok2, map[string]any{"text": "Hello, I am the night manager."})
	th.action(tok2, conv, "leave", nil)
	if r := th.do("POST", "/api/v1/conversations/"+conv+"/messages", tok2, map[string]any{"text": "one more thing"}); r.status != 409 {
		t.Fatalf("reply after leaving: %d %s", r.status, r.body)
	}
}

func TestTeamChat_DirectRoomIsPrivateAndLive(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	a1, tok1 := th.addAgent(admin, "a1@hotel.test", "agent")
	a2, tok2 := th.addAgent(admin, "a2@hotel.test", "agent")
	_, tok3 := th.addAgent(admin, "a3@hotel.test", "agent")
	room := "dm:" + min(a1, a2) + ":" + max(a1, a2)
	var rooms struct{ Items []string }
	th.must(200, "GET", "/api/v1/chat/rooms", tok1, nil).json(t, &rooms)
	found := false
	for _, r := range rooms.Items {
		found = found || r == room
	}
	if !found {
		t.Fatalf("rooms %v lack %s", rooms.Items, room)
	}
	feed := th.dial("/ws/agent?token=" + tok2)
	th.must(201, "POST", "/api/v1/chat/rooms/"+room+"/messages", tok1, map[string]any{"text": "Can you cover room 12?"})
	f := feed.next("the chat message", func(f frame) bool { return f.Type == "chat.message" })
	if want := `"text":"Can you cover room 12?"`; !strings.Contains(string(f.Raw), want) {
		t.Fatalf("frame %s", f.Raw)
	}
	var msgs struct{ Items []struct{ Text string } }
	th.must(200, "GET", "/api/v1/chat/rooms/"+room+"/messages", tok2, nil).json(t, &msgs)
	if len(msgs.Items) != 1 {
		t.Fatalf("room messages %+v", msgs.Items)
	}
	if r := th.do("GET", "/api/v1/chat/rooms/"+room+"/messages", tok3, nil); r.status != 403 {
		t.Fatalf("a third agent reading a direct room: %d", r.status)
	}
	if r := th.do("POST", "/api/v1/chat/rooms/"+room+"/messages", tok3, map[string]any{"text": "hi"}); r.status != 403 {
		t.Fatalf("a third agent writing in a direct room: %d", r.status)
	}
}

func TestPresence_OfflineAfterTheLastFeedClosesAndGrace(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	th.must(200, "PATCH", "/api/v1/settings", admin, map[string]any{"offlineGraceSeconds": 1})
	a1, tok1 := th.addAgent(admin, "a1@hotel.test", "agent")
	var agent struct{ MaxOpen int }
	th.must(200, "PATCH", "/api/v1/agents/"+a1, admin, map[string]any{"maxOpen": 2}).json(t, &agent)
	if agent.MaxOpen != 2 {
		t.Fatalf("capacity override %d", agent.MaxOpen)
	}
	if st := th.statusOf(admin, a1); st != "offline" {
		t.Fatalf("a new agent is %s", st)
	}
	feed := th.dial("/ws/agent?token=" + tok1)
	eventually(t, "a1 available on connect", 5*time.Second, func() bool { return th.statusOf(admin, a1) == "available" })
	second := th.dial("/ws/agent?token=" + tok1)
	feed.conn.Close()
	time.Sleep(1500 * time.Millisecond) // past the grace: one feed is still open
	if st := th.statusOf(admin, a1); st != "available" {
		t.Fatalf("offline while a second tab is open: %s", st)
	}
	second.conn.Close()
	eventually(t, "a1 offline after the grace", 10*time.Second, func() bool { return th.statusOf(admin, a1) == "offline" })
}
