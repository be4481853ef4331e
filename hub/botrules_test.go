package hub_test

import (
	"strings"
	"testing"
)

func TestBotRules_BadRulesNameTheField(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	var before struct{ Items []map[string]any }
	th.must(200, "GET", "/api/v1/bot/rules", admin, nil).json(t, &before)
	for _, c := range []struct {
		body  map[string]any
		code  string
		field string
	}{
		{map[string]any{"name": "x", "answer": "hi"}, "trigger_required", "keywords"},
		{map[string]any{"name": "x", "keywords": []string{"  "}, "answer": "hi"}, "trigger_required", "keywords"},
		{map[string]any{"name": "x", "patterns": []string{"(unclosed"}, "answer": "hi"}, "invalid_pattern", "patterns[0]"},
		{map[string]any{"name": "x", "keywords": []string{"spa"}, "answer": "hi", "language": "klingon"}, "", "language"},
		{map[string]any{"name": "x", "keywords": []string{"spa"}}, "", "answer"},
		{map[string]any{"name": "x", "keywords": []string{"spa"}, "answer": "hi", "teamId": "nope"}, "", "teamId"},
	} {
		r := th.do("POST", "/api/v1/bot/rules", admin, c.body)
		if r.status != 400 || (c.code != "" && r.errorCode() != c.code) || !strings.Contains(string(r.body), `"`+c.field+`"`) {
			t.Errorf("%v: %d %s, want 400 %s naming %s", c.body, r.status, r.body, c.code, c.field)
		}
	}
	var after struct{ Items []map[string]any }
	th.must(200, "GET", "/api/v1/bot/rules", admin, nil).json(t, &after)
	if len(after.Items) != len(before.Items) {
		t.Fatalf("refused rules were stored: %d → %d", len(before.Items), len(after.Items))
	}
}

func TestBotRules_CreateEditDryRunDelete(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	_, agent := th.addAgent(admin, "agent@hotel.test", "agent")
	var rule struct {
		ID       string   `json:"id"`
		Patterns []string `json:"patterns"`
		Enabled  bool     `json:"enabled"`
	}
	th.must(201, "POST", "/api/v1/bot/rules", admin, map[string]any{
		"name": "Room number", "patterns": []string{`\broom\s+\d{3}\b`}, "answer": "Thanks {{contact.name}}, noted.", "priority": 50,
	}).json(t, &rule)
	if !rule.Enabled || len(rule.Patterns) != 1 {
		t.Fatalf("created %+v", rule)
	}
	var dry struct {
		Rule *struct {
			ID      string `json:"id"`
			Trigger string `json:"trigger"`
		} `json:"rule"`
		Actions []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"actions"`
	}
	th.must(200, "POST", "/api/v1/bot/dry-run", admin, map[string]any{"text": "I am in room 214"}).json(t, &dry)
	if dry.Rule == nil || dry.Rule.ID != rule.ID || dry.Rule.Trigger != "pattern" {
		t.Fatalf("dry run: %+v", dry)
	}
	th.must(200, "PATCH", "/api/v1/bot/rules/"+rule.ID, admin, map[string]any{"enabled": false})
	dry.Rule = nil
	th.must(200, "POST", "/api/v1/bot/dry-run", admin, map[string]any{"text": "I am in room 214"}).json(t, &dry)
	if dry.Rule != nil && dry.Rule.ID == rule.ID {
		t.Fatal("a disabled rule fired in the dry run")
	}
	if r := th.do("PATCH", "/api/v1/bot/rules/"+rule.ID, admin, map[string]any{"patterns": []string{"[z-a]"}}); r.status != 400 {
		t.Fatalf("bad pattern on update: %d", r.status)
	}
	if r := th.do("GET", "/api/v1/bot/rules", agent, nil); r.status != 403 {
		t.Fatalf("agent reading rules: %d", r.status)
	}
	th.must(204, "DELETE", "/api/v1/bot/rules/"+rule.ID, admin, nil)
	if r := th.do("PATCH", "/api/v1/bot/rules/"+rule.ID, admin, map[string]any{"enabled": true}); r.status != 404 {
		t.Fatalf("deleted rule: %d", r.status)
	}
}

func TestSettings_PatchKeepsOtherValuesAndRefusesBadOnes(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	_, agent := th.addAgent(admin, "agent@hotel.test", "agent")
	var s map[string]any
	th.must(200, "PATCH", "/api/v1/settings", admin, map[string]any{
		"timeZone": "Europe/Paris", "businessHours": []map[string]any{{"day": 1, "open": "08:00", "close": "20:00"}},
	}).json(t, &s)
	if s["timeZone"] != "Europe/Paris" || !strings.HasPrefix(s["botGreeting"].(string), "Hello!") {
		t.Fatalf("after patch: %v", s)
	}
	for _, bad := range []map[string]any{
		{"timeZone": "Mars/Olympus"},
		{"businessHours": []map[string]any{{"day": 9, "open": "08:00", "close": "20:00"}}},
		{"surveyWindowMinutes": -5},
		{"colour": "blue"},
	} {
		if r := th.do("PATCH", "/api/v1/settings", admin, bad); r.status != 400 {
			t.Errorf("%v: %d %s", bad, r.status, r.body)
		}
	}
	th.must(200, "GET", "/api/v1/settings", admin, nil).json(t, &s)
	if s["timeZone"] != "Europe/Paris" {
		t.Fatalf("a refused patch changed the settings: %v", s)
	}
	th.must(200, "PUT", "/api/v1/wrapup-topics", admin, map[string]any{"items": []string{"Booking", " Billing ", "booking", ""}})
	var topics struct {
		Items []string
		Moods []string
	}
	th.must(200, "GET", "/api/v1/wrapup-topics", agent, nil).json(t, &topics)
	if strings.Join(topics.Items, ",") != "Booking,Billing" || len(topics.Moods) != 3 {
		t.Fatalf("topics %+v", topics)
	}
	if r := th.do("PATCH", "/api/v1/settings", agent, map[string]any{"timeZone": "UTC"}); r.status != 403 {
		t.Fatalf("agent patching settings: %d", r.status)
	}
}
