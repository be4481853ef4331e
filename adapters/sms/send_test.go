package sms

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
)

const messagesPath = "/2010-04-01/Accounts/" + testAccount + "/Messages.json"

func sendAdapter(t *testing.T, cfg Config) *Adapter {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return New(cfg, &fakeSink{}, adapterstest.NewDirectory())
}

func outbound(f *fakeTwilio, kv ...string) adapters.Outbound {
	return adapters.Outbound{
		MessageID:     "msg-7",
		Channel:       adapters.Channel{ID: "ch1", Type: ChannelType, Config: smsConfig(append([]string{keyAPIBaseURL, f.URL}, kv...)...)},
		ContactHandle: testCustomer,
		AuthorType:    "agent",
		Text:          "Your room is ready.",
		Attempt:       1,
	}
}

func TestSend_PostsTheMessageToTwilio(t *testing.T) {
	f := newFakeTwilio(t)
	a := sendAdapter(t, Config{PublicURL: testPublicURL})
	res, err := a.Send(context.Background(), outbound(f))
	if err != nil {
		t.Fatal(err)
	}
	if res != (adapters.SendResult{ExternalID: sentSid}) {
		t.Fatalf("result %+v", res)
	}
	r := f.only(t)
	if r.method != http.MethodPost || r.path != messagesPath {
		t.Fatalf("request %s %s", r.method, r.path)
	}
	if !strings.HasPrefix(r.contentType, "application/x-www-form-urlencoded") {
		t.Fatalf("content type %q", r.contentType)
	}
	if !r.hasAuth || r.user != testAccount || r.pass != testAuthToken {
		t.Fatalf("basic auth %q/%q (%v)", r.user, r.pass, r.hasAuth)
	}
	want := url.Values{
		"To":             {testCustomer},
		"From":           {testFrom},
		"Body":           {"Your room is ready."},
		"StatusCallback": {testPublicURL + "/hooks/sms/ch1/status?message=msg-7"},
	}
	if !reflect.DeepEqual(r.form, want) {
		t.Fatalf("form\n got %v\nwant %v", r.form, want)
	}
}

func TestSend_StatusCallbackIsSignedByTwilioAsSent(t *testing.T) {
	// The callback URL Send hands Twilio is the URL the status webhook checks.
	f := newFakeTwilio(t)
	e := newEnv(t, Config{PublicURL: testPublicURL})
	out := outbound(f)
	out.MessageID = "m/1 ?&"
	if _, err := e.a.Send(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	cb, err := url.Parse(f.only(t).form.Get("StatusCallback"))
	if err != nil {
		t.Fatal(err)
	}
	form := statusForm()
	expectTwiML(t, e.post(cb.RequestURI(), form.Encode(), sign(cb.String(), form)))
	if got := e.sink.deliveryUpdates(); len(got) != 1 || got[0].MessageID != "m/1 ?&" {
		t.Fatalf("updates %+v", got)
	}
}

func TestSend_MessagingServiceInsteadOfFrom(t *testing.T) {
	f := newFakeTwilio(t)
	a := sendAdapter(t, Config{PublicURL: testPublicURL})
	if _, err := a.Send(context.Background(), outbound(f, keyFrom, "", keyServiceSID, testService)); err != nil {
		t.Fatal(err)
	}
	form := f.only(t).form
	if form.Get("MessagingServiceSid") != testService || form.Has("From") {
		t.Fatalf("form %v", form)
	}
	// With both set, the service picks the sender.
	f2 := newFakeTwilio(t)
	if _, err := a.Send(context.Background(), outbound(f2, keyServiceSID, testService)); err != nil {
		t.Fatal(err)
	}
	if form := f2.only(t).form; form.Get("MessagingServiceSid") != testService || form.Has("From") {
		t.Fatalf("form %v", form)
	}
}

func TestSend_OnlyPublicAttachmentsBecomeMediaURLs(t *testing.T) {
	f := newFakeTwilio(t)
	a := sendAdapter(t, Config{PublicURL: testPublicURL})
	out := outbound(f)
	out.Attachments = []adapters.Attachment{
		{URL: "https://cdn.example.com/menu.pdf", ContentType: "application/pdf"},
		{URL: "https://api.twilio.com/2010-04-01/Accounts/x/Messages/y/Media/z", Proxied: true},
		{URL: "/api/v1/uploads/abc"},
		{URL: "ftp://files.example.com/a.png"},
		{URL: "https://user:pw@cdn.example.com/a.png"},
		{URL: "http://cdn.example.com/map.png", ContentType: "image/png"},
	}
	if _, err := a.Send(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	got := f.only(t).form["MediaUrl"]
	want := []string{"https://cdn.example.com/menu.pdf", "http://cdn.example.com/map.png"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("MediaUrl %q, want %q", got, want)
	}
}

func TestSend_MediaWithoutText(t *testing.T) {
	f := newFakeTwilio(t)
	a := sendAdapter(t, Config{})
	out := outbound(f)
	out.Text = ""
	out.Attachments = []adapters.Attachment{{URL: "https://cdn.example.com/a.jpg"}}
	if _, err := a.Send(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	form := f.only(t).form
	if form.Has("Body") || form.Get("MediaUrl") != "https://cdn.example.com/a.jpg" {
		t.Fatalf("form %v", form)
	}
	if form.Has("StatusCallback") {
		t.Fatalf("StatusCallback sent without a public URL: %v", form)
	}
}

func TestSend_ButtonsBecomeANumberedList(t *testing.T) {
	f := newFakeTwilio(t)
	a := sendAdapter(t, Config{PublicURL: testPublicURL})
	out := outbound(f)
	out.Text = "What can I do for you?"
	out.Buttons = []string{"Book a table", " ", "Late checkout", "Talk to someone"}
	if _, err := a.Send(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	want := "What can I do for you?\n\n1. Book a table\n2. Late checkout\n3. Talk to someone"
	if got := f.only(t).form.Get("Body"); got != want {
		t.Fatalf("Body %q, want %q", got, want)
	}
}

func TestSend_RefusedLocallyWithoutCallingTwilio(t *testing.T) {
	f := newFakeTwilio(t)
	a := sendAdapter(t, Config{PublicURL: testPublicURL})
	cases := map[string]func(*adapters.Outbound){
		"text over 1600 characters": func(o *adapters.Outbound) { o.Text = strings.Repeat("é", MaxTextLen+1) },
		"buttons push it over":      func(o *adapters.Outbound) { o.Text = strings.Repeat("a", MaxTextLen-5); o.Buttons = []string{"Yes"} },
		"nothing to send":           func(o *adapters.Outbound) { o.Text = " " },
		"only proxied media": func(o *adapters.Outbound) {
			o.Text = ""
			o.Attachments = []adapters.Attachment{{URL: "https://x", Proxied: true}}
		},
		"no recipient":           func(o *adapters.Outbound) { o.ContactHandle = "" },
		"invalid channel config": func(o *adapters.Outbound) { o.Channel.Config = smsConfig(keyAuthToken, "bad token!") },
		"no sender configured":   func(o *adapters.Outbound) { o.Channel.Config = smsConfig(keyFrom, "") },
	}
	for name, mod := range cases {
		t.Run(name, func(t *testing.T) {
			out := outbound(f)
			mod(&out)
			_, err := a.Send(context.Background(), out)
			if !adapters.IsPermanent(err) {
				t.Fatalf("err = %v, want permanent", err)
			}
		})
	}
	if n := len(f.requests()); n != 0 {
		t.Fatalf("%d requests reached Twilio", n)
	}
	// Exactly 1600 characters is fine.
	out := outbound(f)
	out.Text = strings.Repeat("é", MaxTextLen)
	if _, err := a.Send(context.Background(), out); err != nil {
		t.Fatal(err)
	}
}

func TestSend_CancelledContextSendsNothing(t *testing.T) {
	f := newFakeTwilio(t)
	a := sendAdapter(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := a.Send(ctx, outbound(f)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if len(f.requests()) != 0 {
		t.Fatal("request sent")
	}
}

// errKind is how the hub will treat a send error.
type errKind int

const (
	transient errKind = iota
	permanentKind
	retryAfterKind
)

func kindOf(err error) errKind {
	if _, ok := adapters.RetryAfter(err); ok {
		return retryAfterKind
	}
	if adapters.IsPermanent(err) {
		return permanentKind
	}
	return transient
}

func TestSend_TwilioErrorsAreClassified(t *testing.T) {
	cases := []struct {
		name    string
		answer  twilioAnswer
		kind    errKind
		after   time.Duration
		message string
	}{
		{"opted out", twilioAnswer{status: 400, body: `{"code":21610,"message":"Attempt to send to unsubscribed recipient","more_info":"https://www.twilio.com/docs/errors/21610","status":400}`},
			permanentKind, 0, "Twilio 21610: the customer has opted out (STOP)"},
		{"invalid To", twilioAnswer{status: 400, body: `{"code":21211,"message":"The 'To' number +1415555 is not a valid phone number.","status":400}`},
			permanentKind, 0, "Twilio 21211: invalid 'To' number"},
		{"region", twilioAnswer{status: 400, body: `{"code":21408,"message":"Permission to send an SMS has not been enabled for the region","status":400}`},
			permanentKind, 0, "Twilio 21408: sending to this region is not enabled on the account"},
		{"not mobile", twilioAnswer{status: 400, body: `{"code":21614,"message":"'To' number is not a valid mobile number","status":400}`},
			permanentKind, 0, "Twilio 21614: not a mobile number"},
		{"unreachable", twilioAnswer{status: 400, body: `{"code":21612,"message":"x","status":400}`}, permanentKind, 0, "Twilio 21612: "},
		{"from not capable", twilioAnswer{status: 400, body: `{"code":21606,"message":"x","status":400}`}, permanentKind, 0, "Twilio 21606: "},
		{"bad credentials", twilioAnswer{status: 401, body: `{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}`},
			permanentKind, 0, "Twilio 20003: authentication failed"},
		{"forbidden without code", twilioAnswer{status: 403, body: `{"message":"Forbidden","status":403}`}, permanentKind, 0, "Twilio HTTP 403: Forbidden"},
		{"other 400 quotes Twilio, numbers masked", twilioAnswer{status: 400, body: `{"code":21999,"message":"Something about +33 6 12 34 56 78 went wrong","status":400}`},
			permanentKind, 0, "Twilio 21999: Something about [number] went wrong"},
		{"429 with Retry-After", twilioAnswer{status: 429, body: `{"code":20429,"message":"Too Many Requests","status":429}`, headers: map[string]string{"Retry-After": "7"}},
			retryAfterKind, 7 * time.Second, "Twilio 20429: too many requests"},
		{"429 without Retry-After", twilioAnswer{status: 429, body: `{"code":20429,"message":"Too Many Requests","status":429}`},
			retryAfterKind, time.Second, "Twilio 20429"},
		{"429 HTML body", twilioAnswer{status: 429, body: `<html>slow down</html>`, headers: map[string]string{"Content-Type": "text/html", "Retry-After": "3"}},
			retryAfterKind, 3 * time.Second, "Twilio HTTP 429"},
		{"code 20429 on another status", twilioAnswer{status: 400, body: `{"code":20429,"message":"Too Many Requests","status":400}`},
			retryAfterKind, time.Second, "Twilio 20429"},
		{"server error", twilioAnswer{status: 500, body: `{"code":20500,"message":"Internal Server Error","status":500}`}, transient, 0, "Twilio 20500"},
		{"bad gateway HTML", twilioAnswer{status: 502, body: `<html>Bad Gateway</html>`, headers: map[string]string{"Content-Type": "text/html"}},
			transient, 0, "Twilio HTTP 502: Bad Gateway"},
		{"unavailable, empty body", twilioAnswer{status: 503}, transient, 0, "Twilio HTTP 503"},
		{"success without JSON", twilioAnswer{status: 201, body: `oops`}, transient, 0, "sms: twilio request failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeTwilio(t)
			f.setAnswer(c.answer)
			a := sendAdapter(t, Config{PublicURL: testPublicURL})
			_, err := a.Send(context.Background(), outbound(f))
			if err == nil {
				t.Fatal("no error")
			}
			if got := kindOf(err); got != c.kind {
				t.Fatalf("kind %d, want %d (err %v)", got, c.kind, err)
			}
			if c.kind == retryAfterKind {
				if after, _ := adapters.RetryAfter(err); after != c.after {
					t.Fatalf("retry after %s, want %s", after, c.after)
				}
			}
			var msg string
			var re *adapters.RetryAfterError
			if errors.As(err, &re) {
				msg = re.Err.Error()
			} else {
				msg = err.Error()
			}
			if !strings.Contains(msg, c.message) {
				t.Fatalf("message %q does not contain %q", msg, c.message)
			}
			if strings.Contains(err.Error(), testAuthToken) {
				t.Fatalf("token in error: %v", err)
			}
		})
	}
}

func TestSend_TokenEchoedByTwilioIsRedacted(t *testing.T) {
	f := newFakeTwilio(t)
	f.setAnswer(twilioAnswer{status: 400, body: `{"code":21998,"message":"bad ` + testAuthToken + `","status":400}`})
	a := sendAdapter(t, Config{})
	_, err := a.Send(context.Background(), outbound(f))
	if err == nil || strings.Contains(err.Error(), testAuthToken) || !strings.Contains(err.Error(), "[redacted]") {
		t.Fatalf("err = %v", err)
	}
}

func TestSend_NetworkFailuresAreTransient(t *testing.T) {
	t.Run("timeout", func(t *testing.T) {
		f := newFakeTwilio(t)
		f.setAnswer(twilioAnswer{status: 201, body: `{"sid":"SM1"}`, delay: 2 * time.Second})
		a := sendAdapter(t, Config{HTTPClient: &http.Client{Timeout: 50 * time.Millisecond}})
		start := time.Now()
		_, err := a.Send(context.Background(), outbound(f))
		if err == nil || kindOf(err) != transient {
			t.Fatalf("err = %v, want a plain error", err)
		}
		if time.Since(start) > time.Second {
			t.Fatal("the client timeout was not applied")
		}
	})
	t.Run("connection refused", func(t *testing.T) {
		f := newFakeTwilio(t)
		out := outbound(f)
		f.Close()
		a := sendAdapter(t, Config{})
		_, err := a.Send(context.Background(), out)
		if err == nil || kindOf(err) != transient {
			t.Fatalf("err = %v, want a plain error", err)
		}
		if strings.Contains(err.Error(), testAuthToken) {
			t.Fatalf("token in error: %v", err)
		}
	})
}

func TestSend_APIBaseURLPathPrefixIsKept(t *testing.T) {
	f := newFakeTwilio(t)
	a := sendAdapter(t, Config{})
	out := outbound(f)
	out.Channel.Config[keyAPIBaseURL] = f.URL + "/twilio/"
	if _, err := a.Send(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	if got := f.only(t).path; got != "/twilio"+messagesPath {
		t.Fatalf("path %q", got)
	}
}

func TestSend_OneClientPerCredentialsAndBaseURL(t *testing.T) {
	f := newFakeTwilio(t)
	g := newFakeTwilio(t)
	a := sendAdapter(t, Config{})
	send := func(out adapters.Outbound) {
		t.Helper()
		if _, err := a.Send(context.Background(), out); err != nil {
			t.Fatal(err)
		}
	}
	out := outbound(f)
	send(out)
	first := a.api(mustSettings(t, out.Channel.Config))
	send(out)
	send(outbound(f, keyMPS, "3")) // other settings, same credentials
	if n := len(a.clients); n != 1 {
		t.Fatalf("%d clients after three sends with the same credentials", n)
	}
	if a.api(mustSettings(t, out.Channel.Config)) != first {
		t.Fatal("client rebuilt")
	}
	send(outbound(f, keyAuthToken, "rotatedToken42"))
	send(outbound(g))
	if n := len(a.clients); n != 3 {
		t.Fatalf("%d clients, want 3 (token and base URL are part of the key)", n)
	}
	if r := f.requests(); len(r) != 4 || r[3].pass != "rotatedToken42" {
		t.Fatalf("requests %+v", r)
	}
	if len(g.requests()) != 1 {
		t.Fatal("second base URL not used")
	}
}

func mustSettings(t *testing.T, cfg map[string]string) settings {
	t.Helper()
	s, err := parseSettings(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
