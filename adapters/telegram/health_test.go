package telegram

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
)

func TestHealth_WebhookMode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub)
	ch := e.channel("tg1", testToken)
	errAt := time.Now().Add(-time.Minute).Unix()
	e.api.setWebhookInfo(`{"url":"https://hub.example.com/hooks/telegram/tg1","has_custom_certificate":false,
		"pending_update_count":3,"last_error_date":` + strconv.FormatInt(errAt, 10) + `,"last_error_message":"Connection timed out"}`)

	h, err := e.a.Health(context.Background(), ch)
	if err != nil {
		t.Fatal(err)
	}
	if h.OK || h.Mode != "webhook" || h.Pending != 3 || h.WebhookURL != "https://hub.example.com/hooks/telegram/tg1" ||
		h.LastError != "Connection timed out" || h.LastErrorAt == nil || h.LastErrorAt.Unix() != errAt || h.CheckedAt.IsZero() {
		t.Fatalf("health with a recent delivery error: %+v", h)
	}

	// An update accepted since then: the error is history.
	if status, _ := e.post("tg1", testSecret, textUpdate); status != http.StatusOK {
		t.Fatal("webhook refused the update")
	}
	if h, _ = e.a.Health(context.Background(), ch); !h.OK || h.LastError == "" {
		t.Fatalf("health after a successful delivery: %+v", h)
	}

	e.api.setWebhookInfo(`{"url":"https://elsewhere.example.com/hook","pending_update_count":0}`)
	if h, _ = e.a.Health(context.Background(), ch); h.OK || !contains(h.LastError, "another address") {
		t.Fatalf("health with a foreign webhook: %+v", h)
	}
}

func TestHealth_PollingMode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	ch := e.channel("tg1", testToken)
	if h, _ := e.a.Health(context.Background(), ch); h.OK || h.Mode != "polling" || h.LastError == "" {
		t.Fatalf("health before Run: %+v", h)
	}
	e.a.backoffMin = 50 * time.Millisecond
	e.api.queue("getUpdates", errReply(502, "Bad Gateway", 0))
	e.run()

	var failed adapters.Health
	adapterstest.Eventually(t, "the failure reported", func() bool {
		failed, _ = e.a.Health(context.Background(), ch)
		return contains(failed.LastError, "Bad Gateway")
	})
	if failed.OK || failed.LastErrorAt == nil || contains(failed.LastError, testToken) {
		t.Fatalf("health after a failed getUpdates: %+v", failed)
	}
	adapterstest.Eventually(t, "recovery", func() bool {
		h, _ := e.a.Health(context.Background(), ch)
		return h.OK && h.Mode == "polling"
	})
}

func TestHealth_CancelledContextIsAnError(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.a.Health(ctx, e.channel("tg1", testToken))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}
