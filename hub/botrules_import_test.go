package hub_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"hub/inbox"
)

// sisterHotel is a second workspace with an admin, an agent and a web chat
// channel with the bot on, and no bot rules.
type sisterHotel struct {
	channel            string
	adminTok, agentTok string
}

func newSisterHotel(t *testing.T, th *testHub) sisterHotel {
	t.Helper()
	ctx := context.Background()
	svc := th.hub.Service()
	ws, err := svc.CreateWorkspace(ctx, "Sister Hotel")
	if err != nil {
		t.Fatal(err)
	}
	_, adminTok := newAgentB(th, ws.ID, "admin@sister.test", inbox.RoleAdmin)
	_, agentTok := newAgentB(th, ws.ID, "agent@sister.test", inbox.RoleAgent)
	ch, err := svc.CreateChannel(ctx, ws.ID, inbox.ChannelInput{Type: inbox.ChannelWebchat, Name: "Sister site", BotEnabled: true})
	if err != nil {
		t.Fatal(err)
	}
	return sisterHotel{channel: ch.ID, adminTok: adminTok, agentTok: agentTok}
}

// ruleItem is a rule as the API shows it.
type ruleItem struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Patterns []string `json:"patterns"`
	TeamID   string   `json:"teamId"`
	Priority int      `json:"priority"`
	Enabled  bool     `json:"enabled"`
}

func (th *testHub) rules(token string) []ruleItem {
	th.t.Helper()
	var out struct{ Items []ruleItem }
	th.must(200, "GET", "/api/v1/bot/rules", token, nil).json(th.t, &out)
	return out.Items
}

// dryRunView is a dry run without what must differ between workspaces:
// rule ids and teams.
type dryRunView struct {
	Rule    map[string]any
	Actions []map[string]any
}

func (th *testHub) dryRunView(token, text string) dryRunView {
	th.t.Helper()
	var v dryRunView
	th.must(200, "POST", "/api/v1/bot/dry-run", token, map[string]any{"text": text}).json(th.t, &v)
	delete(v.Rule, "id")
	for _, a := range v.Actions {
		delete(a, "ruleId")
		delete(a, "teamId")
	}
	return v
}

func TestBotRulesImport_ExportFromOneHotelImportIntoAnotherAnswersAlike(t *testing.T) {
	th := startHub(t)
	adminA := th.login("admin@hotel.test", adminPassword)
	var team struct{ ID string }
	th.must(201, "POST", "/api/v1/teams", adminA, map[string]any{"name": "Reservations"}).json(t, &team)
	th.must(201, "POST", "/api/v1/bot/rules", adminA, map[string]any{
		"name": "Booking reference", "patterns": []string{`\bBK-\d{6}\b`}, "answer": "Thanks, we look it up & answer soon.",
		"buttons": []string{"Cancel it", "Keep it"}, "handoff": true, "teamId": team.ID, "priority": 30,
	})
	th.must(201, "POST", "/api/v1/bot/rules", adminA, map[string]any{
		"name": "Spa (off season)", "phrases": []string{"spa opening hours"}, "answer": "Closed until May.", "enabled": false,
	})
	rulesA := th.rules(adminA)

	status, header, doc := th.reportGet("/api/v1/bot/rules/export", adminA)
	if status != 200 || header.Get("Content-Disposition") != `attachment; filename="bot-rules.json"` ||
		!strings.HasPrefix(header.Get("Content-Type"), "application/json") {
		t.Fatalf("export: %d %v %s", status, header, doc)
	}
	var exported struct {
		Version int
		Rules   []map[string]any
	}
	if err := json.Unmarshal(doc, &exported); err != nil || exported.Version != 1 || len(exported.Rules) != len(rulesA) {
		t.Fatalf("export of %d rules: %v %s", len(rulesA), err, doc)
	}
	for _, leak := range []string{th.demo.Workspace.ID, rulesA[0].ID, `"id"`} {
		if strings.Contains(string(doc), leak) {
			t.Fatalf("export mentions %q: %s", leak, doc)
		}
	}

	// Back into A itself (a restore): A's team is kept.
	var restored struct {
		Items    []ruleItem
		Warnings []any
	}
	th.must(201, "POST", "/api/v1/bot/rules/import", adminA, doc).json(t, &restored)
	if len(restored.Items) != len(rulesA) || len(restored.Warnings) != 0 || restored.Items[0].TeamID != team.ID {
		t.Fatalf("import into the same workspace: %+v", restored)
	}
	for _, r := range restored.Items {
		th.must(204, "DELETE", "/api/v1/bot/rules/"+r.ID, adminA, nil)
	}

	b := newSisterHotel(t, th)
	var imported struct {
		Items    []ruleItem
		Warnings []struct{ Field, Code, Message string }
	}
	th.must(201, "POST", "/api/v1/bot/rules/import", b.adminTok, doc).json(t, &imported)
	if len(imported.Items) != len(rulesA) {
		t.Fatalf("imported %d rules of %d", len(imported.Items), len(rulesA))
	}
	// The booking rule (priority 30) is listed first in the export; A's team
	// is not B's, so it was dropped with a warning.
	if len(imported.Warnings) != 1 || imported.Warnings[0].Field != "rules[0].teamId" || imported.Warnings[0].Code != "team_not_found" {
		t.Fatalf("warnings %+v", imported.Warnings)
	}
	rulesB := th.rules(b.adminTok)
	if len(rulesB) != len(rulesA) {
		t.Fatalf("B lists %d rules, want %d", len(rulesB), len(rulesA))
	}
	names := map[string]ruleItem{}
	for _, r := range rulesB {
		names[r.Name] = r
		for _, a := range rulesA {
			if r.ID == a.ID {
				t.Fatalf("rule id %s reused across workspaces", r.ID)
			}
		}
	}
	if r := names["Booking reference"]; r.TeamID != "" || r.Priority != 30 || !r.Enabled {
		t.Fatalf("booking rule in B: %+v", r)
	}
	if r, ok := names["Spa (off season)"]; !ok || r.Enabled {
		t.Fatalf("a disabled rule must stay disabled: %+v", r)
	}

	for _, text := range []string{
		"What is the wifi password?", "petit dejeuner ?", "My booking BK-123456 please", "I want to cancel",
		"spa opening hours?", "Do you rent bicycles?", "parking", "I want to talk to a person",
	} {
		inA, inB := th.dryRunView(adminA, text), th.dryRunView(b.adminTok, text)
		if !reflect.DeepEqual(inA, inB) {
			t.Errorf("dry run of %q differs:\n A %+v\n B %+v", text, inA, inB)
		}
	}
	if v := th.dryRunView(b.adminTok, "My booking BK-123456"); v.Rule["name"] != "Booking reference" || v.Rule["trigger"] != "pattern" {
		t.Fatalf("B's dry run does not use the imported pattern rule: %+v", v)
	}
}

func TestBotRulesImport_ABadRuleStoresNothingAndNamesTheField(t *testing.T) {
	th := startHub(t)
	b := newSisterHotel(t, th)
	th.must(201, "POST", "/api/v1/bot/rules", b.adminTok, map[string]any{"name": "Own", "keywords": []string{"gym"}, "answer": "24/7"})
	before := th.rules(b.adminTok)

	doc := `{"version":1,"rules":[
		{"name":"ok 1","keywords":["wifi"],"answer":"on your card"},
		{"name":"ok 2","patterns":["\\broom\\s+\\d{3}\\b"],"answer":"noted"},
		{"name":"bad","patterns":["late check.?out","(unclosed"],"answer":"until noon"},
		{"name":"ok 3","keywords":["spa"],"answer":"9-21"}]}`
	r := th.do("POST", "/api/v1/bot/rules/import", b.adminTok, doc)
	var e struct {
		Error struct{ Code, Field, Message string }
	}
	r.json(t, &e)
	if r.status != 400 || e.Error.Code != "invalid_pattern" || e.Error.Field != "rules[2].patterns[1]" {
		t.Fatalf("bad import: %d %s, want 400 invalid_pattern naming rules[2].patterns[1]", r.status, r.body)
	}
	for _, bad := range []struct{ doc, code, field string }{
		{`{"version":1,"rules":[{"id":"r1","keywords":["wifi"],"answer":"x"}]}`, "invalid_json", "rules[0].id"},
		{`{"version":2,"rules":[]}`, "unsupported_version", "version"},
		{`{"items":[]}`, "invalid_json", "items"},
		{`not json`, "invalid_json", ""},
	} {
		r := th.do("POST", "/api/v1/bot/rules/import", b.adminTok, bad.doc)
		var e struct{ Error struct{ Code, Field string } }
		r.json(t, &e)
		if r.status != 400 || e.Error.Code != bad.code || e.Error.Field != bad.field {
			t.Errorf("import %s: %d %s, want 400 %s naming %q", bad.doc, r.status, r.body, bad.code, bad.field)
		}
	}
	if after := th.rules(b.adminTok); !reflect.DeepEqual(after, before) {
		t.Fatalf("a refused import changed B's rules:\n before %+v\n after %+v", before, after)
	}
}

func TestBotRulesImport_AdminsOnly(t *testing.T) {
	th := startHub(t)
	b := newSisterHotel(t, th)
	doc := `{"version":1,"rules":[{"keywords":["wifi"],"answer":"on your card"}]}`
	if r := th.do("POST", "/api/v1/bot/rules/import", b.agentTok, doc); r.status != http.StatusForbidden {
		t.Fatalf("agent importing: %d %s", r.status, r.body)
	}
	if r := th.do("GET", "/api/v1/bot/rules/export", b.agentTok, nil); r.status != http.StatusForbidden {
		t.Fatalf("agent exporting: %d %s", r.status, r.body)
	}
	if n := len(th.rules(b.adminTok)); n != 0 {
		t.Fatalf("the agent's import stored %d rules", n)
	}
	// The routes are not taken for rule ids.
	if r := th.do("PATCH", "/api/v1/bot/rules/export", b.adminTok, map[string]any{"enabled": false}); r.status != http.StatusNotFound {
		t.Fatalf("PATCH /bot/rules/export: %d %s", r.status, r.body)
	}
}

func TestBotRulesImport_TheBotUsesImportedRulesAtOnce(t *testing.T) {
	th := startHub(t)
	adminA := th.login("admin@hotel.test", adminPassword)
	_, _, doc := th.reportGet("/api/v1/bot/rules/export", adminA)
	b := newSisterHotel(t, th)

	// B's first message compiles B's (empty) rule set into the hub's cache:
	// the greeting and the fallback answer, no rule can.
	v := th.newVisitor(b.channel)
	conv := v.say("Hello, what is the wifi password?").ConversationID
	before := th.messages(b.adminTok, conv)
	if len(before) < 2 || before[len(before)-1].Author.Type != "bot" {
		t.Fatalf("the bot did not answer before the import: %+v", before)
	}
	for _, m := range before {
		if strings.Contains(m.Text, "Hotel-Guests") {
			t.Fatalf("B answered with A's rule before the import: %+v", before)
		}
	}

	th.must(201, "POST", "/api/v1/bot/rules/import", b.adminTok, doc)
	v.say("wifi password please")
	msgs := th.messages(b.adminTok, conv)
	last := msgs[len(msgs)-1]
	if last.Author.Type != "bot" || !strings.Contains(last.Text, "Hotel-Guests") {
		t.Fatalf("after the import the bot did not use the imported rule: %+v", msgs)
	}
}

// TestBrowser_AdminBotRulesExportAndImport: the Export link downloads the
// rules with the session cookie; Import adds a file's rules, says how many
// and which teams it dropped, and a refused file names the field.
func TestBrowser_AdminBotRulesExportAndImport(t *testing.T) {
	th := startHub(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "sister.json")
	bad := filepath.Join(dir, "bad.json")
	for path, doc := range map[string]string{
		good: `{"version":1,"rules":[{"name":"Spa","keywords":["spa"],"answer":"9-21"},
			{"name":"Groups","keywords":["group"],"answer":"We will call you.","handoff":true,"teamId":"other-hotels-team"}]}`,
		bad: `{"version":1,"rules":[{"name":"Broken","patterns":["spa(("],"answer":"x"}]}`,
	} {
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tb := newTab(t, newBrowser(t), "admin")
	tb.adminViewport()
	signIn(tb, th.base)
	tb.do("opening the bot rules", chromedp.Navigate(th.base+"/#/admin/bot"))
	tb.waitFor("the rules", `document.querySelectorAll('[data-testid=rule-row]').length === 5`)

	eval[bool](tb, "fetching the Export link", `(window.exported = '', fetch(document.querySelector('[data-testid=rule-export]').href)
		.then(async (r) => { window.exported = r.status + ' ' + r.headers.get('content-disposition') + ' ' + (await r.json()).rules.length; }), true)`)
	tb.waitFor("the export", `window.exported === '200 attachment; filename="bot-rules.json" 5'`)

	tb.do("importing a file with a bad pattern", chromedp.SetUploadFiles(testID("rule-import-file"), []string{bad}))
	tb.waitFor("the error naming the field", `[...document.querySelectorAll('[data-testid=toast][data-kind=error]')]
		.some((el) => el.textContent.startsWith('rules[0].patterns[0]: '))`)
	tb.do("importing the sister hotel's file", chromedp.SetUploadFiles(testID("rule-import-file"), []string{good}))
	tb.waitFor("the imported rules", `document.querySelectorAll('[data-testid=rule-row]').length === 7
		&& [...document.querySelectorAll('[data-testid=toast]')].some((el) => el.textContent.includes('Rules imported: 2.')
			&& el.textContent.includes('Rules whose team is not in this workspace: 1.'))`)
	tb.noCSPViolations()
}
