package partner

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
)

func TestValidateConfig(t *testing.T) {
	valid := func() map[string]string {
		return map[string]string{keyURL: "https://partner.example/replies", keySecret: secretNew}
	}
	cases := []struct {
		name   string
		change func(m map[string]string)
		field  string // "" = valid
	}{
		{"minimal", func(map[string]string) {}, ""},
		{"with previous secret", func(m map[string]string) { m[keyPreviousSecret] = secretOld }, ""},
		{"http url with port and query", func(m map[string]string) { m[keyURL] = "http://10.0.0.5:8080/in?token=x" }, ""},
		{"empty previous secret", func(m map[string]string) { m[keyPreviousSecret] = "" }, ""},
		{"secret of exactly 16", func(m map[string]string) { m[keySecret] = strings.Repeat("s", 16) }, ""},
		{"missing url", func(m map[string]string) { delete(m, keyURL) }, keyURL},
		{"relative url", func(m map[string]string) { m[keyURL] = "/replies" }, keyURL},
		{"ftp url", func(m map[string]string) { m[keyURL] = "ftp://partner.example/" }, keyURL},
		{"url without host", func(m map[string]string) { m[keyURL] = "https:///path" }, keyURL},
		{"url with spaces", func(m map[string]string) { m[keyURL] = " https://partner.example/" }, keyURL},
		{"unparsable url", func(m map[string]string) { m[keyURL] = "https://[::1" }, keyURL},
		{"missing secret", func(m map[string]string) { delete(m, keySecret) }, keySecret},
		{"short secret", func(m map[string]string) { m[keySecret] = strings.Repeat("s", 15) }, keySecret},
		{"secret with trailing newline", func(m map[string]string) { m[keySecret] = secretNew + "\n" }, keySecret},
		{"short previous secret", func(m map[string]string) { m[keyPreviousSecret] = "old" }, keyPreviousSecret},
		{"unknown key", func(m map[string]string) { m["token"] = "x" }, "token"},
		{"first bad key wins", func(m map[string]string) { m[keySecret] = "x"; delete(m, keyURL); m["a"] = "" }, keyURL},
	}
	a := New(Config{}, &adapterstest.Sink{}, adapterstest.NewDirectory())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := valid()
			c.change(m)
			err := a.ValidateConfig(m)
			if c.field == "" {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			var fe *adapters.FieldError
			if !errors.As(err, &fe) || fe.Field != c.field {
				t.Fatalf("err = %v, want FieldError on %q", err, c.field)
			}
			for _, v := range m {
				if len(v) >= 3 && strings.Contains(fe.Reason, v) {
					t.Fatalf("reason %q repeats a value", fe.Reason)
				}
			}
		})
	}
}

func TestFields_DeclareSecretsAndRequired(t *testing.T) {
	a := New(Config{}, &adapterstest.Sink{}, adapterstest.NewDirectory())
	got := map[string]adapters.Field{}
	for _, f := range a.Fields() {
		got[f.Key] = f
	}
	if len(got) != 3 || !got[keyURL].Required || got[keyURL].Secret ||
		!got[keySecret].Required || !got[keySecret].Secret ||
		got[keyPreviousSecret].Required || !got[keyPreviousSecret].Secret {
		t.Fatalf("fields = %+v", a.Fields())
	}
}

func TestWebhookURLs(t *testing.T) {
	for _, public := range []string{"https://hub.example", "https://hub.example/"} {
		a := New(Config{PublicURL: public}, &adapterstest.Sink{}, adapterstest.NewDirectory())
		got := a.WebhookURLs(adapters.Channel{ID: "ch_42", Type: ChannelType})
		want := map[string]string{"inbound": "https://hub.example/hooks/partner/ch_42"}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("PublicURL %q: got %v, want %v", public, got, want)
		}
	}
}

func TestNew_DefaultsAndCapabilities(t *testing.T) {
	a := New(Config{}, &adapterstest.Sink{}, adapterstest.NewDirectory())
	if a.cfg.MaxTextChars != 10000 || a.cfg.MaxAttachments != 10 ||
		a.cfg.MaxAttachmentBytes != 20<<20 || a.cfg.MaxBodyBytes != 1<<20 {
		t.Fatalf("defaults = %+v", a.cfg)
	}
	if a.client.Timeout != 15*time.Second || a.cfg.Now == nil || a.cfg.Logger == nil {
		t.Fatalf("client timeout %v, clock or logger unset", a.client.Timeout)
	}
	if a.Type() != "partner" {
		t.Fatalf("Type() = %q", a.Type())
	}
	if got := a.Capabilities(); got != (adapters.Capabilities{MaxTextLen: 0, Media: true, Buttons: true}) {
		t.Fatalf("Capabilities() = %+v", got)
	}
}
