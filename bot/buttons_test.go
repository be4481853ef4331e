package bot

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"hub/inbox"
)

func TestChoice(t *testing.T) {
	buttons := []string{"Breakfast", " Parking ", "Talk to someone"}
	tests := []struct {
		text string
		n    int
		want string
	}{
		{"2", 2, "Parking"},
		{"2.", 2, "Parking"},
		{" 2 ", 2, "Parking"},
		{"#2", 2, "Parking"},
		{"2)", 2, "Parking"},
		{"02", 2, "Parking"},
		{"2️⃣", 2, "Parking"},
		{"option 2", 2, "Parking"},
		{"Option 1", 1, "Breakfast"},
		{"choix 3", 3, "Talk to someone"},
		{"n° 3", 3, "Talk to someone"},
		{"nr. 1", 1, "Breakfast"},
		{"opción 1", 1, "Breakfast"},
		{"0", 0, ""},
		{"4", 0, ""},
		{"-1", 1, "Breakfast"}, // the dash is punctuation
		{"1000", 0, ""},
		{"2 please", 0, ""},
		{"room 2", 0, ""},
		{"option two", 0, ""},
		{"2.5", 0, ""},
		{"1 2", 0, ""},
		{"", 0, ""},
		{"Breakfast", 0, ""},
	}
	for _, tt := range tests {
		n, text, ok := Choice(tt.text, buttons)
		if n != tt.n || text != tt.want || ok != (tt.n > 0) {
			t.Errorf("Choice(%q) = %d, %q, %v; want %d, %q", tt.text, n, text, ok, tt.n, tt.want)
		}
	}
	if _, _, ok := Choice("1", nil); ok {
		t.Error("a choice without buttons")
	}
	if _, _, ok := Choice("1", []string{" "}); ok {
		t.Error("a blank button was chosen")
	}
}

func TestDecide_NumberedChoice(t *testing.T) {
	menu := rule("menu", 0, "What can I help with?", "menu", "help")
	menu.Buttons = []string{"Breakfast", "Parking", "Talk to someone", " "}
	parking := rule("parking", 0, "Parking is 15 € a day.", "parking")
	rules := []inbox.BotRule{menu, breakfast, parking}
	last := []string{"Breakfast", "Parking", "Talk to someone"}
	choice := func(n int, text string) Action { return Action{Type: ActionChoice, Choice: n, Text: text} }
	tests := []struct {
		name     string
		text     string
		last     []string
		convLast []string
		want     []Action
	}{
		{"buttons go with the reply", "help", nil, nil,
			[]Action{{Type: ActionMatched, RuleID: "menu"}, {Type: ActionReply, Text: "What can I help with?", Buttons: last}}},
		{"number picks a button", "2", last, nil,
			[]Action{choice(2, "Parking"), {Type: ActionMatched, RuleID: "parking"}, reply("Parking is 15 € a day.")}},
		{"option 1", "option 1", last, nil,
			[]Action{choice(1, "Breakfast"), {Type: ActionMatched, RuleID: "breakfast"}, reply("Breakfast is served 7-10 at Hôtel du Lac.")}},
		{"button asks for a person", "#3", last, nil,
			[]Action{choice(3, "Talk to someone"), reply(DefaultHandoffNotice), {Type: ActionHandoff, Reason: ReasonRequested}}},
		{"conversation's buttons when Input has none", "2", nil, last,
			[]Action{choice(2, "Parking"), {Type: ActionMatched, RuleID: "parking"}, reply("Parking is 15 € a day.")}},
		{"empty Input buttons override", "2", []string{}, last,
			[]Action{{Type: ActionMiss}, reply(DefaultFallback)}},
		{"out of range is a plain message", "7", last, nil,
			[]Action{{Type: ActionMiss}, reply(DefaultFallback)}},
		{"no buttons: a number is a plain message", "2", nil, nil,
			[]Action{{Type: ActionMiss}, reply(DefaultFallback)}},
	}
	for _, tt := range tests {
		in := Input{
			Conversation:  inbox.Conversation{Status: inbox.StatusBot, LastButtons: tt.convLast},
			Message:       inbox.Message{Text: tt.text},
			RuleSet:       Compile(rules),
			LastButtons:   tt.last,
			WorkspaceName: "Hôtel du Lac",
		}
		if got := Decide(in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

func TestDecide_ButtonsAreCopies(t *testing.T) {
	menu := rule("menu", 0, "Menu", "menu")
	menu.Buttons = []string{"A", "B"}
	rs := Compile([]inbox.BotRule{menu})
	in := Input{Conversation: inbox.Conversation{Status: inbox.StatusBot}, Message: inbox.Message{Text: "menu"}, RuleSet: rs}
	Decide(in)[1].Buttons[0] = "changed"
	if got := Decide(in)[1].Buttons; !reflect.DeepEqual(got, []string{"A", "B"}) {
		t.Fatalf("buttons = %q: the caller changed the rule set", got)
	}
}

// A rule whose button triggers the rule itself fires once per message: the
// chosen text is matched once and never read again as a choice.
func TestDecide_SelfTriggeringButtonFiresOnce(t *testing.T) {
	loop := rule("loop", 0, "Pick again", "again", "1")
	loop.Buttons = []string{"again", "1"}
	in := Input{
		Conversation: inbox.Conversation{Status: inbox.StatusBot},
		RuleSet:      Compile([]inbox.BotRule{loop}),
		LastButtons:  loop.Buttons,
	}
	for _, text := range []string{"1", "2", "again"} {
		in.Message.Text = text
		got := Decide(in)
		matched := 0
		for _, a := range got {
			if a.Type == ActionMatched {
				matched++
			}
		}
		if matched != 1 || len(got) > 3 {
			t.Errorf("%q: %+v", text, got)
		}
	}
}

// Whatever the input, Decide returns at most MaxActions actions.
func TestDecide_OutputIsBounded(t *testing.T) {
	rules := benchRules(60)
	for i := range rules {
		rules[i].Handoff = i%3 == 0
		rules[i].Buttons = []string{"1", "2", "agent", "breakfast", "wifi"}
	}
	rs := Compile(rules)
	rng := rand.New(rand.NewPCG(5, 6))
	words := []string{"1", "2", "#3", "option 4", "agent", "wifi", "breakfast", "petit déjeuner", "hello", "👍", "AB123456", "blah"}
	night := time.Date(2025, 1, 1, 3, 0, 0, 0, time.UTC)
	settings := inbox.WorkspaceSettings{BotGreeting: "Hi", BusinessHours: []inbox.OpeningHours{{Day: 1, Open: "09:00", Close: "17:00"}}}
	for range 2000 {
		var parts []string
		for range 1 + rng.IntN(3) {
			parts = append(parts, words[rng.IntN(len(words))])
		}
		in := Input{
			Conversation: inbox.Conversation{Status: inbox.StatusBot, BotMisses: rng.IntN(3)},
			Message:      inbox.Message{Text: strings.Join(parts, " ")},
			First:        rng.IntN(2) == 0,
			RuleSet:      rs,
			Settings:     settings,
			LastButtons:  []string{"agent", "wifi", "2", "1"},
			Now:          night,
		}
		if got := Decide(in); len(got) > MaxActions {
			t.Fatalf("%q: %d actions: %+v", in.Message.Text, len(got), got)
		}
	}
}

func TestDecide_LongMessageIsCut(t *testing.T) {
	rs := Compile([]inbox.BotRule{rule("end", 0, "found", "needle")})
	text := strings.Repeat("é", MaxMatchBytes) + " needle"
	in := Input{Conversation: inbox.Conversation{Status: inbox.StatusBot}, Message: inbox.Message{Text: text}, RuleSet: rs}
	if got := matchedID(Decide(in)); got != "" {
		t.Fatalf("a keyword past MaxMatchBytes fired %q", got)
	}
	in.Message.Text = "needle " + text
	if got := matchedID(Decide(in)); got != "end" {
		t.Fatalf("a keyword at the start did not fire: %q", got)
	}
}
