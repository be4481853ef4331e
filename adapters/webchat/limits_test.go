package webchat_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
	"hub/adapters/webchat"
)

func TestLimits_NewSessionsPerAddressAndMessagesPerVisitor(t *testing.T) {
	sink := &adapterstest.Sink{}
	backend := &fakeBackend{Directory: adapterstest.NewDirectory(adapters.Channel{ID: "ch1", WorkspaceID: "w1", Type: "webchat"})}
	a := webchat.New(webchat.Config{Secret: testSecret, Logger: slog.New(slog.DiscardHandler),
		MaxNewSessionsPerMinute: 3, MaxMessagesPerMinute: 2}, sink, backend)
	app := adapterstest.NewApp(a)
	post := func(path, token, body string) (int, []byte, http.Header) {
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, b := adapterstest.Do(t, app, req)
		return res.StatusCode, b, res.Header
	}
	var first struct{ VisitorToken string }
	for i := range 3 {
		status, body, _ := post("/api/v1/widget/ch1/session", "", "{}")
		if status != 200 {
			t.Fatalf("session %d: %d %s", i, status, body)
		}
		if i == 0 {
			_ = json.Unmarshal(body, &first)
		}
	}
	status, body, header := post("/api/v1/widget/ch1/session", "", "{}")
	if status != 429 || adapterstest.ErrorCode(t, body) != "rate_limited" || header.Get("Retry-After") == "" {
		t.Fatalf("4th new visitor in a minute: %d %s %v", status, body, header)
	}
	// Renewing a valid token is not a new visitor.
	if status, body, _ := post("/api/v1/widget/ch1/session", "", `{"visitorToken":"`+first.VisitorToken+`"}`); status != 200 {
		t.Fatalf("renewal: %d %s", status, body)
	}
	for i, text := range []string{"one", "two"} {
		if status, body, _ := post("/api/v1/widget/ch1/messages", first.VisitorToken, `{"text":"`+text+`"}`); status != 201 {
			t.Fatalf("message %d: %d %s", i, status, body)
		}
	}
	status, body, _ = post("/api/v1/widget/ch1/messages", first.VisitorToken, `{"text":"three"}`)
	if status != 429 || adapterstest.ErrorCode(t, body) != "rate_limited" {
		t.Fatalf("3rd message in a minute: %d %s", status, body)
	}
	if n := len(sink.Inbounds()); n != 2 {
		t.Fatalf("%d messages stored, want 2 (the refused one is not)", n)
	}
}
