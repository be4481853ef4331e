package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"hub/inbox"
)

var importT0 = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

// sampleRules are stored rules as ListBotRules returns them, out of the
// bot's order on purpose.
func sampleRules() []inbox.BotRule {
	return []inbox.BotRule{
		{ID: "r1", WorkspaceID: "w1", Name: "Wi-Fi", Keywords: []string{"wifi", "mot de passe"}, Phrases: []string{}, Patterns: []string{},
			Answer: "Network Hotel-Guests", Buttons: []string{}, Priority: 10, Enabled: true, CreatedAt: importT0},
		{ID: "r2", WorkspaceID: "w1", Name: "Booking ref", Patterns: []string{`\bBK-\d{6}\b`}, Language: "fr",
			Answer: "Merci {{contact.name}}", Buttons: []string{"Oui", "Non"}, Handoff: true, TeamID: "team-a", Priority: 50,
			Enabled: true, CreatedAt: importT0.Add(time.Minute)},
		{ID: "r3", WorkspaceID: "w1", Name: "Old spa", Phrases: []string{"spa opening hours"}, Answer: "9-21",
			Priority: 10, Enabled: false, CreatedAt: importT0.Add(-time.Minute)},
		{ID: "r4", WorkspaceID: "w1", Name: "  Emoji 🎉 ", Keywords: []string{"réserv*"}, Answer: "¡Hola! 👋", Priority: -3, Enabled: true, CreatedAt: importT0},
	}
}

func TestExportImport_RoundTripKeepsEveryFieldInTheBotsOrder(t *testing.T) {
	data, err := ExportRules(sampleRules())
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{`"id"`, `"workspaceId"`, `"createdAt"`, `"w1"`, `null`} {
		if strings.Contains(string(data), leak) {
			t.Errorf("export contains %s:\n%s", leak, data)
		}
	}
	got, err := ParseRules(data)
	if err != nil {
		t.Fatalf("ParseRules(export): %v\n%s", err, data)
	}
	// The bot's order: priority first, then the oldest.
	byID := map[string]inbox.BotRule{}
	for _, r := range sampleRules() {
		byID[r.ID] = r
	}
	var want []inbox.BotRule
	for _, id := range []string{"r2", "r3", "r1", "r4"} {
		r := byID[id]
		r.ID, r.WorkspaceID, r.CreatedAt = "", "", time.Time{}
		r.Name = strings.TrimSpace(r.Name)
		for _, l := range []*[]string{&r.Keywords, &r.Phrases, &r.Patterns, &r.Buttons} {
			if *l == nil {
				*l = []string{}
			}
		}
		want = append(want, r)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip\n got %+v\nwant %+v", got, want)
	}
	again, err := ExportRules(got)
	if err != nil || string(again) != string(data) {
		t.Fatalf("exporting the import again changed the document (%v):\n%s\n---\n%s", err, again, data)
	}
}

func TestExportRules_EmptyWorkspaceImportsAsNoRules(t *testing.T) {
	data, err := ExportRules(nil)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil || doc["version"] != 1.0 || doc["rules"] == nil {
		t.Fatalf("export of no rules: %s (%v)", data, err)
	}
	if rules, err := ParseRules(data); err != nil || len(rules) != 0 {
		t.Fatalf("ParseRules = %v, %v", rules, err)
	}
}

func TestParseRules_HandWrittenRuleIsEnabledUnlessItSaysNot(t *testing.T) {
	rules, err := ParseRules([]byte(`{"version":1,"rules":[
		{"keywords":["spa"],"answer":"9-21"},
		{"keywords":["gym"],"answer":"24/7","enabled":false},
		{"Keywords":["pool"],"ANSWER":"closed","teamId":"  t1  "}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 3 || !rules[0].Enabled || rules[1].Enabled || !rules[2].Enabled {
		t.Fatalf("enabled: %+v", rules)
	}
	if rules[2].Answer != "closed" || rules[2].TeamID != "t1" {
		t.Fatalf("keys are matched like the API's, teamId trimmed: %+v", rules[2])
	}
}

// doc builds a document around rule objects written as JSON.
func doc(rules ...string) string {
	return `{"version":1,"rules":[` + strings.Join(rules, ",") + `]}`
}

const okRule = `{"name":"ok","keywords":["wifi"],"answer":"on your card"}`

func TestParseRules_ErrorsNameTheFieldWithTheRuleIndex(t *testing.T) {
	many := make([]string, MaxImportRules+1)
	for i := range many {
		many[i] = okRule
	}
	tests := []struct {
		name, doc, code, field string
	}{
		{"bad pattern among valid rules", doc(okRule, okRule, okRule, `{"patterns":["ok","(unclosed"],"answer":"x"}`), CodeInvalidPattern, "rules[3].patterns[1]"},
		{"pattern matching everything", doc(`{"patterns":[".*"],"answer":"x"}`), CodeInvalidPattern, "rules[0].patterns[0]"},
		{"no trigger", doc(okRule, `{"keywords":["  "],"answer":"x"}`), CodeTriggerRequired, "rules[1].keywords"},
		{"keyword without letters", doc(`{"keywords":["!!"],"answer":"x"}`), CodeInvalidKeyword, "rules[0].keywords[0]"},
		{"language", doc(`{"keywords":["spa"],"answer":"x","language":"klingon"}`), CodeInvalidLanguage, "rules[0].language"},
		{"no answer", doc(`{"keywords":["spa"]}`), CodeAnswerRequired, "rules[0].answer"},
		{"eleven buttons", doc(`{"keywords":["spa"],"answer":"x","buttons":["a","b","c","d","e","f","g","h","i","j","k"]}`), CodeTooManyButtons, "rules[0].buttons[10]"},
		{"blank button", doc(`{"keywords":["spa"],"answer":"x","buttons":[" "]}`), CodeBlankButton, "rules[0].buttons[0]"},
		{"long name", doc(`{"name":"` + strings.Repeat("n", MaxRuleNameChars+1) + `","keywords":["spa"],"answer":"x"}`), CodeInvalidName, "rules[0].name"},
		{"id in a rule", doc(okRule, `{"id":"r1","keywords":["spa"],"answer":"x"}`), CodeInvalidJSON, "rules[1].id"},
		{"workspace in a rule", doc(`{"workspaceId":"w1","keywords":["spa"],"answer":"x"}`), CodeInvalidJSON, "rules[0].workspaceId"},
		{"unknown rule field", doc(`{"keywords":["spa"],"answer":"x","colour":"blue"}`), CodeInvalidJSON, "rules[0].colour"},
		{"keywords not a list", doc(`{"keywords":"spa","answer":"x"}`), CodeInvalidJSON, "rules[0].keywords"},
		{"keyword not a string", doc(`{"keywords":["spa",7],"answer":"x"}`), CodeInvalidJSON, "rules[0].keywords"},
		{"priority a string", doc(`{"keywords":["spa"],"answer":"x","priority":"high"}`), CodeInvalidJSON, "rules[0].priority"},
		{"priority a fraction", doc(`{"keywords":["spa"],"answer":"x","priority":1.5}`), CodeInvalidJSON, "rules[0].priority"},
		{"handoff a string", doc(`{"keywords":["spa"],"answer":"x","handoff":"yes"}`), CodeInvalidJSON, "rules[0].handoff"},
		{"rule not an object", doc(okRule, `"spa"`), CodeInvalidJSON, "rules[1]"},
		{"nested object for a text", doc(`{"keywords":["spa"],"answer":{"en":{"text":["x"]}}}`), CodeInvalidJSON, "rules[0].answer"},
		{"rules not a list", `{"version":1,"rules":{"0":` + okRule + `}}`, CodeInvalidJSON, "rules"},
		{"rules missing", `{"version":1}`, CodeRulesRequired, "rules"},
		{"rules null", `{"version":1,"rules":null}`, CodeRulesRequired, "rules"},
		{"too many rules", doc(many...), CodeTooManyRules, fmt.Sprintf("rules[%d]", MaxImportRules)},
		{"version missing", `{"rules":[]}`, CodeUnsupportedVersion, "version"},
		{"version 2", `{"version":2,"rules":[]}`, CodeUnsupportedVersion, "version"},
		{"version a string", `{"version":"1","rules":[]}`, CodeInvalidJSON, "version"},
		{"the list answer instead", `{"items":[]}`, CodeInvalidJSON, "items"},
		{"trailing data", doc(okRule) + ` {}`, CodeInvalidJSON, ""},
		{"not JSON", `version: 1`, CodeInvalidJSON, ""},
		{"empty", ``, CodeInvalidJSON, ""},
		{"array", `[]`, CodeInvalidJSON, ""},
		{"deeply nested", strings.Repeat(`[`, 20000) + strings.Repeat(`]`, 20000), CodeInvalidJSON, ""},
		{"too large", doc(`{"keywords":["spa"],"answer":"` + strings.Repeat("x", MaxImportBytes) + `"}`), CodeDocumentTooLarge, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rules, err := ParseRules([]byte(tc.doc))
			var invalid *inbox.InvalidError
			if !errors.As(err, &invalid) {
				t.Fatalf("ParseRules = %d rules, %v; want an *inbox.InvalidError", len(rules), err)
			}
			if invalid.Code != tc.code || invalid.Field != tc.field || invalid.Reason == "" {
				t.Fatalf("error %q code %q field %q, want code %q field %q", err, invalid.Code, invalid.Field, tc.code, tc.field)
			}
			if rules != nil {
				t.Fatalf("rules returned with an error: %+v", rules)
			}
		})
	}
}

func TestParseRules_AtTheLimits(t *testing.T) {
	rules := make([]string, MaxImportRules)
	for i := range rules {
		rules[i] = okRule
	}
	got, err := ParseRules([]byte(doc(rules...)))
	if err != nil || len(got) != MaxImportRules {
		t.Fatalf("%d rules: %d, %v", MaxImportRules, len(got), err)
	}
	name := strings.Repeat("é", MaxRuleNameChars)
	if _, err := ParseRules([]byte(doc(`{"name":"` + name + `","keywords":["spa"],"answer":"x"}`))); err != nil {
		t.Fatalf("name of %d characters: %v", MaxRuleNameChars, err)
	}
}

// FuzzParseRules: never a panic; either an *inbox.InvalidError with a code
// or at most MaxImportRules rules that each pass ValidateRule, carry no id
// or workspace, and survive an export and a parse unchanged.
func FuzzParseRules(f *testing.F) {
	exported, err := ExportRules(sampleRules())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(exported)
	for _, s := range []string{
		doc(okRule), doc(), `{"version":1,"rules":[]}`,
		doc(`{"name":"Réception 🛎","phrases":["late check out"],"patterns":["\\broom\\s+\\d{3}\\b"],"language":"en","answer":"ok","buttons":["Yes","No"],"handoff":true,"teamId":"t","priority":-5,"enabled":false}`),
		doc(`{"patterns":["(unclosed"],"answer":"x"}`), doc(`{"patterns":["x*"],"answer":"x"}`),
		doc(`{"patterns":["` + strings.Repeat("a", MaxPatternLength+1) + `"],"answer":"x"}`),
		doc(`{"keywords":[1,2],"answer":true}`), doc(`{"keywords":{"a":["b"]},"answer":[[["x"]]]}`),
		doc(`{"id":"r1","keywords":["spa"],"answer":"x"}`), `{"version":1,"rules":[],"extra":1}`,
		`{"version":1e0,"rules":[]}`, `{"version":-1}`, `{"version":1,"rules":"all"}`, `null`, `{}`, ``, `{`,
		doc(strings.Repeat(okRule+",", MaxImportRules) + okRule),
		strings.Repeat(`{"a":`, 3000) + `1` + strings.Repeat(`}`, 3000),
		`{"version":1,"rules":[` + strings.Repeat(`[`, 5000) + strings.Repeat(`]`, 5000) + `]}`,
		"{\"version\":1,\"rules\":[{\"keywords\":[\"\xff\xfe\"],\"answer\":\"\\u0000\"}]}",
		doc(`{"keywords":["spa"],"answer":"x","language":"EN","buttons":["` + strings.Repeat("b", MaxButtonLength+1) + `"]}`),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rules, err := ParseRules(data)
		if err != nil {
			var invalid *inbox.InvalidError
			if !errors.As(err, &invalid) || invalid.Code == "" || rules != nil {
				t.Fatalf("ParseRules(%.200q) = %d rules, %#v", data, len(rules), err)
			}
			return
		}
		if len(rules) > MaxImportRules {
			t.Fatalf("%d rules accepted", len(rules))
		}
		for i, r := range rules {
			if err := ValidateRule(r); err != nil {
				t.Fatalf("rules[%d] accepted but invalid: %v", i, err)
			}
			if r.ID != "" || r.WorkspaceID != "" || !r.CreatedAt.IsZero() {
				t.Fatalf("rules[%d] carries an identity: %+v", i, r)
			}
		}
		again, err := ExportRules(rules)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseRules(again)
		if len(again) > MaxImportBytes {
			// Indenting can push a document just under the cap over it.
			return
		}
		if err != nil || len(back) != len(rules) {
			t.Fatalf("re-import of an accepted document: %d rules, %v", len(back), err)
		}
	})
}
