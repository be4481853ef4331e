package sms

import (
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
)

func configAdapter(publicURL string) *Adapter {
	return New(Config{PublicURL: publicURL, Logger: slog.New(slog.DiscardHandler)}, &fakeSink{}, adapterstest.NewDirectory())
}

func TestFields_DescribeTheChannelSettings(t *testing.T) {
	a := configAdapter("")
	type flags struct{ required, secret bool }
	got := map[string]flags{}
	var order []string
	for _, f := range a.Fields() {
		if f.Label == "" || f.Generated {
			t.Errorf("field %+v", f)
		}
		got[f.Key] = flags{f.Required, f.Secret}
		order = append(order, f.Key)
	}
	want := map[string]flags{
		"accountSid":          {true, false},
		"authToken":           {true, true},
		"from":                {false, false},
		"messagingServiceSid": {false, false},
		"apiBaseUrl":          {false, false},
		"mps":                 {false, false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("fields %v (order %v)", got, order)
	}
}

func TestValidateConfig(t *testing.T) {
	cases := []struct {
		name  string
		cfg   map[string]string
		field string // "" = valid
	}{
		{"minimal with from", smsConfig(), ""},
		{"messaging service only", smsConfig(keyFrom, "", keyServiceSID, testService), ""},
		{"both senders", smsConfig(keyServiceSID, testService), ""},
		{"upper-case hex sid", smsConfig(keyAccountSID, "AC0123456789ABCDEF0123456789ABCDEF"), ""},
		{"api base and mps", smsConfig(keyAPIBaseURL, "https://api.dublin.ie1.twilio.com", keyMPS, "2.5"), ""},
		{"api base with path", smsConfig(keyAPIBaseURL, "http://127.0.0.1:8089/twilio/"), ""},
		{"empty optional values", map[string]string{keyAccountSID: testAccount, keyAuthToken: testAuthToken, keyFrom: testFrom, keyServiceSID: "", keyAPIBaseURL: "", keyMPS: ""}, ""},

		{"no account", smsConfig(keyAccountSID, ""), keyAccountSID},
		{"account not AC", smsConfig(keyAccountSID, "AB0123456789abcdef0123456789abcdef"), keyAccountSID},
		{"account too short", smsConfig(keyAccountSID, "AC0123456789abcdef"), keyAccountSID},
		{"account not hex", smsConfig(keyAccountSID, "AC0123456789abcdef0123456789abcdeg"), keyAccountSID},
		{"account with space", smsConfig(keyAccountSID, " "+testAccount), keyAccountSID},
		{"no token", smsConfig(keyAuthToken, ""), keyAuthToken},
		{"token with symbols", smsConfig(keyAuthToken, "abc-123"), keyAuthToken},
		{"no sender", smsConfig(keyFrom, ""), keyFrom},
		{"from not E.164", smsConfig(keyFrom, "0612345678"), keyFrom},
		{"from with spaces", smsConfig(keyFrom, "+33 6 12 34 56 78"), keyFrom},
		{"from too long", smsConfig(keyFrom, "+1234567890123456"), keyFrom},
		{"from starts with 0", smsConfig(keyFrom, "+0612345678"), keyFrom},
		{"service not MG", smsConfig(keyServiceSID, "MX0123456789abcdef0123456789abcdef"), keyServiceSID},
		{"service too short", smsConfig(keyFrom, "", keyServiceSID, "MG123"), keyServiceSID},
		{"api base relative", smsConfig(keyAPIBaseURL, "/twilio"), keyAPIBaseURL},
		{"api base ftp", smsConfig(keyAPIBaseURL, "ftp://api.example.com"), keyAPIBaseURL},
		{"api base no host", smsConfig(keyAPIBaseURL, "https://"), keyAPIBaseURL},
		{"api base credentials", smsConfig(keyAPIBaseURL, "https://u:p@api.example.com"), keyAPIBaseURL},
		{"api base query", smsConfig(keyAPIBaseURL, "https://api.example.com?x=1"), keyAPIBaseURL},
		{"mps zero", smsConfig(keyMPS, "0"), keyMPS},
		{"mps negative", smsConfig(keyMPS, "-1"), keyMPS},
		{"mps too high", smsConfig(keyMPS, "1001"), keyMPS},
		{"mps NaN", smsConfig(keyMPS, "NaN"), keyMPS},
		{"mps Inf", smsConfig(keyMPS, "Inf"), keyMPS},
		{"mps text", smsConfig(keyMPS, "fast"), keyMPS},
		{"unknown key", smsConfig("webhookSecret", "x"), "webhookSecret"},
		{"unknown keys, first by name", smsConfig("zeta", "x", "alpha", "y"), "alpha"},
		{"known key wins over unknown", smsConfig("alpha", "y", keyMPS, "0"), keyMPS},
		{"nil config", nil, keyAccountSID},
	}
	a := configAdapter("")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := a.ValidateConfig(c.cfg)
			if c.field == "" {
				if err != nil {
					t.Fatalf("valid config refused: %v", err)
				}
				return
			}
			var fe *adapters.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want *adapters.FieldError", err)
			}
			if fe.Field != c.field || fe.Reason == "" {
				t.Fatalf("FieldError %+v, want field %q", fe, c.field)
			}
		})
	}
}

func TestValidateConfig_ErrorNeverQuotesTheToken(t *testing.T) {
	a := configAdapter("")
	err := a.ValidateConfig(smsConfig(keyAuthToken, "secret-with-dash"))
	if err == nil || strings.Contains(err.Error(), "secret-with-dash") {
		t.Fatalf("err = %v", err)
	}
}

func TestWebhookURLs(t *testing.T) {
	ch := adapters.Channel{ID: "ch-42", Type: ChannelType}
	for _, public := range []string{"https://hub.example.com", "https://hub.example.com/", " https://hub.example.com// "} {
		got := configAdapter(public).WebhookURLs(ch)
		want := map[string]string{
			"inbound": "https://hub.example.com/hooks/sms/ch-42",
			"status":  "https://hub.example.com/hooks/sms/ch-42/status",
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("PublicURL %q: %v", public, got)
		}
	}
	got := configAdapter("https://hub.example.com/base").WebhookURLs(ch)
	if got["inbound"] != "https://hub.example.com/base/hooks/sms/ch-42" {
		t.Fatalf("with path: %v", got)
	}
}

func TestPacing(t *testing.T) {
	a := configAdapter("")
	cases := map[string]time.Duration{
		"":     time.Second,
		"1":    time.Second,
		"3":    time.Second / 3,
		"0.5":  2 * time.Second,
		"100":  10 * time.Millisecond,
		"1000": time.Millisecond,
		"0":    time.Second, // invalid: default
		"fast": time.Second,
	}
	for mps, want := range cases {
		ch := adapters.Channel{Type: ChannelType, Config: smsConfig(keyMPS, mps)}
		if got := a.Pacing(ch); got != (adapters.Pacing{PerChannel: want}) {
			t.Errorf("mps %q: %+v, want PerChannel %s", mps, got, want)
		}
	}
}

func TestTypeAndCapabilities(t *testing.T) {
	a := configAdapter("")
	if a.Type() != "sms" {
		t.Fatalf("type %q", a.Type())
	}
	if got := a.Capabilities(); got != (adapters.Capabilities{MaxTextLen: 1600, Media: true, Buttons: false}) {
		t.Fatalf("capabilities %+v", got)
	}
}
