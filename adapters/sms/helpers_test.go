package sms

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
)

const (
	testAccount    = "AC0123456789abcdef0123456789abcdef"
	testAuthToken  = "s3cretT0ken0123456789abcdef0123"
	testFrom       = "+33612345678"
	testService    = "MG0123456789abcdef0123456789abcdef"
	testPublicURL  = "https://hub.example.com"
	testCustomer   = "+14155550100"
	otherAccount   = "ACffffffffffffffffffffffffffffffff"
	inboundPath    = "/hooks/sms/ch1"
	statusPath     = "/hooks/sms/ch1/status"
	contentTypeKey = "Content-Type"
)

var testNow = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// smsConfig is a valid channel configuration; extra pairs override it.
func smsConfig(kv ...string) map[string]string {
	cfg := map[string]string{
		keyAccountSID: testAccount,
		keyAuthToken:  testAuthToken,
		keyFrom:       testFrom,
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(cfg, kv[i])
		} else {
			cfg[kv[i]] = kv[i+1]
		}
	}
	return cfg
}

// fakeSink is the shared recording Sink (it dedupes inbound messages like
// the hub) that also records delivery updates.
type fakeSink struct {
	adapterstest.Sink
	mu        sync.Mutex
	updates   []adapters.DeliveryUpdate
	updateErr error
}

func (s *fakeSink) UpdateDelivery(_ context.Context, u adapters.DeliveryUpdate) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updates = append(s.updates, u)
	return s.updateErr
}

func (s *fakeSink) deliveryUpdates() []adapters.DeliveryUpdate {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]adapters.DeliveryUpdate(nil), s.updates...)
}

type env struct {
	t    *testing.T
	a    *Adapter
	sink *fakeSink
	dir  *adapterstest.Directory
	app  *fiber.App
}

func newEnv(t *testing.T, cfg Config) *env {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	e := &env{
		t:    t,
		sink: &fakeSink{},
		dir: adapterstest.NewDirectory(
			adapters.Channel{ID: "ch1", WorkspaceID: "w1", Type: ChannelType, Name: "Front desk", Config: smsConfig()},
			adapters.Channel{ID: "off", WorkspaceID: "w1", Type: ChannelType, Disabled: true, Config: smsConfig()},
			adapters.Channel{ID: "web", WorkspaceID: "w1", Type: "webchat", Config: smsConfig()},
		),
	}
	e.a = New(cfg, e.sink, e.dir)
	e.a.now = func() time.Time { return testNow }
	e.app = adapterstest.NewApp(e.a)
	return e
}

// response is what a webhook answered.
type response struct {
	status      int
	contentType string
	body        string
}

// errorCode is the error code of a JSON error answer.
func (r response) errorCode(t *testing.T) string {
	t.Helper()
	return adapterstest.ErrorCode(t, []byte(r.body))
}

// post sends a raw form body to path (path and query) with the signature
// header when sig is not empty.
func (e *env) post(path, body, sig string) response {
	e.t.Helper()
	return e.send(path, body, "application/x-www-form-urlencoded; charset=UTF-8", sig)
}

// postWithType posts body, unsigned, with another content type.
func (e *env) postWithType(path, body, contentType string) response {
	e.t.Helper()
	return e.send(path, body, contentType, "")
}

func (e *env) send(path, body, contentType, sig string) response {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set(contentTypeKey, contentType)
	if sig != "" {
		req.Header.Set("X-Twilio-Signature", sig)
	}
	resp, b := adapterstest.Do(e.t, e.app, req)
	return response{status: resp.StatusCode, contentType: resp.Header.Get(contentTypeKey), body: string(b)}
}

// postSigned signs form for testPublicURL + path with the test token.
func (e *env) postSigned(path string, form url.Values) response {
	e.t.Helper()
	return e.post(path, form.Encode(), sign(testPublicURL+path, form))
}

func sign(fullURL string, form url.Values) string {
	return Signature(testAuthToken, fullURL, form)
}

// inboundForm is an incoming SMS as Twilio posts it.
func inboundForm(kv ...string) url.Values {
	f := url.Values{
		"ToCountry":     {"FR"},
		"SmsMessageSid": {"SM11111111111111111111111111111111"},
		"NumMedia":      {"0"},
		"FromCity":      {""},
		"SmsSid":        {"SM11111111111111111111111111111111"},
		"SmsStatus":     {"received"},
		"Body":          {"Hello, is breakfast included?"},
		"To":            {testFrom},
		"NumSegments":   {"1"},
		"MessageSid":    {"SM11111111111111111111111111111111"},
		"AccountSid":    {testAccount},
		"From":          {testCustomer},
		"ApiVersion":    {"2010-04-01"},
	}
	return override(f, kv...)
}

// statusForm is a status callback as Twilio posts it.
func statusForm(kv ...string) url.Values {
	f := url.Values{
		"MessageSid":    {"SM22222222222222222222222222222222"},
		"SmsSid":        {"SM22222222222222222222222222222222"},
		"AccountSid":    {testAccount},
		"From":          {testFrom},
		"To":            {testCustomer},
		"MessageStatus": {"delivered"},
		"SmsStatus":     {"delivered"},
		"ApiVersion":    {"2010-04-01"},
	}
	return override(f, kv...)
}

// override sets key/value pairs; an empty value removes the key.
func override(f url.Values, kv ...string) url.Values {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			f.Del(kv[i])
		} else {
			f.Set(kv[i], kv[i+1])
		}
	}
	return f
}

// expectTwiML checks the empty TwiML success answer.
func expectTwiML(t *testing.T, r response) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, body %s", r.status, r.body)
	}
	if r.contentType != "text/xml" {
		t.Fatalf("content type %q", r.contentType)
	}
	if r.body != emptyTwiML {
		t.Fatalf("body %q", r.body)
	}
}

// expectError checks an error answer's status and code.
func expectError(t *testing.T, r response, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	if got := r.errorCode(t); got != code {
		t.Fatalf("error code %q, want %q", got, code)
	}
}
