package bot

import (
	"errors"
	"strings"
	"testing"

	"hub/inbox"
)

func TestValidateRule(t *testing.T) {
	ok := inbox.BotRule{Keywords: []string{"wifi"}, Answer: "The code is on your card."}
	with := func(change func(r *inbox.BotRule)) inbox.BotRule {
		r := ok
		change(&r)
		return r
	}
	buttons := func(n int) []string {
		b := make([]string, n)
		for i := range b {
			b[i] = "option"
		}
		return b
	}
	tests := []struct {
		name        string
		rule        inbox.BotRule
		field, code string
	}{
		{"valid", ok, "", ""},
		{"phrase only", with(func(r *inbox.BotRule) { r.Keywords, r.Phrases = nil, []string{"late check out"} }), "", ""},
		{"pattern only", with(func(r *inbox.BotRule) { r.Keywords, r.Patterns = nil, []string{`\d{6}`} }), "", ""},
		{"handoff without answer", with(func(r *inbox.BotRule) { r.Answer, r.Handoff = "", true }), "", ""},
		{"language any case", with(func(r *inbox.BotRule) { r.Language = "FR" }), "", ""},
		{"ten buttons", with(func(r *inbox.BotRule) { r.Buttons = buttons(10) }), "", ""},
		{"button of 64", with(func(r *inbox.BotRule) { r.Buttons = []string{strings.Repeat("é", 64)} }), "", ""},
		{"keyword of 100", with(func(r *inbox.BotRule) { r.Keywords = []string{strings.Repeat("a", 100)} }), "", ""},
		{"blank entries ignored", with(func(r *inbox.BotRule) { r.Keywords = []string{"", " ", "wifi"}; r.Patterns = []string{" "} }), "", ""},

		{"no trigger", with(func(r *inbox.BotRule) { r.Keywords = nil }), "keywords", CodeTriggerRequired},
		{"only blank triggers", with(func(r *inbox.BotRule) {
			r.Keywords, r.Phrases, r.Patterns = []string{"", "  "}, []string{"\t"}, []string{" "}
		}), "keywords", CodeTriggerRequired},
		{"keyword without letters", with(func(r *inbox.BotRule) { r.Keywords = []string{"wifi", "?!"} }), "keywords[1]", CodeInvalidKeyword},
		{"keyword star only", with(func(r *inbox.BotRule) { r.Keywords = []string{"*"} }), "keywords[0]", CodeInvalidKeyword},
		{"keyword too long", with(func(r *inbox.BotRule) { r.Keywords = []string{"x", strings.Repeat("a", 101)} }), "keywords[1]", CodeTooLong},
		{"phrase without letters", with(func(r *inbox.BotRule) { r.Phrases = []string{"..."} }), "phrases[0]", CodeInvalidPhrase},
		{"phrase too long", with(func(r *inbox.BotRule) { r.Phrases = []string{"ok", strings.Repeat("é", 101)} }), "phrases[1]", CodeTooLong},
		{"invalid pattern", with(func(r *inbox.BotRule) { r.Patterns = []string{`ok`, `(unclosed`} }), "patterns[1]", CodeInvalidPattern},
		{"pattern matches everything", with(func(r *inbox.BotRule) { r.Patterns = []string{`x*`} }), "patterns[0]", CodeInvalidPattern},
		{"pattern too long", with(func(r *inbox.BotRule) { r.Patterns = []string{strings.Repeat("a", 201)} }), "patterns[0]", CodeTooLong},
		{"unknown language", with(func(r *inbox.BotRule) { r.Language = "nl" }), "language", CodeInvalidLanguage},
		{"no answer", with(func(r *inbox.BotRule) { r.Answer = "  " }), "answer", CodeAnswerRequired},
		{"eleven buttons", with(func(r *inbox.BotRule) { r.Buttons = buttons(11) }), "buttons[10]", CodeTooManyButtons},
		{"blank button", with(func(r *inbox.BotRule) { r.Buttons = []string{"Yes", " "} }), "buttons[1]", CodeBlankButton},
		{"button too long", with(func(r *inbox.BotRule) { r.Buttons = []string{strings.Repeat("a", 65)} }), "buttons[0]", CodeTooLong},
	}
	for _, tt := range tests {
		err := ValidateRule(tt.rule)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		var inv *inbox.InvalidError
		if !errors.As(err, &inv) {
			t.Errorf("%s: error %v, want an *inbox.InvalidError", tt.name, err)
			continue
		}
		if inv.Field != tt.field || inv.Code != tt.code {
			t.Errorf("%s: field %q code %q (%s), want field %q code %q", tt.name, inv.Field, inv.Code, inv.Reason, tt.field, tt.code)
		}
	}
}

func TestValidateRule_PatternErrorSaysWhy(t *testing.T) {
	err := ValidateRule(inbox.BotRule{Patterns: []string{`a(b`}, Answer: "x"})
	if err == nil || !strings.Contains(err.Error(), "missing closing )") {
		t.Fatalf("error = %v, want the regexp error", err)
	}
}
