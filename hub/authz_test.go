package hub_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"hub/inbox"
)

// publicRoutes are the /api routes that work without an agent session:
// logging in, and a visitor opening a web chat session.
var publicRoutes = map[string]bool{
	"POST /api/v1/auth/login":                   true,
	"POST /api/v1/widget/:channelId/session":    true,
	"OPTIONS /api/v1/widget/:channelId/session": true,
}

func TestAuthz_EveryAPIRouteNeedsAToken(t *testing.T) {
	th := startHub(t)
	checked := 0
	for _, r := range th.hub.App().GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/") || r.Method == http.MethodHead || r.Method == http.MethodOptions || r.Method == "USE" {
			continue
		}
		if publicRoutes[r.Method+" "+r.Path] {
			continue
		}
		path := strings.NewReplacer(":id", "x1", ":channelId", th.demo.Channel.ID).Replace(r.Path)
		res := th.do(r.Method, path, "", "{}")
		if res.status != http.StatusUnauthorized {
			t.Errorf("%s %s without a token: %d %s, want 401", r.Method, r.Path, res.status, res.body)
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("only %d routes checked; the route walk is broken", checked)
	}
	if res := th.do("GET", "/ws/agent", "", nil); res.status != http.StatusUnauthorized {
		t.Errorf("/ws/agent without a token: %d, want 401", res.status)
	}
	if res := th.do("GET", "/api/v1/conversations", "not-a-real-token", nil); res.status != http.StatusUnauthorized {
		t.Errorf("a forged token: %d, want 401", res.status)
	}
}

func TestAuthz_OtherWorkspaceIsNotFound(t *testing.T) {
	th := startHub(t)
	ctx := context.Background()
	svc := th.hub.Service()

	// Workspace B with a customer conversation.
	wsB, err := svc.CreateWorkspace(ctx, "Other Hotel")
	if err != nil {
		t.Fatal(err)
	}
	chB, err := svc.CreateChannel(ctx, wsB.ID, inbox.ChannelInput{Type: inbox.ChannelWebchat, Name: "B chat"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := svc.Ingest(ctx, chB, inbox.IngestInput{ContactHandle: "visitor-b", Text: "private matter"})
	if err != nil {
		t.Fatal(err)
	}
	convB := res.Conversation.ID

	admin := th.login("admin@hotel.test", adminPassword)
	_, agent := th.addAgent(admin, "a@hotel.test", "agent")
	for _, token := range []string{agent, admin} {
		for _, req := range []struct{ method, path string }{
			{"GET", "/api/v1/conversations/" + convB},
			{"GET", "/api/v1/conversations/" + convB + "/messages"},
			{"GET", "/api/v1/conversations/" + convB + "/events"},
			{"POST", "/api/v1/conversations/" + convB + "/messages"},
			{"POST", "/api/v1/conversations/" + convB + "/assign"},
			{"POST", "/api/v1/conversations/" + convB + "/release"},
			{"POST", "/api/v1/conversations/" + convB + "/snooze"},
			{"POST", "/api/v1/conversations/" + convB + "/close"},
			{"POST", "/api/v1/conversations/" + convB + "/reopen"},
			{"POST", "/api/v1/conversations/" + convB + "/spam"},
			{"POST", "/api/v1/conversations/" + convB + "/not-spam"},
			{"POST", "/api/v1/conversations/" + convB + "/leave"},
		} {
			body := map[string]any{}
			switch {
			case strings.HasSuffix(req.path, "/messages") && req.method == "POST":
				body["text"] = "hi"
			case strings.HasSuffix(req.path, "/snooze"):
				body["untilReply"] = true
			}
			if r := th.do(req.method, req.path, token, body); r.status != http.StatusNotFound || r.errorCode() != "conversation_not_found" {
				t.Errorf("%s %s across workspaces: %d %s, want 404 conversation_not_found", req.method, req.path, r.status, r.body)
			}
		}
		var list struct{ Items []convJSON }
		th.must(200, "GET", "/api/v1/conversations?status=all", token, nil).json(t, &list)
		for _, c := range list.Items {
			if c.ID == convB {
				t.Fatal("workspace B's conversation is listed for workspace A")
			}
		}
	}
	// Nothing changed in B.
	after, err := th.store.GetConversation(ctx, wsB.ID, convB)
	if err != nil || after.Version != res.Conversation.Version || after.Status != inbox.StatusOpen {
		t.Fatalf("B's conversation changed: %+v, %v", after, err)
	}
}

func TestAuthz_AgentsGetForbiddenOnAdminRoutes(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	agentID, agent := th.addAgent(admin, "b@hotel.test", "agent")
	var team struct{ ID string }
	th.must(201, "POST", "/api/v1/teams", admin, map[string]any{"name": "Reception"}).json(t, &team)
	for _, req := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/api/v1/agents", map[string]any{"email": "x@hotel.test", "name": "X", "password": adminPassword}},
		{"PATCH", "/api/v1/agents/" + agentID, map[string]any{"role": "admin"}},
		{"POST", "/api/v1/teams", map[string]any{"name": "Night"}},
		{"PATCH", "/api/v1/teams/" + team.ID, map[string]any{"name": "Day"}},
		{"DELETE", "/api/v1/teams/" + team.ID, nil},
		{"GET", "/api/v1/channels", nil},
		{"POST", "/api/v1/channels", map[string]any{"type": "webchat", "name": "Second site"}},
	} {
		if r := th.do(req.method, req.path, agent, req.body); r.status != http.StatusForbidden || r.errorCode() != "admin_only" {
			t.Errorf("agent %s %s: %d %s, want 403 admin_only", req.method, req.path, r.status, r.body)
		}
	}
	// Nothing was changed by the refused requests.
	var me struct{ Agent struct{ Role string } }
	th.must(200, "GET", "/api/v1/auth/me", agent, nil).json(t, &me)
	if me.Agent.Role != "agent" {
		t.Fatalf("the agent promoted themselves to %s", me.Agent.Role)
	}
	var teams struct{ Items []struct{ Name string } }
	th.must(200, "GET", "/api/v1/teams", agent, nil).json(t, &teams)
	if len(teams.Items) != 1 || teams.Items[0].Name != "Reception" {
		t.Fatalf("teams changed: %+v", teams.Items)
	}
}
