package partner

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
)

// fakePartner is the partner's reply endpoint. It checks every request the
// way a partner would and answers with the queued responses in turn.
type fakePartner struct {
	t   *testing.T
	srv *httptest.Server

	mu        sync.Mutex
	answers   []func(w http.ResponseWriter)
	bodies    [][]byte
	keys      []string
	verifyErr []error
}

func newFakePartner(t *testing.T, answers ...func(w http.ResponseWriter)) *fakePartner {
	p := &fakePartner{t: t, answers: answers}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *fakePartner) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	err := Verify([][]byte{[]byte(secretNew)}, r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderSignature), body, now0)
	switch {
	case r.Method != http.MethodPost || r.URL.Path != "/replies" || r.URL.RawQuery != "token=abc":
		err = errors.New("wrong method or URL: " + r.Method + " " + r.URL.String())
	case r.Header.Get("Content-Type") != "application/json":
		err = errors.New("wrong Content-Type " + r.Header.Get("Content-Type"))
	case r.Header.Get("User-Agent") != "hub":
		err = errors.New("wrong User-Agent " + r.Header.Get("User-Agent"))
	}
	p.mu.Lock()
	p.bodies = append(p.bodies, body)
	p.keys = append(p.keys, r.Header.Get("Idempotency-Key"))
	p.verifyErr = append(p.verifyErr, err)
	answer := func(w http.ResponseWriter) { w.WriteHeader(http.StatusOK) }
	if len(p.answers) > 0 {
		answer, p.answers = p.answers[0], p.answers[1:]
	}
	p.mu.Unlock()
	answer(w)
}

func (p *fakePartner) url() string { return p.srv.URL + "/replies?token=abc" }

// checkRequests fails unless every request was well formed and signed.
func (p *fakePartner) checkRequests(n int) {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.bodies) != n {
		p.t.Fatalf("partner got %d requests, want %d", len(p.bodies), n)
	}
	for i, err := range p.verifyErr {
		if err != nil {
			p.t.Fatalf("request %d: %v", i, err)
		}
	}
}

func answer(status int, body string, headers ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func outbound(replyURL string) adapters.Outbound {
	return adapters.Outbound{
		MessageID:      "msg-1",
		ConversationID: "c-1",
		Channel:        partnerChannel("p1", replyURL),
		ContactHandle:  "g-9",
		AuthorType:     "agent",
		AuthorName:     "Marta",
		Text:           "Hi Ana",
		Attachments:    []adapters.Attachment{{URL: "https://hub.example/f/map.png", ContentType: "image/png", Name: "map.png", Size: 2048}},
		Buttons:        []string{"Yes", "No"},
		CreatedAt:      time.Date(2026, 11, 21, 10, 1, 0, 0, time.FixedZone("CET", 3600)),
		ThreadRef:      "RES-42",
		Attempt:        1,
	}
}

func TestSend_RequestShapeSignatureAndIdempotencyKey(t *testing.T) {
	p := newFakePartner(t, answer(503, "busy"), answer(200, ""))
	e := newEnv(t)
	out := outbound(p.url())
	if _, err := e.a.Send(context.Background(), out); err == nil {
		t.Fatal("first attempt: want an error for 503")
	}
	out.Attempt = 2
	if _, err := e.a.Send(context.Background(), out); err != nil {
		t.Fatalf("second attempt: %v", err)
	}
	p.checkRequests(2)
	for i := range 2 {
		if p.keys[i] != "msg-1" {
			t.Errorf("attempt %d: Idempotency-Key = %q, want msg-1", i+1, p.keys[i])
		}
		adapterstest.JSONEqual(t, p.bodies[i], `{"eventId":"msg-1","type":"message","conversationRef":"RES-42","guestId":"g-9",
			"author":{"type":"agent","name":"Marta"},"text":"Hi Ana",
			"attachments":[{"url":"https://hub.example/f/map.png","contentType":"image/png","name":"map.png","size":2048}],
			"buttons":["Yes","No"],"sentAt":"2026-11-21T09:01:00Z"}`)
	}
}

func TestSend_EmptyFieldsOmitted(t *testing.T) {
	p := newFakePartner(t)
	e := newEnv(t)
	out := adapters.Outbound{MessageID: "msg-2", Channel: partnerChannel("p1", p.url()), ContactHandle: "g-9", Text: "ok"}
	if _, err := e.a.Send(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	p.checkRequests(1)
	adapterstest.JSONEqual(t, p.bodies[0], `{"eventId":"msg-2","type":"message","guestId":"g-9","text":"ok","sentAt":"2026-11-21T10:05:00Z"}`)
}

func TestSend_Classification(t *testing.T) {
	cases := []struct {
		name      string
		answer    func(w http.ResponseWriter)
		wantID    string
		permanent bool
		retryIn   time.Duration // > 0: a RetryAfterError with this wait
		transient bool
		contains  string
	}{
		{name: "200 without body", answer: answer(200, "")},
		{name: "201 with id", answer: answer(201, `{"id":"ota-77","status":"ok"}`), wantID: "ota-77"},
		{name: "202 with numeric id", answer: answer(202, `{"id":12345}`), wantID: "12345"},
		{name: "200 with non-JSON body", answer: answer(200, "OK")},
		{name: "429 with seconds", answer: answer(429, "slow down", "Retry-After", "120"), retryIn: 2 * time.Minute, contains: "HTTP 429: slow down"},
		{name: "429 with HTTP date", answer: answer(429, "", "Retry-After", now0.Add(90*time.Second).Format(http.TimeFormat)), retryIn: 90 * time.Second},
		{name: "429 without header", answer: answer(429, ""), retryIn: 30 * time.Second},
		{name: "429 with a week", answer: answer(429, "", "Retry-After", "604800"), retryIn: time.Hour},
		{name: "503 transient", answer: answer(503, "maintenance"), transient: true, contains: "HTTP 503: maintenance"},
		{name: "500 transient", answer: answer(500, ""), transient: true},
		{name: "408 transient", answer: answer(408, ""), transient: true},
		{name: "425 transient", answer: answer(425, ""), transient: true},
		{name: "400 permanent with excerpt", answer: answer(400, "{\"error\":\"unknown guest\",\n\t\"detail\":\""+strings.Repeat("x", 300)+"\"}"),
			permanent: true, contains: `partner refused the message: HTTP 400: {"error":"unknown guest", "detail":"xxx`},
		{name: "401 permanent", answer: answer(401, "bad signature"), permanent: true, contains: "HTTP 401: bad signature"},
		{name: "301 not followed", answer: answer(301, "", "Location", "https://elsewhere.example/"), permanent: true, contains: "HTTP 301"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newFakePartner(t, c.answer)
			e := newEnv(t)
			res, err := e.a.Send(context.Background(), outbound(p.url()))
			p.checkRequests(1)
			if c.contains != "" && (err == nil || !strings.Contains(err.Error(), c.contains)) {
				t.Fatalf("err = %v, want it to contain %q", err, c.contains)
			}
			wait, limited := adapters.RetryAfter(err)
			switch {
			case c.retryIn > 0:
				if !limited || wait != c.retryIn || adapters.IsPermanent(err) {
					t.Fatalf("err = %v (wait %v), want RetryAfterError of %v", err, wait, c.retryIn)
				}
			case c.permanent:
				if !adapters.IsPermanent(err) {
					t.Fatalf("err = %v, want PermanentError", err)
				}
			case c.transient:
				if err == nil || adapters.IsPermanent(err) || limited {
					t.Fatalf("err = %v, want a plain error", err)
				}
			default:
				if err != nil || res.ExternalID != c.wantID {
					t.Fatalf("res = %+v, err = %v, want ExternalID %q", res, err, c.wantID)
				}
			}
			if err != nil && strings.Contains(err.Error(), secretNew) {
				t.Fatalf("secret in error: %v", err)
			}
		})
	}
}

func TestSend_ExcerptIsAtMost200BytesOnOneLine(t *testing.T) {
	p := newFakePartner(t, answer(422, strings.Repeat("ab\r\n", 100)))
	e := newEnv(t)
	_, err := e.a.Send(context.Background(), outbound(p.url()))
	var perm *adapters.PermanentError
	if !errors.As(err, &perm) {
		t.Fatalf("err = %v, want PermanentError", err)
	}
	msg := err.Error()
	ex := strings.TrimPrefix(msg, "partner refused the message: HTTP 422: ")
	if ex == msg || strings.ContainsAny(msg, "\r\n") || len(ex) > 200 || !strings.HasPrefix(ex, "ab ab ab") {
		t.Fatalf("err = %q", msg)
	}
}

func TestSend_NetworkErrorIsTransientAndHidesQuery(t *testing.T) {
	p := newFakePartner(t)
	target := p.url()
	p.srv.Close()
	e := newEnv(t)
	_, err := e.a.Send(context.Background(), outbound(target))
	if err == nil || adapters.IsPermanent(err) {
		t.Fatalf("err = %v, want a plain error", err)
	}
	if _, limited := adapters.RetryAfter(err); limited {
		t.Fatalf("err = %v, want no RetryAfterError", err)
	}
	if strings.Contains(err.Error(), "token=abc") || strings.Contains(err.Error(), secretNew) {
		t.Fatalf("error leaks the URL query or secret: %v", err)
	}
}

func TestSend_TimeoutIsTransient(t *testing.T) {
	release := make(chan struct{})
	p := newFakePartner(t, func(w http.ResponseWriter) { <-release })
	defer close(release)
	e := newEnv(t)
	e.a.client = &http.Client{Timeout: 50 * time.Millisecond}
	_, err := e.a.Send(context.Background(), outbound(p.url()))
	if err == nil || adapters.IsPermanent(err) {
		t.Fatalf("err = %v, want a plain error", err)
	}
}

func TestSend_CancelledContextIsNotPermanent(t *testing.T) {
	p := newFakePartner(t)
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.a.Send(ctx, outbound(p.url()))
	if !errors.Is(err, context.Canceled) || adapters.IsPermanent(err) {
		t.Fatalf("err = %v, want wrapped context.Canceled", err)
	}
}

func TestSend_MisconfiguredChannelIsPermanent(t *testing.T) {
	e := newEnv(t)
	cases := map[string]func(*adapters.Outbound){
		"no url":       func(o *adapters.Outbound) { delete(o.Channel.Config, keyURL) },
		"relative url": func(o *adapters.Outbound) { o.Channel.Config[keyURL] = "/replies" },
		"no secret":    func(o *adapters.Outbound) { delete(o.Channel.Config, keySecret) },
		"short secret": func(o *adapters.Outbound) { o.Channel.Config[keySecret] = "short" },
		"no guest":     func(o *adapters.Outbound) { o.ContactHandle = "" },
		"no id":        func(o *adapters.Outbound) { o.MessageID = "" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			out := outbound("https://partner.example/replies")
			mutate(&out)
			_, err := e.a.Send(context.Background(), out)
			if !adapters.IsPermanent(err) {
				t.Fatalf("err = %v, want PermanentError", err)
			}
			if strings.Contains(err.Error(), "short") && name == "short secret" {
				t.Fatalf("secret in error: %v", err)
			}
		})
	}
}

func TestRetryAfter_Parsing(t *testing.T) {
	cases := map[string]time.Duration{
		"":        DefaultRetryAfter,
		"soon":    DefaultRetryAfter,
		"-5":      DefaultRetryAfter,
		"0":       time.Second,
		"7":       7 * time.Second,
		" 60 ":    time.Minute,
		"3600":    time.Hour,
		"9999999": time.Hour,
		now0.Add(-time.Minute).Format(http.TimeFormat):     time.Second,
		now0.Add(10 * time.Minute).Format(http.TimeFormat): 10 * time.Minute,
	}
	for h, want := range cases {
		if got := retryAfter(h, now0); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", h, got, want)
		}
	}
}
