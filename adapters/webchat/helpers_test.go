package webchat_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"hub/adapters"
	"hub/adapters/webchat"
)

var testSecret = []byte("test-secret-0123456789")

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fakeSink records every Inbound and dedupes on ExternalID like the hub.
type fakeSink struct {
	mu   sync.Mutex
	ins  []adapters.Inbound
	seen map[string]adapters.Receipt
	err  error
}

func (s *fakeSink) Deliver(_ context.Context, in adapters.Inbound) (adapters.Receipt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ins = append(s.ins, in)
	if s.err != nil {
		return adapters.Receipt{}, s.err
	}
	key := in.ChannelID + "/" + in.ExternalID
	if r, ok := s.seen[key]; ok {
		r.Duplicate = true
		return r, nil
	}
	r := adapters.Receipt{MessageID: fmt.Sprintf("m%d", len(s.seen)+1), ConversationID: "conv-" + in.ContactHandle}
	if s.seen == nil {
		s.seen = make(map[string]adapters.Receipt)
	}
	s.seen[key] = r
	return r, nil
}

func (s *fakeSink) inbounds() []adapters.Inbound {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]adapters.Inbound(nil), s.ins...)
}

func (s *fakeSink) setErr(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
}

type historyCall struct{ channelID, visitorID, afterID string }

// fakeBackend knows a few channels and returns canned history.
type fakeBackend struct {
	mu       sync.Mutex
	channels map[string]adapters.Channel
	history  []webchat.Message
	calls    []historyCall
}

func (b *fakeBackend) Channel(_ context.Context, id string) (adapters.Channel, error) {
	ch, ok := b.channels[id]
	if !ok {
		return adapters.Channel{}, adapters.ErrChannelNotFound
	}
	return ch, nil
}

func (b *fakeBackend) History(_ context.Context, channelID, visitorID, afterID string) ([]webchat.Message, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls = append(b.calls, historyCall{channelID, visitorID, afterID})
	return b.history, nil
}

// testErrorHandler renders errors like the hub's one error handler.
func testErrorHandler(c *fiber.Ctx, err error) error {
	var coded interface {
		StatusCode() int
		ErrorCode() string
	}
	status, code := http.StatusInternalServerError, "internal_error"
	var fe *fiber.Error
	switch {
	case errors.As(err, &coded):
		status, code = coded.StatusCode(), coded.ErrorCode()
	case errors.As(err, &fe):
		status, code = fe.Code, "http_error"
	}
	return c.Status(status).JSON(fiber.Map{"error": fiber.Map{"code": code, "message": err.Error()}})
}

type env struct {
	t       *testing.T
	a       *webchat.Adapter
	sink    *fakeSink
	backend *fakeBackend
	clock   *clock
	base    string // http://127.0.0.1:port
	stop    context.CancelFunc
	runDone chan error
}

var t0 = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{
		t:     t,
		sink:  &fakeSink{},
		clock: &clock{t: t0},
		backend: &fakeBackend{channels: map[string]adapters.Channel{
			"ch1":      {ID: "ch1", WorkspaceID: "w1", Type: "webchat", Name: "Site"},
			"ch2":      {ID: "ch2", WorkspaceID: "w1", Type: "webchat", Name: "Shop"},
			"off":      {ID: "off", WorkspaceID: "w1", Type: "webchat", Disabled: true},
			"sms1":     {ID: "sms1", WorkspaceID: "w1", Type: "sms"},
			"a|b|c":    {ID: "a|b|c", WorkspaceID: "w1", Type: "webchat"},
			"other-ws": {ID: "other-ws", WorkspaceID: "w2", Type: "webchat"},
		}},
	}
	e.a = webchat.New(webchat.Config{
		Secret: testSecret,
		Now:    e.clock.Now,
		Logger: slog.New(slog.DiscardHandler),
	}, e.sink, e.backend)

	app := fiber.New(fiber.Config{ErrorHandler: testErrorHandler, DisableStartupMessage: true})
	e.a.Routes(app)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	e.base = "http://" + ln.Addr().String()

	ctx, cancel := context.WithCancel(context.Background())
	e.stop = cancel
	e.runDone = make(chan error, 1)
	go func() { e.runDone <- e.a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-e.runDone:
		case <-time.After(10 * time.Second):
			t.Error("Run did not return after cancel")
		}
		_ = app.ShutdownWithTimeout(2 * time.Second)
	})
	return e
}

// do sends a request and returns the status and body.
func (e *env) do(method, path, token, body string) (int, []byte) {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.base+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, b
}

type sessionBody struct {
	VisitorToken string    `json:"visitorToken"`
	VisitorID    string    `json:"visitorId"`
	ExpiresAt    time.Time `json:"expiresAt"`
}

// session opens a visitor session on channel, renewing token if given.
func (e *env) session(channel, token string) sessionBody {
	e.t.Helper()
	body := ""
	if token != "" {
		body = `{"visitorToken":` + strconv.Quote(token) + `}`
	}
	status, b := e.do("POST", "/api/v1/widget/"+channel+"/session", "", body)
	if status != http.StatusOK {
		e.t.Fatalf("session: status %d body %s", status, b)
	}
	var s sessionBody
	mustUnmarshal(e.t, b, &s)
	if s.VisitorToken == "" || s.VisitorID == "" {
		e.t.Fatalf("session: empty token or visitor id: %s", b)
	}
	return s
}

func mustUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
}

// errCode returns the error code of an error body.
func errCode(t *testing.T, b []byte) string {
	t.Helper()
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	mustUnmarshal(t, b, &e)
	return e.Error.Code
}

// signToken builds a token the documented way, with any secret.
func signToken(secret []byte, channelID, visitorID string, exp time.Time) string {
	return signPayload(secret, channelID+"|"+visitorID+"|"+strconv.FormatInt(exp.Unix(), 10))
}

// signPayload signs any payload string with the documented scheme.
func signPayload(secret []byte, payload string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(payload))
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(m.Sum(nil))
}

// eventually polls cond for up to 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func jsonEqual(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	mustUnmarshal(t, got, &g)
	mustUnmarshal(t, []byte(want), &w)
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if !bytes.Equal(gb, wb) {
		t.Fatalf("JSON mismatch\n got: %s\nwant: %s", gb, wb)
	}
}
