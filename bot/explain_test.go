package bot

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"hub/inbox"
)

func TestExplain(t *testing.T) {
	ref := inbox.BotRule{ID: "ref", Name: "Booking reference", Answer: "Thanks, we found it.", Enabled: true,
		Patterns: []string{`\b[A-Z]{2}\d{6}\b`}}
	frBreakfast := inbox.BotRule{ID: "pdj", Name: "Petit déjeuner", Answer: "De 7h à 10h.", Enabled: true, Language: "fr",
		Keywords: []string{"breakfast"}, Phrases: []string{"Petit-Déjeuner"}}
	menu := rule("menu", 0, "Menu", "menu")
	menu.Buttons = []string{"Petit déjeuner", "Parking"}
	rules := []inbox.BotRule{ref, frBreakfast, menu, wifi}
	monday := time.Date(2025, 3, 24, 10, 0, 0, 0, time.UTC)
	settings := inbox.WorkspaceSettings{TimeZone: "UTC", BusinessHours: []inbox.OpeningHours{{Day: 1, Open: "09:00", Close: "18:00"}}}
	tests := []struct {
		name   string
		status inbox.Status
		text   string
		now    time.Time
		want   Explanation
	}{
		{"pattern", inbox.StatusBot, "Ma réservation est AB123456", monday, Explanation{
			Active: true, Text: "Ma réservation est AB123456", Language: "fr", Open: true,
			Rule: &RuleMatch{ID: "ref", Name: "Booking reference", Trigger: TriggerPattern, Index: 0,
				Term: `\b[A-Z]{2}\d{6}\b`, Matched: "AB123456"},
			Actions: []Action{{Type: ActionMatched, RuleID: "ref"}, reply("Thanks, we found it.")},
		}},
		{"phrase with language", inbox.StatusBot, "Bonjour, le petit déjeuner est à quelle heure ?", monday, Explanation{
			Active: true, Text: "Bonjour, le petit déjeuner est à quelle heure ?", Language: "fr", Open: true,
			Rule: &RuleMatch{ID: "pdj", Name: "Petit déjeuner", Trigger: TriggerPhrase, Index: 0,
				Term: "Petit-Déjeuner", Matched: "petit dejeuner", Language: "fr"},
			Actions: []Action{{Type: ActionMatched, RuleID: "pdj"}, reply("De 7h à 10h.")},
		}},
		{"keyword, closed", inbox.StatusBot, "WIFI?", monday.Add(10 * time.Hour), Explanation{
			Active: true, Text: "WIFI?", Open: false,
			Rule:    &RuleMatch{ID: "wifi", Name: "wifi", Trigger: TriggerKeyword, Index: 0, Term: "wifi", Matched: "wifi"},
			Actions: []Action{{Type: ActionMatched, RuleID: "wifi"}, reply(wifi.Answer)},
		}},
		{"numbered choice", inbox.StatusBot, "1", monday, Explanation{
			Active: true, Text: "Petit déjeuner", Choice: 1, Open: true,
			Rule: &RuleMatch{ID: "pdj", Name: "Petit déjeuner", Trigger: TriggerPhrase, Index: 0,
				Term: "Petit-Déjeuner", Matched: "petit dejeuner", Language: "fr"},
			Actions: []Action{{Type: ActionChoice, Choice: 1, Text: "Petit déjeuner"}, {Type: ActionMatched, RuleID: "pdj"}, reply("De 7h à 10h.")},
		}},
		{"person request", inbox.StatusBot, "I want to talk to a human", monday, Explanation{
			Active: true, Text: "I want to talk to a human", Language: "en", Open: true, AsksForPerson: true,
			Actions: []Action{reply(DefaultHandoffNotice), {Type: ActionHandoff, Reason: ReasonRequested}},
		}},
		{"nothing matches", inbox.StatusBot, "hello there", monday, Explanation{
			Active: true, Text: "hello there", Language: "en", Open: true,
			Actions: []Action{{Type: ActionMiss}, reply(DefaultFallback)},
		}},
		{"not with the bot: what would fire", inbox.StatusOpen, "wifi", monday, Explanation{
			Text: "wifi", Open: true,
			Rule:    &RuleMatch{ID: "wifi", Name: "wifi", Trigger: TriggerKeyword, Index: 0, Term: "wifi", Matched: "wifi"},
			Actions: []Action{},
		}},
	}
	for _, tt := range tests {
		in := Input{
			Conversation: inbox.Conversation{Status: tt.status},
			Message:      inbox.Message{Text: tt.text},
			RuleSet:      Compile(rules),
			Settings:     settings,
			LastButtons:  menu.Buttons,
			Now:          tt.now,
		}
		got := Explain(in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v %+v\nwant %+v %+v", tt.name, got, got.Rule, tt.want, tt.want.Rule)
		}
		if d := Decide(in); len(d) != len(got.Actions) || (len(d) > 0 && !reflect.DeepEqual(d, got.Actions)) {
			t.Errorf("%s: Explain's actions %+v differ from Decide's %+v", tt.name, got.Actions, d)
		}
	}
}

func TestExplain_JSON(t *testing.T) {
	e := Explain(Input{
		Conversation: inbox.Conversation{Status: inbox.StatusBot},
		Message:      inbox.Message{Text: "wifi"},
		Rules:        []inbox.BotRule{wifi},
	})
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"active":true`, `"rule":{"id":"wifi"`, `"trigger":"keyword"`, `"actions":[{"type":"matched","ruleId":"wifi"}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
}
