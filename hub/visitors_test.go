package hub_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"hub/hub/api"
	"hub/inbox"
)

type visitorJSON struct {
	ID             string    `json:"id"`
	ChannelID      string    `json:"channelId"`
	Page           string    `json:"page"`
	Title          string    `json:"title"`
	Since          time.Time `json:"since"`
	OnPageSince    time.Time `json:"onPageSince"`
	ConversationID string    `json:"conversationId"`
}

func (th *testHub) liveVisitors(token string) []visitorJSON {
	th.t.Helper()
	var out struct{ Items []visitorJSON }
	th.must(200, "GET", "/api/v1/visitors", token, nil).json(th.t, &out)
	return out.Items
}

// browsingVisitor is a web chat session with its widget socket open, as
// the widget opens it on page load.
type browsingVisitor struct {
	id, token string
	sock      *socket
}

func (th *testHub) browse(channelID, url, title string) *browsingVisitor {
	th.t.Helper()
	var s struct{ VisitorToken, VisitorID string }
	th.must(200, "POST", "/api/v1/widget/"+channelID+"/session", "", map[string]string{}).json(th.t, &s)
	v := &browsingVisitor{id: s.VisitorID, token: s.VisitorToken}
	v.sock = th.dial("/ws/widget?channelId=" + channelID + "&token=" + s.VisitorToken)
	v.show(url, title)
	return v
}

// show reports a page; the pong of the ping after it means it is recorded.
func (v *browsingVisitor) show(url, title string) {
	v.sock.t.Helper()
	b, _ := json.Marshal(map[string]string{"type": "page", "url": url, "title": title})
	for _, f := range [][]byte{b, []byte(`{"type":"ping"}`)} {
		if err := v.sock.conn.WriteMessage(websocket.TextMessage, f); err != nil {
			v.sock.t.Fatal(err)
		}
	}
	v.sock.next("pong", func(f frame) bool {
		if f.Type == "error" {
			v.sock.t.Fatalf("page frame refused: %s", f.Raw)
		}
		return f.Type == "pong"
	})
}

func TestVisitors_AgentSeesWhoIsOnTheSiteAndStartsAChat(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	_, agent := th.addAgent(admin, "rosa@hotel.test", "agent")
	channel := th.demo.Channel.ID
	arrived := th.clock.Now()

	if got := th.liveVisitors(agent); len(got) != 0 {
		t.Fatalf("before anyone came: %+v", got)
	}
	v := th.browse(channel, "https://hotel.example/rooms?from=newsletter", "Our rooms")
	got := th.liveVisitors(agent)
	want := visitorJSON{ID: v.id, ChannelID: channel, Page: "https://hotel.example/rooms?from=newsletter", Title: "Our rooms", Since: arrived, OnPageSince: arrived}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("visitors = %+v, want [%+v]", got, want)
	}

	// Moving on within the site shows at once.
	th.clock.Advance(time.Minute)
	v.show("https://hotel.example/breakfast", "Breakfast")
	if got := th.liveVisitors(agent); len(got) != 1 || got[0].Page != "https://hotel.example/breakfast" ||
		!got[0].OnPageSince.Equal(arrived.Add(time.Minute)) || !got[0].Since.Equal(arrived) {
		t.Fatalf("after moving on: %+v", got)
	}

	// The agent writes first; the visitor's widget gets it on its socket.
	const text = "Bonjour ! Breakfast is served until 10:30. Can I help?"
	var conv convJSON
	th.must(201, "POST", "/api/v1/visitors/"+v.id+"/chat", agent, map[string]string{"channelId": channel, "text": text}).json(t, &conv)
	if conv.ID == "" || conv.Status != "open" || conv.Channel.ID != channel || conv.Contact.Handle != v.id {
		t.Fatalf("started conversation = %+v, want an open one with the visitor on the demo channel", conv)
	}
	f := v.sock.next("the agent's message", func(f frame) bool { return f.Type == "message" })
	if m := f.Message; m == nil || m.Text != text || m.Direction != "out" || m.Author.Type != "agent" || m.ConversationID != conv.ID {
		t.Fatalf("widget frame %s, want the agent's message in %s", f.Raw, conv.ID)
	}
	eventually(t, "the message marked delivered", 10*time.Second, func() bool {
		msgs := th.messages(agent, conv.ID)
		return len(msgs) == 1 && msgs[0].Text == text && msgs[0].Delivery == "delivered"
	})
	if got := th.liveVisitors(agent); len(got) != 1 || got[0].ConversationID != conv.ID {
		t.Fatalf("after the chat started: %+v, want conversation %s", got, conv.ID)
	}

	// The visitor answers in the same conversation.
	var reply msgJSON
	th.must(201, "POST", "/api/v1/widget/"+channel+"/messages", v.token, map[string]string{"text": "Merci, a table for two?"}).json(t, &reply)
	if reply.ConversationID != conv.ID {
		t.Fatalf("visitor's answer went to %s, want %s", reply.ConversationID, conv.ID)
	}

	// Bad requests.
	if r := th.do("POST", "/api/v1/visitors/"+v.id+"/chat", agent, map[string]string{"text": "hi"}); r.status != 400 {
		t.Errorf("without channelId: %d %s, want 400", r.status, r.body)
	}
	if r := th.do("POST", "/api/v1/visitors/"+v.id+"/chat", agent, map[string]string{"channelId": channel, "text": "  "}); r.status != 400 {
		t.Errorf("without text: %d %s, want 400", r.status, r.body)
	}
	if r := th.do("POST", "/api/v1/visitors/nobody-here/chat", agent, map[string]string{"channelId": channel, "text": "hi"}); r.status != 404 || r.errorCode() != "visitor_not_found" {
		t.Errorf("an unknown visitor: %d %s, want 404 visitor_not_found", r.status, r.body)
	}
	if r := th.do("GET", "/api/v1/visitors", "", nil); r.status != 401 {
		t.Errorf("without a session: %d, want 401", r.status)
	}

	// Leaving the site: gone from the list, and no chat can be started.
	_ = v.sock.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, ""), time.Now().Add(time.Second))
	_ = v.sock.conn.Close()
	eventually(t, "the visitor gone from the list", 10*time.Second, func() bool { return len(th.liveVisitors(agent)) == 0 })
	if r := th.do("POST", "/api/v1/visitors/"+v.id+"/chat", agent, map[string]string{"channelId": channel, "text": "Still there?"}); r.status != 404 || r.errorCode() != "visitor_not_found" {
		t.Errorf("a visitor who left: %d %s, want 404 visitor_not_found", r.status, r.body)
	}
}

func TestVisitors_ListShowsTheConversationOfAVisitorWhoWrote(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	channel := th.demo.Channel.ID

	quiet := th.browse(channel, "https://hotel.example/", "Home")
	th.clock.Advance(time.Second)
	talker := th.browse(channel, "https://hotel.example/access", "Getting here")
	var m msgJSON
	th.must(201, "POST", "/api/v1/widget/"+channel+"/messages", talker.token, map[string]string{"text": "Is there parking?"}).json(t, &m)

	got := th.liveVisitors(admin)
	if len(got) != 2 || got[0].ID != quiet.id || got[0].ConversationID != "" || got[1].ID != talker.id || got[1].ConversationID != m.ConversationID {
		t.Fatalf("visitors = %+v, want %s without a conversation then %s in %s", got, quiet.id, talker.id, m.ConversationID)
	}
}

func TestVisitors_OtherWorkspaceSeesNothingAndCannotStart(t *testing.T) {
	th := startHub(t)
	ctx := context.Background()
	svc := th.hub.Service()
	channel := th.demo.Channel.ID
	v := th.browse(channel, "https://hotel.example/", "Home")

	// Workspace B, with a web chat channel and a visitor of its own.
	wsB, err := svc.CreateWorkspace(ctx, "Other Hotel")
	if err != nil {
		t.Fatal(err)
	}
	chB, err := svc.CreateChannel(ctx, wsB.ID, inbox.ChannelInput{Type: inbox.ChannelWebchat, Name: "B chat"})
	if err != nil {
		t.Fatal(err)
	}
	hash, err := api.HashPassword(adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	email, name, role := "b@other.test", "B admin", inbox.RoleAdmin
	if _, err := svc.NewAgent(ctx, wsB.ID, inbox.AgentInput{Email: &email, Name: &name, Role: &role, PasswordHash: &hash}); err != nil {
		t.Fatal(err)
	}
	other := th.login(email, adminPassword)
	vB := th.browse(chB.ID, "https://other.example/", "Other")

	if got := th.liveVisitors(other); len(got) != 1 || got[0].ID != vB.id {
		t.Fatalf("workspace B sees %+v, want only its own visitor %s", got, vB.id)
	}
	admin := th.login("admin@hotel.test", adminPassword)
	if got := th.liveVisitors(admin); len(got) != 1 || got[0].ID != v.id {
		t.Fatalf("workspace A sees %+v, want only its own visitor %s", got, v.id)
	}
	for _, body := range []map[string]string{
		{"channelId": channel, "text": "hello from B"}, // A's channel
		{"channelId": chB.ID, "text": "hello from B"},  // B's channel, A's visitor
	} {
		if r := th.do("POST", "/api/v1/visitors/"+v.id+"/chat", other, body); r.status != 404 {
			t.Errorf("B starting a chat with A's visitor (%v): %d %s, want 404", body, r.status, r.body)
		}
	}
	if r := th.do("POST", "/api/v1/visitors/"+vB.id+"/chat", admin, map[string]string{"channelId": chB.ID, "text": "hi"}); r.status != 404 {
		t.Errorf("A starting a chat on B's channel: %d %s, want 404", r.status, r.body)
	}
	var convs struct{ Items []convJSON }
	th.must(200, "GET", "/api/v1/conversations?status=all", admin, nil).json(t, &convs)
	if len(convs.Items) != 0 {
		t.Errorf("workspace A has conversations %+v after B's attempts, want none", convs.Items)
	}
}
