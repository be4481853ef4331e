package telegram

import (
	"context"
	"testing"
	"time"

	"hub/adapters/internal/adapterstest"
)

func TestRun_WebhookModeRegistersOnceWithSecret(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub+"/")
	e.run()
	adapterstest.Eventually(t, "setWebhook", func() bool { return len(e.api.callsTo("setWebhook")) > 0 })
	time.Sleep(350 * time.Millisecond) // three more sweeps (100 ms apart)

	calls := e.api.callsTo("setWebhook")
	if len(calls) != 1 {
		t.Fatalf("setWebhook called %d times, want once", len(calls))
	}
	p := calls[0].Params
	if p.Get("url") != "https://hub.example.com/hooks/telegram/tg1" || p.Get("secret_token") != testSecret ||
		p.Get("allowed_updates") != `["message","callback_query"]` || calls[0].Token != testToken {
		t.Fatalf("setWebhook params %v", p)
	}
	if n := len(e.api.callsTo("getUpdates")) + len(e.api.callsTo("deleteWebhook")); n != 0 {
		t.Fatalf("webhook mode polled or deleted the webhook (%d calls)", n)
	}
	if n := len(e.api.callsTo("getMe")); n != 1 {
		t.Fatalf("getMe called %d times: the BotAPI is not cached", n)
	}

	// A new secret is a new registration.
	ch := e.channel("tg1", testToken)
	ch.Config[keyWebhookSecret] = "rotated-secret"
	e.dir.Put(ch)
	if err := e.a.ChannelChanged(context.Background(), ch, false); err != nil {
		t.Fatal(err)
	}
	calls = e.api.callsTo("setWebhook")
	if len(calls) != 2 || calls[1].Params.Get("secret_token") != "rotated-secret" {
		t.Fatalf("after the secret changed, setWebhook calls: %d", len(calls))
	}
}

func TestRun_WebhookRegistrationRetriedAfterFailure(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub)
	e.api.queue("setWebhook", errReply(502, "Bad Gateway", 0))
	e.run()
	adapterstest.Eventually(t, "a second setWebhook", func() bool { return len(e.api.callsTo("setWebhook")) >= 2 })
	adapterstest.Eventually(t, "registration recorded", func() bool {
		e.a.mu.Lock()
		defer e.a.mu.Unlock()
		_, failed := e.a.regErr["tg1"]
		return e.a.registered["tg1"].secret == testSecret && !failed
	})
	time.Sleep(250 * time.Millisecond)
	if n := len(e.api.callsTo("setWebhook")); n != 2 {
		t.Fatalf("setWebhook called %d times, want 2 (one failure, one success)", n)
	}
}

func TestChannelChanged_WebhookModeReturnsRegistrationError(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub)
	e.api.queue("getMe", errReply(401, "Unauthorized", 0))
	err := e.a.ChannelChanged(context.Background(), e.channel("tg1", testToken), false)
	if err == nil {
		t.Fatal("no error for a refused token")
	}
	if got := err.Error(); !contains(got, errTokenRefused) || contains(got, testToken) {
		t.Fatalf("error %q", got)
	}
	h, herr := e.a.Health(context.Background(), e.channel("tg1", testToken))
	if herr != nil || h.OK || !contains(h.LastError, "registration failed") {
		t.Fatalf("health after a failed registration: %+v %v", h, herr)
	}
}
