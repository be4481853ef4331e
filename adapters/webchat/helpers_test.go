package webchat_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
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

type historyCall struct{ channelID, visitorID, afterID string }

// fakeBackend knows a few channels and returns canned history.
type fakeBackend struct {
	*adapterstest.Directory
	mu      sync.Mutex
	history []webchat.Message
	calls   []historyCall
}

func (b *fakeBackend) History(_ context.Context, channelID, visitorID, afterID string) ([]webchat.Message, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls = append(b.calls, historyCall{channelID, visitorID, afterID})
	return b.history, nil
}

type env struct {
	t       *testing.T
	a       *webchat.Adapter
	sink    *adapterstest.Sink
	backend *fakeBackend
	clock   *clock
	base    string // http://127.0.0.1:port
	stop    context.CancelFunc
	runDone chan error
}

var t0 = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvLogging(t, slog.New(slog.DiscardHandler))
}

// newEnvLogging is newEnv with the adapter logging to log.
func newEnvLogging(t *testing.T, log *slog.Logger) *env {
	t.Helper()
	e := &env{
		t:     t,
		sink:  &adapterstest.Sink{},
		clock: &clock{t: t0},
		backend: &fakeBackend{Directory: adapterstest.NewDirectory(
			adapters.Channel{ID: "ch1", WorkspaceID: "w1", Type: "webchat", Name: "Site"},
			adapters.Channel{ID: "ch2", WorkspaceID: "w1", Type: "webchat", Name: "Shop"},
			adapters.Channel{ID: "off", WorkspaceID: "w1", Type: "webchat", Disabled: true},
			adapters.Channel{ID: "sms1", WorkspaceID: "w1", Type: "sms"},
			adapters.Channel{ID: "a|b|c", WorkspaceID: "w1", Type: "webchat"},
			adapters.Channel{ID: "other-ws", WorkspaceID: "w2", Type: "webchat"},
		)},
	}
	e.a = webchat.New(webchat.Config{
		Secret: testSecret,
		Now:    e.clock.Now,
		Logger: log,
	}, e.sink, e.backend)

	app := adapterstest.NewApp(e.a)
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
	adapterstest.MustUnmarshal(e.t, b, &s)
	if s.VisitorToken == "" || s.VisitorID == "" {
		e.t.Fatalf("session: empty token or visitor id: %s", b)
	}
	return s
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
