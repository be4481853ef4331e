package telegram

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
)

const (
	testToken  = "123456789:AAEhBP0av28f1ZyZ0s4kbXsWmUq3Zy_-abc"
	testToken2 = "987654321:ZZEhBP0av28f1ZyZ0s4kbXsWmUq3Zy_-xyz"
	testSecret = "s3cr3t_-token"
	httpsHub   = "https://hub.example.com"
)

// fakeSink records what the adapter delivers; fail, when set, decides
// whether a Deliver fails.
type fakeSink struct {
	mu       sync.Mutex
	attempts []adapters.Inbound
	stored   []adapters.Inbound
	fail     func(in adapters.Inbound, attempt int) error
	onStore  func(in adapters.Inbound)
}

func (s *fakeSink) Deliver(_ context.Context, in adapters.Inbound) (adapters.Receipt, error) {
	s.mu.Lock()
	s.attempts = append(s.attempts, in)
	n := 0
	for _, a := range s.attempts {
		if a.ExternalID == in.ExternalID {
			n++
		}
	}
	fail, onStore := s.fail, s.onStore
	s.mu.Unlock()
	if fail != nil {
		if err := fail(in, n); err != nil {
			return adapters.Receipt{}, err
		}
	}
	if onStore != nil {
		onStore(in)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stored = append(s.stored, in)
	return adapters.Receipt{MessageID: "m-" + in.ExternalID, ConversationID: "c-" + in.ContactHandle}, nil
}

func (s *fakeSink) storedIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for _, in := range s.stored {
		ids = append(ids, in.ExternalID)
	}
	return ids
}

func (s *fakeSink) all() []adapters.Inbound {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]adapters.Inbound(nil), s.stored...)
}

func (s *fakeSink) attemptCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.attempts)
}

// lockedBuffer collects logs from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// env is an adapter wired to a fake Bot API, sink and directory.
type env struct {
	t    *testing.T
	api  *fakeAPI
	sink *fakeSink
	dir  *adapterstest.Directory
	a    *Adapter
	logs *lockedBuffer
	app  *fiber.App
}

// newEnv builds an adapter with channel "tg1" on the fake API. publicURL
// picks the mode. Logs are captured at debug level, and at the end the
// token must not appear in them.
func newEnv(t *testing.T, publicURL string) *env {
	t.Helper()
	e := &env{
		t:    t,
		api:  newFakeAPI(t),
		sink: &fakeSink{},
		dir:  adapterstest.NewDirectory(),
		logs: &lockedBuffer{},
	}
	e.dir.Put(e.channel("tg1", testToken))
	logger := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.a = New(Config{
		PublicURL:     publicURL,
		Logger:        logger,
		PollTimeout:   time.Second,
		SweepInterval: 100 * time.Millisecond,
	}, e.sink, e.dir)
	e.app = adapterstest.NewApp(e.a)
	t.Cleanup(func() {
		if strings.Contains(e.logs.String(), testToken) || strings.Contains(e.logs.String(), testToken2) {
			t.Errorf("a bot token was logged:\n%s", e.logs.String())
		}
	})
	return e
}

// channel is a telegram channel on the fake API.
func (e *env) channel(id, token string) adapters.Channel {
	return adapters.Channel{ID: id, WorkspaceID: "w1", Type: ChannelType, Name: "Bot " + id, Config: map[string]string{
		keyBotToken: token, keyWebhookSecret: testSecret, keyAPIBaseURL: e.api.URL(),
	}}
}

// run starts Run; the returned stop cancels it and fails the test if Run
// does not return promptly.
func (e *env) run() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.a.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					e.t.Errorf("Run returned %v", err)
				}
			case <-time.After(5 * time.Second):
				e.t.Error("Run did not return after cancel")
			}
			e.a.mu.Lock()
			n := len(e.a.pollers)
			e.a.mu.Unlock()
			if n != 0 {
				e.t.Errorf("%d pollers left after Run returned", n)
			}
		})
	}
	e.t.Cleanup(stop)
	return stop
}

// post sends an update to the webhook of channel id with secret.
func (e *env) post(id, secret, body string) (int, string) {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/hooks/telegram/"+id, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(secretHeader, secret)
	}
	resp, b := adapterstest.Do(e.t, e.app, req)
	return resp.StatusCode, string(b)
}
