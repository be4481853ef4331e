package telegram

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
)

func TestValidateConfig(t *testing.T) {
	t.Parallel()
	a := New(Config{}, &fakeSink{}, adapterstest.NewDirectory())
	valid := func(mod func(map[string]string)) map[string]string {
		cfg := map[string]string{keyBotToken: testToken, keyWebhookSecret: testSecret}
		if mod != nil {
			mod(cfg)
		}
		return cfg
	}
	cases := []struct {
		name  string
		cfg   map[string]string
		field string // "" for valid
	}{
		{"minimal", valid(nil), ""},
		{"with API base", valid(func(c map[string]string) { c[keyAPIBaseURL] = "http://127.0.0.1:8081/" }), ""},
		{"empty API base", valid(func(c map[string]string) { c[keyAPIBaseURL] = "" }), ""},
		{"256-char secret", valid(func(c map[string]string) { c[keyWebhookSecret] = strings.Repeat("a", 256) }), ""},
		{"no token", valid(func(c map[string]string) { delete(c, keyBotToken) }), keyBotToken},
		{"token without colon", valid(func(c map[string]string) { c[keyBotToken] = "123456789AAEhBP0av28f1ZyZ0s4kbXsWmUq3Zy" }), keyBotToken},
		{"token tail too short", valid(func(c map[string]string) { c[keyBotToken] = "123:abcdefghij" }), keyBotToken},
		{"token with space", valid(func(c map[string]string) { c[keyBotToken] = testToken + " " }), keyBotToken},
		{"no secret", valid(func(c map[string]string) { delete(c, keyWebhookSecret) }), keyWebhookSecret},
		{"secret too long", valid(func(c map[string]string) { c[keyWebhookSecret] = strings.Repeat("a", 257) }), keyWebhookSecret},
		{"secret with dot", valid(func(c map[string]string) { c[keyWebhookSecret] = "abc.def" }), keyWebhookSecret},
		{"relative API base", valid(func(c map[string]string) { c[keyAPIBaseURL] = "api.telegram.org" }), keyAPIBaseURL},
		{"ftp API base", valid(func(c map[string]string) { c[keyAPIBaseURL] = "ftp://api.telegram.org" }), keyAPIBaseURL},
		{"API base with query", valid(func(c map[string]string) { c[keyAPIBaseURL] = "https://x.example?a=1" }), keyAPIBaseURL},
		{"unknown key", valid(func(c map[string]string) { c["chatId"] = "1"; c["accountSid"] = "x" }), "accountSid"},
		{"first bad key wins", map[string]string{keyWebhookSecret: "", "zzz": "1"}, keyBotToken},
	}
	for _, c := range cases {
		err := a.ValidateConfig(c.cfg)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: unexpected error %v", c.name, err)
			}
			continue
		}
		var fe *adapters.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s: error %v, want a FieldError on %s", c.name, err, c.field)
		}
		if err != nil && strings.Contains(err.Error(), testToken) {
			t.Errorf("%s: error quotes the token", c.name)
		}
	}
}

func TestFieldsAndWebhookURLs(t *testing.T) {
	t.Parallel()
	a := New(Config{PublicURL: "https://hub.example.com/"}, &fakeSink{}, adapterstest.NewDirectory())
	var keys []string
	for _, f := range a.Fields() {
		keys = append(keys, f.Key)
		switch f.Key {
		case keyBotToken:
			if !f.Required || !f.Secret {
				t.Errorf("botToken %+v: want required and secret", f)
			}
		case keyWebhookSecret:
			if !f.Secret || !f.Generated {
				t.Errorf("webhookSecret %+v: want secret and generated", f)
			}
		}
	}
	if !reflect.DeepEqual(keys, []string{keyBotToken, keyWebhookSecret, keyAPIBaseURL}) {
		t.Fatalf("fields %v", keys)
	}
	got := a.WebhookURLs(adapters.Channel{ID: "ch_42", Type: ChannelType})
	if want := map[string]string{"inbound": "https://hub.example.com/hooks/telegram/ch_42"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("webhook URLs %v", got)
	}
}

func TestNew_ModeFollowsPublicURLAndDefaults(t *testing.T) {
	t.Parallel()
	for url, mode := range map[string]string{
		"https://hub.example.com": "webhook", "http://10.0.0.5:8080": "polling", "": "polling",
	} {
		a := New(Config{PublicURL: url}, &fakeSink{}, adapterstest.NewDirectory())
		if a.mode() != mode {
			t.Errorf("PublicURL %q: mode %s, want %s", url, a.mode(), mode)
		}
	}
	a := New(Config{}, &fakeSink{}, adapterstest.NewDirectory())
	if a.cfg.PollTimeout != 25e9 || a.cfg.SweepInterval != 30e9 || a.cfg.MaxMediaBytes != 20<<20 || a.partGap != 1e9 {
		t.Fatalf("defaults %+v gap %v", a.cfg, a.partGap)
	}
	p := a.Pacing(adapters.Channel{})
	if p.PerChannel != 34e6 || p.PerChat != 1e9 {
		t.Fatalf("pacing %+v", p)
	}
	if c := a.Capabilities(); c.MaxTextLen != 0 || !c.Media || !c.Buttons || a.Type() != "telegram" {
		t.Fatalf("capabilities %+v", c)
	}
}
