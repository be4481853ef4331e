package bot

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"hub/inbox"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"hello", "hello"},
		{"Hello World", "hello world"},
		{"  Hello,   World!!  ", "hello world"},
		{"Check-in?", "check in"},
		{"CHECK-IN", "check in"},
		{"quelqu'un", "quelqu un"},
		{"quelqu’un", "quelqu un"},
		{"dell‘albergo", "dell albergo"},
		{"Réservation à l'hôtel", "reservation a l hotel"},
		{"É È Ê Ë À Â Ä Î Ï Ô Ö Ù Û Ü Ç Ñ", "e e e e a a a i i o o u u u c n"},
		{"é è ê ë à â ä î ï ô ö ù û ü ç ñ", "e e e e a a a i i o o u u u c n"},
		{"Straße", "strasse"},
		{"STRAẞE", "strasse"},
		{"Œuvre cœur", "oeuvre coeur"},
		{"Æsop et Lætitia", "aesop et laetitia"},
		{"Fünf Größen", "funf grossen"},
		{"¿Dónde está la habitación?", "donde esta la habitacion"},
		{"Perché così? Più tardi", "perche cosi piu tardi"},
		{"Não, obrigação", "nao obrigacao"},
		{"Je voudrais parler à un humain.", "je voudrais parler a un humain"},
		{"e\u0301te\u0301", "ete"}, // decomposed accents
		{"Wi-Fi 24h/24 😀 ok", "wi fi 24h 24 ok"},
		{"tab\tand\nnewline", "tab and newline"},
		{"Привет Мир", "привет мир"},
		{"l’accueil…", "l accueil"},
		{"already folded", "already folded"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestContainsPhrase(t *testing.T) {
	tests := []struct {
		text, phrase string
		prefix       bool
		want         bool
	}{
		{"an agent please", "agent", false, true},
		{"i need an agenda", "agent", false, false},
		{"i need an agenda", "agenda", false, true},
		{"agent", "agent", false, true},
		{"reagent", "agent", false, false},
		{"agents", "agent", false, false},
		{"agents", "agent", true, true},
		{"what time is check in", "check in", false, true},
		{"check inn", "check in", false, false},
		{"a agenda then agent", "agent", false, true},
		{"anything", "", false, false},
		{"ag", "agent", false, false},
	}
	for _, tt := range tests {
		if got := containsPhrase(tt.text, tt.phrase, tt.prefix); got != tt.want {
			t.Errorf("containsPhrase(%q, %q, %v) = %v, want %v", tt.text, tt.phrase, tt.prefix, got, tt.want)
		}
	}
}

func TestAsksForPerson(t *testing.T) {
	yes := []string{
		// English
		"agent", "Agent!", "AGENT PLEASE", "Can I talk to a human?", "I want a real person",
		"Can I speak to someone?", "Is there anyone there?", "operator", "I want a representative",
		"let me talk to your staff", "customer service please", "connect me to a live agent",
		"talk to a person", "I need a human being", "book a room for one person, then talk to a person",
		// French
		"je voudrais parler à un humain", "je voudrais parler à un conseiller",
		"Je veux parler à une conseillère", "Est-ce que quelqu'un peut m'aider ?",
		"quelqu’un svp", "je veux une personne", "un opérateur svp", "un agent s'il vous plaît",
		"Je veux parler à un vrai", "parler à une vraie personne", "service client",
		"Puis-je parler à quelqu'un ?",
		// Italian
		"Vorrei parlare con un operatore", "voglio una persona", "c'è un umano?",
		"posso parlare con qualcuno?", "mi serve un assistente", "operatrice per favore",
		// German
		"Ich möchte mit einem Mitarbeiter sprechen", "Ich will mit einem Menschen reden",
		"Kann mir jemand helfen?", "ein Mensch bitte", "einen Berater bitte",
		"mit einer echten Person sprechen", "Sachbearbeiter", "Kundenservice bitte",
		"Ich möchte mit jemandem sprechen",
		// Spanish
		"Quiero hablar con una persona", "quiero un agente", "¿Hay algún humano?",
		"¿Alguien me puede ayudar?", "un operador por favor", "hablar con un asesor",
		"atención al cliente",
	}
	for _, s := range yes {
		if !AsksForPerson(s) {
			t.Errorf("AsksForPerson(%q) = false, want true", s)
		}
	}
	no := []string{
		"", "hello", "I need an agenda", "personal info", "Can I update my personal details?",
		"what time is check-in", "a room for one person", "price per person", "for 1 person",
		"can I pay in person?", "I booked for someone", "my travel agent booked it",
		"is there a tour operator desk", "human resources contact",
		"chambre pour une personne", "une personne de plus", "une personne supplémentaire",
		"Réservation pour une personne ce soir", "pouvez-vous me conseiller un restaurant ?",
		"Vous pouvez nous conseiller ?", "j'ai réservé pour quelqu'un", "c'était un vrai plaisir",
		"personne ne répond", "deux personnes", "mon agenda",
		"camera per una persona", "50 euro a persona", "una persona in più",
		"sei un assistente virtuale?", "Zimmer für eine Person", "Frühstück pro Person",
		"Preis je Person", "ein Zimmer für jemanden", "habitación para una persona",
		"precio por persona", "una persona más", "reservé para alguien",
		"la agenda del día", "personalmente", "personnel", "operations",
	}
	for _, s := range no {
		if AsksForPerson(s) {
			t.Errorf("AsksForPerson(%q) = true, want false", s)
		}
	}
}

func TestFill(t *testing.T) {
	tests := []struct{ tmpl, contact, ws, want string }{
		{"Hello {{contact.name}}!", "Ana", "Hotel", "Hello Ana!"},
		{"Hello {{contact.name}}!", "", "Hotel", "Hello!"},
		{"Hello {{contact.name}}, welcome to {{workspace.name}}.", "", "Hôtel du Lac", "Hello, welcome to Hôtel du Lac."},
		{"Bonjour {{contact.name}} !", "", "x", "Bonjour !"},
		{"Hi {{contact.name}} welcome", "", "x", "Hi welcome"},
		{"{{contact.name}}, welcome", "", "x", "welcome"},
		{"{{ Contact.Name }} ok", "Bo", "x", "Bo ok"},
		{"Hi {{contact.name}}", "  Bo  ", "x", "Hi Bo"},
		{"Unknown {{foo.bar}} kept", "a", "b", "Unknown {{foo.bar}} kept"},
		{"Broken {{contact.name", "a", "b", "Broken {{contact.name"},
		{"No vars", "a", "b", "No vars"},
		{"Hi {{contact.name}}", "{{workspace.name}}", "W", "Hi {{workspace.name}}"},
		{"{{contact.name}}", "", "W", ""},
		{"Thanks, {{contact.name}}!", "", "W", "Thanks!"},
		{"Thanks, {{contact.name}}!", "Ana", "W", "Thanks, Ana!"},
		{"Hi, {{contact.name}}, welcome", "", "W", "Hi, welcome"},
		{"Bonjour, {{contact.name}} !", "", "W", "Bonjour !"},
		{"See you, {{contact.name}}", "", "W", "See you"},
		{"{{workspace.name}}: {{contact.name}}", "A", "W", "W: A"},
	}
	for _, tt := range tests {
		if got := Fill(tt.tmpl, tt.contact, tt.ws); got != tt.want {
			t.Errorf("Fill(%q, %q, %q) = %q, want %q", tt.tmpl, tt.contact, tt.ws, got, tt.want)
		}
	}
}

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func rule(id string, prio int, answer string, keywords ...string) inbox.BotRule {
	return inbox.BotRule{ID: id, Name: id, Keywords: keywords, Answer: answer, Priority: prio, Enabled: true, CreatedAt: t0}
}

func reply(text string) Action { return Action{Type: ActionReply, Text: text} }

var (
	wifi      = rule("wifi", 0, "The Wi-Fi password is on your key card.", "wifi", "wi fi", "password")
	checkin   = rule("checkin", 0, "Check-in is from 3 pm, {{contact.name}}.", "check in", "arrival", "arrivée")
	breakfast = rule("breakfast", 0, "Breakfast is served 7-10 at {{workspace.name}}.", "breakfast", "petit déjeuner", "frühstück")
	agentRule = rule("agent", 10, "rule answer", "agent")
	groups    = func() inbox.BotRule {
		r := rule("groups", 5, "Our events team will contact you.", "group booking", "séminaire")
		r.Handoff, r.TeamID = true, "team-events"
		return r
	}()
	routeOnly = func() inbox.BotRule {
		r := rule("lost", 0, "", "lost", "perdu")
		r.Handoff, r.TeamID = true, "team-desk"
		return r
	}()
	disabled = func() inbox.BotRule {
		r := rule("disabled", 100, "disabled answer", "breakfast")
		r.Enabled = false
		return r
	}()
	highBreakfast = rule("high", 3, "High priority breakfast.", "breakfast")
	olderSame     = func() inbox.BotRule {
		r := rule("zzz-older", 3, "Older rule.", "breakfast")
		r.CreatedAt = t0.Add(-time.Hour)
		return r
	}()
	sameTimeA = rule("a", 3, "Rule a.", "parking")
	sameTimeB = rule("b", 3, "Rule b.", "parking")
	prefixed  = rule("book", 0, "You can book online.", "réserv*", "book*")
	noAnswer  = rule("empty", 50, "  ", "breakfast")
)

func TestDecide(t *testing.T) {
	base := []inbox.BotRule{wifi, checkin, breakfast}
	greet := inbox.WorkspaceSettings{BotGreeting: "Welcome to {{workspace.name}}, {{contact.name}}!"}
	custom := inbox.WorkspaceSettings{BotHandoffAfter: 3, BotFallback: "Pardon ?", HandoffNotice: "Un conseiller arrive."}
	notice, fallback := reply(DefaultHandoffNotice), reply(DefaultFallback)
	requested := Action{Type: ActionHandoff, Reason: ReasonRequested}
	unmatched := Action{Type: ActionHandoff, Reason: ReasonUnmatched}
	matched := func(id string) Action { return Action{Type: ActionMatched, RuleID: id} }
	miss := Action{Type: ActionMiss}

	tests := []struct {
		name     string
		status   inbox.Status
		misses   int
		first    bool
		text     string
		attach   bool
		rules    []inbox.BotRule
		settings inbox.WorkspaceSettings
		contact  string
		want     []Action
	}{
		{name: "open: silent", status: inbox.StatusOpen, text: "breakfast?", rules: base},
		{name: "pending: silent", status: inbox.StatusPending, text: "agent", rules: base},
		{name: "closed: silent", status: inbox.StatusClosed, first: true, text: "hi", settings: greet},
		{name: "spam: silent", status: inbox.StatusSpam, text: "wifi", rules: base},
		{name: "empty status: silent", status: "", text: "wifi", rules: base},

		{name: "rule matches", text: "What's the WiFi password?", rules: base,
			want: []Action{matched("wifi"), reply(wifi.Answer)}},
		{name: "phrase across punctuation", text: "What time is check-in?", rules: base, contact: "Ana",
			want: []Action{matched("checkin"), reply("Check-in is from 3 pm, Ana.")}},
		{name: "missing contact name", text: "check in", rules: base,
			want: []Action{matched("checkin"), reply("Check-in is from 3 pm.")}},
		{name: "accented keyword, unaccented message", text: "heure d'ARRIVEE ?", rules: base,
			want: []Action{matched("checkin"), reply("Check-in is from 3 pm.")}},
		{name: "workspace variable", text: "Petit-déjeuner ?", rules: base,
			want: []Action{matched("breakfast"), reply("Breakfast is served 7-10 at Hôtel du Lac.")}},
		{name: "word boundary: no partial match", text: "passwords", rules: base,
			want: []Action{miss, fallback}},
		{name: "prefix keyword", text: "Je voudrais réserver", rules: []inbox.BotRule{prefixed},
			want: []Action{matched("book"), reply("You can book online.")}},
		{name: "prefix keyword inflected", text: "booking for May", rules: []inbox.BotRule{prefixed},
			want: []Action{matched("book"), reply("You can book online.")}},
		{name: "priority wins", text: "breakfast", rules: []inbox.BotRule{breakfast, highBreakfast},
			want: []Action{matched("high"), reply("High priority breakfast.")}},
		{name: "same priority: older first", text: "breakfast", rules: []inbox.BotRule{highBreakfast, olderSame},
			want: []Action{matched("zzz-older"), reply("Older rule.")}},
		{name: "same priority and time: by id", text: "parking", rules: []inbox.BotRule{sameTimeB, sameTimeA},
			want: []Action{matched("a"), reply("Rule a.")}},
		{name: "disabled rule skipped", text: "breakfast", rules: []inbox.BotRule{disabled, breakfast},
			want: []Action{matched("breakfast"), reply("Breakfast is served 7-10 at Hôtel du Lac.")}},
		{name: "rule without answer or handoff skipped", text: "breakfast", rules: []inbox.BotRule{noAnswer, breakfast},
			want: []Action{matched("breakfast"), reply("Breakfast is served 7-10 at Hôtel du Lac.")}},
		{name: "only disabled rule: miss", text: "breakfast", rules: []inbox.BotRule{disabled},
			want: []Action{miss, fallback}},
		{name: "rule handoff to team", text: "Group booking for 40 people", rules: append(base, groups),
			want: []Action{matched("groups"), reply("Our events team will contact you."),
				{Type: ActionHandoff, TeamID: "team-events", Reason: ReasonRule, RuleID: "groups"}}},
		{name: "rule handoff without answer", text: "j'ai perdu mon sac", rules: []inbox.BotRule{routeOnly},
			want: []Action{matched("lost"), {Type: ActionHandoff, TeamID: "team-desk", Reason: ReasonRule, RuleID: "lost"}}},

		{name: "person request beats rules", text: "agent please", rules: []inbox.BotRule{agentRule},
			want: []Action{notice, requested}},
		{name: "person request, custom notice", text: "je voudrais parler à un humain", settings: custom,
			want: []Action{reply("Un conseiller arrive."), requested}},
		{name: "agenda is not agent", text: "I need an agenda", rules: []inbox.BotRule{agentRule}, misses: 0,
			want: []Action{miss, fallback}},

		{name: "first miss", text: "blah blah", rules: base,
			want: []Action{miss, fallback}},
		{name: "second miss hands off (default 2)", text: "blah blah", rules: base, misses: 1,
			want: []Action{notice, unmatched}},
		{name: "custom 3: second miss", text: "blah", settings: custom, misses: 1,
			want: []Action{miss, reply("Pardon ?")}},
		{name: "custom 3: third miss hands off", text: "blah", settings: custom, misses: 2,
			want: []Action{reply("Un conseiller arrive."), unmatched}},
		{name: "handoff after 1", text: "blah", settings: inbox.WorkspaceSettings{BotHandoffAfter: 1},
			want: []Action{notice, unmatched}},
		{name: "match after misses", text: "wifi", rules: base, misses: 1,
			want: []Action{matched("wifi"), reply(wifi.Answer)}},
		{name: "emoji only: quiet", text: "👍", rules: base},
		{name: "attachment only: miss", text: "", attach: true, rules: base,
			want: []Action{miss, fallback}},

		{name: "greeting on first hello", first: true, text: "Hello", rules: base, settings: greet, contact: "Ana",
			want: []Action{reply("Welcome to Hôtel du Lac, Ana!")}},
		{name: "greeting without name", first: true, text: "hi", settings: greet,
			want: []Action{reply("Welcome to Hôtel du Lac!")}},
		{name: "greeting then rule", first: true, text: "hi, wifi?", rules: base, settings: greet, contact: "Ana",
			want: []Action{reply("Welcome to Hôtel du Lac, Ana!"), matched("wifi"), reply(wifi.Answer)}},
		{name: "greeting then person", first: true, text: "Can I talk to a human?", settings: greet, contact: "Ana",
			want: []Action{reply("Welcome to Hôtel du Lac, Ana!"), notice, requested}},
		{name: "first without greeting: normal miss", first: true, text: "hello", rules: base,
			want: []Action{miss, fallback}},
		{name: "not first: no greeting", text: "hello", rules: base, settings: greet,
			want: []Action{miss, fallback}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status := tt.status
			if status == "" && !strings.HasPrefix(tt.name, "empty status") {
				status = inbox.StatusBot
			}
			in := Input{
				Conversation:  inbox.Conversation{ID: "c1", Status: status, BotMisses: tt.misses},
				Message:       inbox.Message{ID: "m1", Text: tt.text, Direction: inbox.DirectionIn},
				First:         tt.first,
				Rules:         tt.rules,
				Settings:      tt.settings,
				ContactName:   tt.contact,
				WorkspaceName: "Hôtel du Lac",
			}
			if tt.attach {
				in.Message.Attachments = []inbox.Attachment{{URL: "https://x/y.jpg"}}
			}
			got := Decide(in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Decide(%q) =\n  %+v\nwant\n  %+v", tt.text, got, tt.want)
			}
			// A compiled rule set decides the same.
			in.Rules, in.RuleSet = nil, Compile(tt.rules)
			if got := Decide(in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("with a RuleSet, Decide(%q) =\n  %+v\nwant\n  %+v", tt.text, got, tt.want)
			}
		})
	}
}

func TestDecideDoesNotModifyRules(t *testing.T) {
	rules := []inbox.BotRule{breakfast, highBreakfast, olderSame}
	before := fmt.Sprint(rules)
	Decide(Input{Conversation: inbox.Conversation{Status: inbox.StatusBot}, Message: inbox.Message{Text: "breakfast"}, Rules: rules})
	if after := fmt.Sprint(rules); after != before {
		t.Fatalf("rules changed:\n%s\n%s", before, after)
	}
}
