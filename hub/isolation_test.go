package hub_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hub/hub/api"
	"hub/inbox"
)

// isolationMarker is a word only workspace B's data contains, so a body
// of workspace A mentioning it has leaked B's content.
const isolationMarker = "zebrafish"

// workspaceB is a second workspace with one of everything, and the ids an
// attacker in workspace A would try.
type workspaceB struct {
	id                 string
	admin, agent       *inbox.Agent
	adminTok, agentTok string
	webchat, partner   string
	visitor            string
	conv, msg, contact string
	team, rule, canned string
	dmRoom             string
}

func (b *workspaceB) secrets() []string {
	return []string{
		b.id, b.admin.ID, b.agent.ID, b.webchat, b.partner, b.visitor, b.conv, b.msg,
		b.contact, b.team, b.rule, b.canned, isolationMarker,
	}
}

// newAgentB creates an agent of workspace B directly in the service, as
// Bootstrap creates the demo admin, and logs them in through the API.
func newAgentB(th *testHub, wsID, email string, role inbox.Role) (*inbox.Agent, string) {
	th.t.Helper()
	hash, err := api.HashPassword(adminPassword)
	if err != nil {
		th.t.Fatal(err)
	}
	name := "B " + string(role) + " " + isolationMarker
	a, err := th.hub.Service().NewAgent(context.Background(), wsID, inbox.AgentInput{Email: &email, Name: &name, Role: &role, PasswordHash: &hash})
	if err != nil {
		th.t.Fatal(err)
	}
	return a, th.login(email, adminPassword)
}

func buildWorkspaceB(t *testing.T, th *testHub) *workspaceB {
	t.Helper()
	ctx := context.Background()
	svc := th.hub.Service()
	ws, err := svc.CreateWorkspace(ctx, "Other Shop "+isolationMarker)
	if err != nil {
		t.Fatal(err)
	}
	b := &workspaceB{id: ws.ID}
	b.admin, b.adminTok = newAgentB(th, ws.ID, "admin@shop-b.test", inbox.RoleAdmin)
	b.agent, b.agentTok = newAgentB(th, ws.ID, "agent@shop-b.test", inbox.RoleAgent)

	ch, err := svc.CreateChannel(ctx, ws.ID, inbox.ChannelInput{Type: inbox.ChannelWebchat, Name: "B chat " + isolationMarker})
	if err != nil {
		t.Fatal(err)
	}
	b.webchat = ch.ID
	fp := newFakePartner(t, partnerSecret)
	b.partner = th.createChannel(b.adminTok, "partner", false, map[string]string{"url": fp.srv.URL + "/replies", "secret": partnerSecret}).ID

	// A visitor on B's site, browsing and writing.
	v := th.browse(b.webchat, "https://shop-b.test/"+isolationMarker, "B page "+isolationMarker)
	b.visitor = v.id
	var m msgJSON
	for _, text := range []string{"private matter " + isolationMarker, "my card ends 4242"} {
		th.must(201, "POST", "/api/v1/widget/"+b.webchat+"/messages", v.token, map[string]string{"text": text}).json(t, &m)
	}
	b.conv, b.msg = m.ConversationID, m.ID
	if b.conv == "" || b.msg == "" {
		t.Fatalf("visitor message without ids: %+v", m)
	}
	b.contact = th.conversation(b.adminTok, b.conv).Contact.ID
	th.must(200, "PATCH", "/api/v1/contacts/"+b.contact, b.adminTok, map[string]string{"name": "Guest " + isolationMarker, "notes": "VIP"})

	var team, rule, canned struct{ ID string }
	th.must(201, "POST", "/api/v1/teams", b.adminTok, map[string]any{"name": "B team " + isolationMarker, "agentIds": []string{b.agent.ID}}).json(t, &team)
	th.must(201, "POST", "/api/v1/bot/rules", b.adminTok, map[string]any{"name": "B rule", "keywords": []string{"refund"}, "answer": "B answer " + isolationMarker}).json(t, &rule)
	th.must(201, "POST", "/api/v1/canned", b.adminTok, map[string]any{"shortcut": "bhello", "text": "Hello from " + isolationMarker}).json(t, &canned)
	b.team, b.rule, b.canned = team.ID, rule.ID, canned.ID

	b.dmRoom = inbox.DirectRoom(b.admin.ID, b.agent.ID)
	th.must(201, "POST", "/api/v1/chat/rooms/"+b.dmRoom+"/messages", b.agentTok, map[string]string{"text": "B staff only " + isolationMarker})
	th.must(201, "POST", "/api/v1/chat/rooms/team:"+b.team+"/messages", b.adminTok, map[string]string{"text": "B team only " + isolationMarker})
	return b
}

// snapshot is everything B's admin sees of B, as raw answers.
func (b *workspaceB) snapshot(th *testHub) map[string]string {
	th.t.Helper()
	paths := []string{
		"/api/v1/conversations/" + b.conv,
		"/api/v1/conversations/" + b.conv + "/messages",
		"/api/v1/conversations/" + b.conv + "/events",
		"/api/v1/conversations?status=all",
		"/api/v1/channels",
		"/api/v1/channels/" + b.webchat,
		"/api/v1/channels/" + b.partner,
		"/api/v1/teams",
		"/api/v1/bot/rules",
		"/api/v1/canned",
		"/api/v1/agents",
		"/api/v1/contacts/" + b.contact,
		"/api/v1/chat/rooms/" + b.dmRoom + "/messages",
		"/api/v1/chat/rooms/team:" + b.team + "/messages",
		"/api/v1/settings",
		"/api/v1/wrapup-topics",
		"/api/v1/visitors",
	}
	out := map[string]string{}
	for _, p := range paths {
		out[p] = string(th.must(200, "GET", p, b.adminTok, nil).body)
	}
	return out
}

// leaked returns the first of B's ids or marker found in body.
func (b *workspaceB) leaked(body []byte) string {
	for _, s := range b.secrets() {
		if s != "" && strings.Contains(string(body), s) {
			return s
		}
	}
	return ""
}

// attacker is a caller of workspace A.
type attacker struct {
	name, id, token string
	// other is another agent of workspace A, a valid invitee.
	other string
}

// isolationBody is a plausible, otherwise valid body for a route, so that
// the only thing wrong with the request is whose id is in the path.
func isolationBody(method, path string, who attacker, b *workspaceB) any {
	if method == "GET" || method == "DELETE" {
		return nil
	}
	switch {
	case strings.HasSuffix(path, "/messages"):
		return map[string]string{"text": "taken over"}
	case strings.HasSuffix(path, "/assign"), strings.HasSuffix(path, "/transfer"):
		return map[string]string{"agentId": who.id}
	case strings.HasSuffix(path, "/invite"):
		return map[string]string{"agentId": who.other}
	case strings.HasSuffix(path, "/snooze"):
		return map[string]any{"untilReply": true}
	case strings.HasSuffix(path, "/close"):
		return map[string]any{"survey": false, "topic": "Other"}
	case strings.HasPrefix(path, "/api/v1/conversations/"):
		return map[string]any{}
	case strings.HasPrefix(path, "/api/v1/agents/"):
		return map[string]any{"name": "taken over", "disabled": true}
	case strings.HasPrefix(path, "/api/v1/teams/"):
		return map[string]any{"name": "taken over", "agentIds": []string{}}
	case strings.HasPrefix(path, "/api/v1/channels/"):
		return map[string]any{"name": "taken over", "disabled": true}
	case strings.HasPrefix(path, "/api/v1/bot/rules/"):
		return map[string]any{"answer": "taken over", "enabled": false}
	case strings.HasPrefix(path, "/api/v1/canned/"):
		return map[string]any{"text": "taken over"}
	case strings.HasPrefix(path, "/api/v1/contacts/"):
		return map[string]any{"name": "taken over", "notes": "taken over"}
	case strings.HasPrefix(path, "/api/v1/visitors/"):
		return map[string]any{"channelId": b.webchat, "text": "taken over"}
	}
	return map[string]any{}
}

// isolationPaths fills a route's parameters with B's ids; a route whose
// parameters it cannot fill fails the test, so a new route is not skipped.
func isolationPaths(t *testing.T, route string, who attacker, b *workspaceB) []string {
	t.Helper()
	rest := strings.TrimPrefix(route, "/api/v1")
	var ids []string
	switch {
	case strings.HasPrefix(rest, "/conversations/:id"):
		ids = []string{b.conv}
	case strings.HasPrefix(rest, "/channels/:id"):
		ids = []string{b.webchat, b.partner}
	case strings.HasPrefix(rest, "/teams/:id"):
		ids = []string{b.team}
	case strings.HasPrefix(rest, "/agents/:id"):
		ids = []string{b.agent.ID, b.admin.ID}
	case strings.HasPrefix(rest, "/bot/rules/:id"):
		ids = []string{b.rule}
	case strings.HasPrefix(rest, "/canned/:id"):
		ids = []string{b.canned}
	case strings.HasPrefix(rest, "/contacts/:id"):
		ids = []string{b.contact}
	case strings.HasPrefix(rest, "/visitors/:id"):
		ids = []string{b.visitor}
	case strings.HasPrefix(rest, "/chat/rooms/:room"):
		// B's rooms, and a direct room between the attacker and B's agent.
		ids = []string{b.dmRoom, "team:" + b.team, inbox.DirectRoom(who.id, b.agent.ID)}
	default:
		t.Fatalf("route %s has a parameter the isolation walk cannot fill; teach isolationPaths its B id", route)
	}
	var out []string
	for _, id := range ids {
		p := strings.NewReplacer(":id", id, ":room", url.PathEscape(id), ":mid", b.msg, ":n", "0").Replace(route)
		if strings.Contains(p, "/:") {
			t.Fatalf("route %s: parameter left in %s", route, p)
		}
		out = append(out, p)
	}
	return out
}

func TestIsolation_EveryRouteRefusesAnotherWorkspacesIDs(t *testing.T) {
	th := startHub(t)
	adminA := th.login("admin@hotel.test", adminPassword)
	agentAID, agentA := th.addAgent(adminA, "walker@hotel.test", "agent")
	b := buildWorkspaceB(t, th)
	callers := []attacker{
		{name: "A's admin", id: th.demo.Admin.ID, token: adminA, other: agentAID},
		{name: "A's agent", id: agentAID, token: agentA, other: th.demo.Admin.ID},
	}
	before := b.snapshot(th)

	routes := map[string]bool{}
	for _, r := range th.hub.App().GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/") || !strings.Contains(r.Path, "/:") ||
			strings.HasPrefix(r.Path, "/api/v1/widget/") ||
			r.Method == http.MethodHead || r.Method == http.MethodOptions || r.Method == "USE" {
			continue
		}
		routes[r.Method+" "+r.Path] = true
		// Control: the same ids are B's own, so B's admin reads them.
		if r.Method == "GET" && !strings.Contains(r.Path, "/attachments/") && !strings.HasSuffix(r.Path, "/health") {
			for _, path := range isolationPaths(t, r.Path, attacker{id: b.admin.ID}, b) {
				th.must(200, "GET", path, b.adminTok, nil)
			}
		}
		for _, who := range callers {
			for _, path := range isolationPaths(t, r.Path, who, b) {
				res := th.do(r.Method, path, who.token, isolationBody(r.Method, path, who, b))
				if res.status != http.StatusForbidden && res.status != http.StatusNotFound {
					t.Errorf("%s: %s %s with B's ids: %d %s, want 403 or 404", who.name, r.Method, path, res.status, res.body)
				}
				if s := b.leaked(res.body); s != "" {
					t.Errorf("%s: %s %s answer mentions B's %q: %s", who.name, r.Method, path, s, res.body)
				}
			}
		}
	}
	if len(routes) < 25 {
		t.Fatalf("only %d parameterised routes walked (%v); the route walk is broken", len(routes), routes)
	}
	t.Logf("walked %d parameterised routes as %d callers", len(routes), len(callers))

	// Lists of workspace A never show B.
	for _, path := range []string{
		"/api/v1/conversations?status=all",
		"/api/v1/conversations?status=all&q=" + url.QueryEscape(b.visitor),
		"/api/v1/conversations/counts",
		"/api/v1/channels",
		"/api/v1/teams",
		"/api/v1/agents",
		"/api/v1/bot/rules",
		"/api/v1/canned",
		"/api/v1/queue",
		"/api/v1/chat/rooms",
		"/api/v1/visitors",
		"/api/v1/settings",
		"/api/v1/wrapup-topics",
		"/api/v1/reports/agents",
		"/api/v1/reports/agents.csv",
		"/api/v1/reports/workspace",
		"/api/v1/reports/workspace.csv",
		"/api/v1/auth/me",
	} {
		for _, who := range callers {
			res := th.do("GET", path, who.token, nil)
			switch {
			case res.status == http.StatusForbidden && who.token == agentA:
				continue
			case res.status != http.StatusOK:
				t.Errorf("%s: GET %s: %d %s", who.name, path, res.status, res.body)
			}
			if s := b.leaked(res.body); s != "" {
				t.Errorf("%s: GET %s lists B's %q: %s", who.name, path, s, res.body)
			}
		}
	}

	// Routes of A's own resources refuse B's ids in the query or body.
	var teamA struct{ ID string }
	th.must(201, "POST", "/api/v1/teams", adminA, map[string]any{"name": "Reception"}).json(t, &teamA)
	convA := th.newVisitor(th.demo.Channel.ID).say("hello from A's site").ConversationID
	for _, req := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/canned?conversationId=" + b.conv, nil},
		{"POST", "/api/v1/conversations/" + convA + "/assign", map[string]any{"agentId": b.agent.ID}},
		{"POST", "/api/v1/conversations/" + convA + "/transfer", map[string]any{"agentId": b.agent.ID}},
		{"POST", "/api/v1/conversations/" + convA + "/transfer", map[string]any{"teamId": b.team}},
		{"POST", "/api/v1/conversations/" + convA + "/invite", map[string]any{"agentId": b.agent.ID}},
		{"GET", "/api/v1/queue?team=" + b.team, nil},
		{"POST", "/api/v1/teams", map[string]any{"name": "Night", "agentIds": []string{b.agent.ID}}},
		{"PATCH", "/api/v1/teams/" + teamA.ID, map[string]any{"agentIds": []string{b.agent.ID}}},
		{"POST", "/api/v1/bot/rules", map[string]any{"name": "Steal", "keywords": []string{"steal"}, "answer": "x", "handoff": true, "teamId": b.team}},
		{"POST", "/api/v1/visitors/" + b.visitor + "/chat", map[string]any{"channelId": th.demo.Channel.ID, "text": "hello"}},
	} {
		res := th.do(req.method, req.path, adminA, req.body)
		if res.status < 400 || res.status >= 500 {
			t.Errorf("A's admin: %s %s naming B's ids: %d %s, want a 4xx refusal", req.method, req.path, res.status, res.body)
		}
		if s := b.leaked(res.body); s != "" && s != b.agent.ID && s != b.team {
			t.Errorf("A's admin: %s %s answer mentions B's %q: %s", req.method, req.path, s, res.body)
		}
	}

	after := b.snapshot(th)
	for path, was := range before {
		if after[path] != was {
			t.Errorf("B's %s changed during the walk:\nbefore %s\nafter  %s", path, was, after[path])
		}
	}
}
