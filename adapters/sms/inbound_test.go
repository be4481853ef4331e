package sms

import (
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"hub/adapters"
)

func TestInbound_SignedMessageIsDeliveredAndAnsweredWithEmptyTwiML(t *testing.T) {
	e := newEnv(t, Config{PublicURL: testPublicURL})
	expectTwiML(t, e.postSigned(inboundPath, inboundForm()))

	got := e.sink.Inbounds()
	if len(got) != 1 {
		t.Fatalf("%d deliveries, want 1", len(got))
	}
	want := adapters.Inbound{
		ChannelID:     "ch1",
		ExternalID:    "SM11111111111111111111111111111111",
		ContactHandle: testCustomer,
		Text:          "Hello, is breakfast included?",
		ReceivedAt:    testNow,
	}
	if !reflect.DeepEqual(got[0], want) {
		t.Fatalf("inbound\n got %+v\nwant %+v", got[0], want)
	}
}

func TestInbound_MMSMediaBecomeProxiedAttachments(t *testing.T) {
	e := newEnv(t, Config{PublicURL: testPublicURL})
	base := "https://api.twilio.com/2010-04-01/Accounts/" + testAccount + "/Messages/MM1/Media/"
	form := inboundForm(
		"Body", "",
		"NumMedia", "3",
		"MediaUrl0", base+"ME0", "MediaContentType0", "image/jpeg",
		"MediaUrl1", base+"ME1", "MediaContentType1", "application/pdf",
		"MediaUrl2", base+"ME2", "MediaContentType2", "application/x-strange",
	)
	expectTwiML(t, e.postSigned(inboundPath, form))

	got := e.sink.Inbounds()
	if len(got) != 1 {
		t.Fatalf("%d deliveries", len(got))
	}
	want := []adapters.Attachment{
		{URL: base + "ME0", ContentType: "image/jpeg", Name: "media-0.jpg", Proxied: true},
		{URL: base + "ME1", ContentType: "application/pdf", Name: "media-1.pdf", Proxied: true},
		{URL: base + "ME2", ContentType: "application/x-strange", Name: "media-2", Proxied: true},
	}
	if !reflect.DeepEqual(got[0].Attachments, want) {
		t.Fatalf("attachments\n got %+v\nwant %+v", got[0].Attachments, want)
	}
	if got[0].Text != "" {
		t.Fatalf("text %q", got[0].Text)
	}
}

func TestInbound_EveryPostedFieldIsSignedIncludingRepeatedOnes(t *testing.T) {
	e := newEnv(t, Config{PublicURL: testPublicURL})
	form := inboundForm()
	form["NewTwilioField"] = []string{"b", "a", "b"}
	raw := form.Encode()
	full := testPublicURL + inboundPath

	// Signed over every value: accepted.
	expectTwiML(t, e.post(inboundPath, raw, sign(full, form)))

	// Signed as twilio-go's ValidateBody would (first value only): refused.
	firstOnly := inboundForm()
	firstOnly.Set("NewTwilioField", "b")
	expectError(t, e.post(inboundPath, raw, sign(full, firstOnly)), http.StatusForbidden, "signature_invalid")

	// A field the signer did not see: refused.
	expectError(t, e.post(inboundPath, raw+"&Injected=1", sign(full, form)), http.StatusForbidden, "signature_invalid")

	if n := len(e.sink.Inbounds()); n != 1 {
		t.Fatalf("%d deliveries, want only the correctly signed one", n)
	}
}

func TestInbound_ForgedOrMissingSignatureIsRefusedAndNothingDelivered(t *testing.T) {
	form := inboundForm()
	raw := form.Encode()
	full := testPublicURL + inboundPath
	cases := map[string]string{
		"missing":           "",
		"other token":       Signature("0therToken", full, form),
		"other path":        sign(testPublicURL+"/hooks/sms/ch2", form),
		"other host":        sign("https://evil.example.com"+inboundPath, form),
		"with a query":      sign(full+"?x=1", form),
		"tampered body":     sign(full, inboundForm("Body", "Hello")),
		"garbage":           "not-a-signature",
		"truncated":         sign(full, form)[:10],
		"signature of none": sign(full, url.Values{}),
	}
	for name, sig := range cases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, Config{PublicURL: testPublicURL})
			expectError(t, e.post(inboundPath, raw, sig), http.StatusForbidden, "signature_invalid")
			if n := len(e.sink.Inbounds()); n != 0 {
				t.Fatalf("%d deliveries after a refused webhook", n)
			}
		})
	}
}

func TestInbound_SignatureCoversTheQuery(t *testing.T) {
	e := newEnv(t, Config{PublicURL: testPublicURL})
	form := inboundForm()
	path := inboundPath + "?tag=a%20b&x=1"
	expectTwiML(t, e.post(path, form.Encode(), sign(testPublicURL+path, form)))
	expectError(t, e.post(path, form.Encode(), sign(testPublicURL+inboundPath, form)), http.StatusForbidden, "signature_invalid")
}

func TestInbound_PublicURLTrailingSlashAndDefaultPort(t *testing.T) {
	e := newEnv(t, Config{PublicURL: testPublicURL + "/"})
	form := inboundForm()
	expectTwiML(t, e.post(inboundPath, form.Encode(), sign("https://hub.example.com:443"+inboundPath, form)))
}

func TestInbound_WithoutPublicURLTheRequestHostIsSigned(t *testing.T) {
	e := newEnv(t, Config{})
	form := inboundForm()
	// httptest.NewRequest addresses example.com over plain http.
	expectTwiML(t, e.post(inboundPath, form.Encode(), sign("http://example.com"+inboundPath, form)))
}

func TestInbound_ChannelLookup(t *testing.T) {
	cases := []struct {
		name   string
		path   string
		status int
		code   string
	}{
		{"unknown channel", "/hooks/sms/nope", http.StatusNotFound, "channel_not_found"},
		{"other channel type", "/hooks/sms/web", http.StatusNotFound, "channel_not_found"},
		{"disabled channel", "/hooks/sms/off", http.StatusForbidden, "channel_disabled"},
		{"unknown channel, status", "/hooks/sms/nope/status", http.StatusNotFound, "channel_not_found"},
		{"other type, status", "/hooks/sms/web/status", http.StatusNotFound, "channel_not_found"},
		{"disabled, status", "/hooks/sms/off/status", http.StatusForbidden, "channel_disabled"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, Config{PublicURL: testPublicURL})
			form := inboundForm("MessageStatus", "delivered")
			expectError(t, e.postSigned(c.path, form), c.status, c.code)
			if len(e.sink.Inbounds())+len(e.sink.deliveryUpdates()) != 0 {
				t.Fatal("something was delivered")
			}
		})
	}
}

func TestInbound_DirectoryFailureIs500(t *testing.T) {
	e := newEnv(t, Config{PublicURL: testPublicURL})
	e.dir.SetErr(errors.New("store down"))
	r := e.postSigned(inboundPath, inboundForm())
	if r.status != http.StatusInternalServerError {
		t.Fatalf("status %d", r.status)
	}
}

func TestInbound_OtherAccountIsRefused(t *testing.T) {
	for name, account := range map[string]string{"other account": otherAccount, "no account": ""} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, Config{PublicURL: testPublicURL})
			expectError(t, e.postSigned(inboundPath, inboundForm("AccountSid", account)), http.StatusForbidden, "account_mismatch")
			if n := len(e.sink.Inbounds()); n != 0 {
				t.Fatalf("%d deliveries", n)
			}
		})
	}
}

func TestInbound_MalformedRequestsAre400(t *testing.T) {
	signedCases := map[string]url.Values{
		"no MessageSid":        inboundForm("MessageSid", ""),
		"no From":              inboundForm("From", ""),
		"NumMedia not number":  inboundForm("NumMedia", "two"),
		"NumMedia negative":    inboundForm("NumMedia", "-1"),
		"NumMedia absurd":      inboundForm("NumMedia", "1000"),
		"missing MediaUrl0":    inboundForm("NumMedia", "1", "MediaContentType0", "image/png"),
		"missing second media": inboundForm("NumMedia", "2", "MediaUrl0", "https://api.twilio.com/m0"),
	}
	for name, form := range signedCases {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, Config{PublicURL: testPublicURL})
			expectError(t, e.postSigned(inboundPath, form), http.StatusBadRequest, "invalid_request")
			if n := len(e.sink.Inbounds()); n != 0 {
				t.Fatalf("%d deliveries", n)
			}
		})
	}

	t.Run("body not a form", func(t *testing.T) {
		e := newEnv(t, Config{PublicURL: testPublicURL})
		expectError(t, e.post(inboundPath, "MessageSid=%zz", "anything"), http.StatusBadRequest, "invalid_request")
	})
	t.Run("JSON body", func(t *testing.T) {
		e := newEnv(t, Config{PublicURL: testPublicURL})
		req := `{"MessageSid":"SM1"}`
		r := e.postWithType(inboundPath, req, "application/json")
		expectError(t, r, http.StatusBadRequest, "invalid_request")
	})
}

func TestInbound_OptOutKeywords(t *testing.T) {
	cases := []struct {
		body       string
		optOutType string
		want       adapters.OptOut
	}{
		{"STOP", "", adapters.OptOutStop},
		{"  stop \n", "", adapters.OptOutStop},
		{"StopAll", "", adapters.OptOutStop},
		{"unsubscribe", "", adapters.OptOutStop},
		{"CANCEL", "", adapters.OptOutStop},
		{"end", "", adapters.OptOutStop},
		{"Quit", "", adapters.OptOutStop},
		{"START", "", adapters.OptOutStart},
		{"yes", "", adapters.OptOutStart},
		{"unstop", "", adapters.OptOutStart},
		{"HELP", "", ""},
		{"info", "", ""},
		{"please stop the music", "", ""},
		{"stop.", "", ""},
		// Twilio's Advanced Opt-Out decides when it sends OptOutType.
		{"arrête", "STOP", adapters.OptOutStop},
		{"reprendre", "START", adapters.OptOutStart},
		{"STOP", "HELP", ""},
	}
	for _, c := range cases {
		t.Run(c.body+"/"+c.optOutType, func(t *testing.T) {
			e := newEnv(t, Config{PublicURL: testPublicURL})
			expectTwiML(t, e.postSigned(inboundPath, inboundForm("Body", c.body, "OptOutType", c.optOutType)))
			got := e.sink.Inbounds()
			if len(got) != 1 {
				t.Fatalf("%d deliveries", len(got))
			}
			if got[0].OptOut != c.want {
				t.Fatalf("OptOut = %q, want %q", got[0].OptOut, c.want)
			}
			if got[0].Text != c.body {
				t.Fatalf("text changed: %q", got[0].Text)
			}
		})
	}
}

func TestInbound_TwilioRetryIsAnswered200(t *testing.T) {
	e := newEnv(t, Config{PublicURL: testPublicURL})
	expectTwiML(t, e.postSigned(inboundPath, inboundForm()))
	expectTwiML(t, e.postSigned(inboundPath, inboundForm()))
	got := e.sink.Inbounds()
	if len(got) != 2 || got[0].ExternalID != got[1].ExternalID {
		t.Fatalf("deliveries %+v", got)
	}
}

func TestInbound_SinkErrors(t *testing.T) {
	t.Run("HTTPError passes as is", func(t *testing.T) {
		e := newEnv(t, Config{PublicURL: testPublicURL})
		e.sink.SetErr(adapters.Errorf(http.StatusConflict, "contact_blocked", "blocked"))
		expectError(t, e.postSigned(inboundPath, inboundForm()), http.StatusConflict, "contact_blocked")
	})
	t.Run("wrapped HTTPError passes as is", func(t *testing.T) {
		e := newEnv(t, Config{PublicURL: testPublicURL})
		e.sink.SetErr(errors.Join(errors.New("ctx"), adapters.Errorf(http.StatusTooManyRequests, "slow_down", "later")))
		expectError(t, e.postSigned(inboundPath, inboundForm()), http.StatusTooManyRequests, "slow_down")
	})
	t.Run("other errors are 500 so Twilio retries", func(t *testing.T) {
		e := newEnv(t, Config{PublicURL: testPublicURL})
		e.sink.SetErr(errors.New("disk full at /var/secret/path"))
		r := e.postSigned(inboundPath, inboundForm())
		expectError(t, r, http.StatusInternalServerError, "internal_error")
		if strings.Contains(r.body, "/var/secret") {
			t.Fatalf("internal error leaked: %s", r.body)
		}
	})
}

func TestInbound_ExtensionGuess(t *testing.T) {
	cases := map[string]string{
		"image/jpeg":                 ".jpg",
		"IMAGE/PNG":                  ".png",
		"video/mp4; codecs=avc1":     ".mp4",
		"text/vcard; charset=utf-8":  ".vcf",
		"application/octet-stream":   "",
		"":                           "",
		"not a type":                 "",
		"audio/amr":                  ".amr",
		"text/x-vcard":               ".vcf",
		"application/vnd.ms-foo+xml": "",
	}
	for ct, want := range cases {
		if got := extension(ct); got != want {
			t.Errorf("extension(%q) = %q, want %q", ct, got, want)
		}
	}
}
