package partner

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
)

const (
	secretNew = "new-secret-0123456789"
	secretOld = "old-secret-0123456789"
)

// now0 is the fixed clock of every test.
var now0 = time.Date(2026, 11, 21, 10, 5, 0, 0, time.UTC)

type env struct {
	t    *testing.T
	a    *Adapter
	sink *adapterstest.Sink
	dir  *adapterstest.Directory
	app  *fiber.App
}

// partnerChannel is the enabled channel "p1" with both secrets.
func partnerChannel(id, replyURL string) adapters.Channel {
	return adapters.Channel{ID: id, WorkspaceID: "w1", Type: ChannelType, Name: "OTA", Config: map[string]string{
		keyURL: replyURL, keySecret: secretNew, keyPreviousSecret: secretOld,
	}}
}

// newEnv builds the adapter with small limits so the tests stay fast.
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, sink: &adapterstest.Sink{}, dir: adapterstest.NewDirectory(
		partnerChannel("p1", "https://partner.example/replies"),
		adapters.Channel{ID: "off", Type: ChannelType, Disabled: true, Config: map[string]string{keySecret: secretNew}},
		adapters.Channel{ID: "sms1", Type: "sms", Config: map[string]string{keySecret: secretNew}},
	)}
	e.a = New(Config{
		PublicURL:          "https://hub.example/",
		Logger:             slog.New(slog.DiscardHandler),
		MaxTextChars:       50,
		MaxAttachments:     2,
		MaxAttachmentBytes: 1000,
		MaxBodyBytes:       4096,
		Now:                func() time.Time { return now0 },
	}, e.sink, e.dir)
	e.app = adapterstest.NewApp(e.a)
	return e
}

// post sends body to the channel's webhook with the given headers.
func (e *env) post(channelID string, body []byte, headers map[string]string) (int, []byte) {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/hooks/partner/"+channelID, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, b := adapterstest.Do(e.t, e.app, req)
	return resp.StatusCode, b
}

// signed returns the signature headers for body with secret at time at.
func signed(secret string, body []byte, at time.Time) map[string]string {
	ts, sig := Sign([]byte(secret), body, at)
	return map[string]string{HeaderTimestamp: ts, HeaderSignature: sig}
}

// postSigned sends body to the channel signed with the current secret now.
func (e *env) postSigned(channelID string, body []byte) (int, []byte) {
	e.t.Helper()
	return e.post(channelID, body, signed(secretNew, body, now0))
}

// expectError checks an error answer and that nothing reached the sink.
func (e *env) expectError(status int, body []byte, wantStatus int, wantCode string) {
	e.t.Helper()
	if status != wantStatus {
		e.t.Fatalf("status = %d, want %d; body %s", status, wantStatus, body)
	}
	if got := adapterstest.ErrorCode(e.t, body); got != wantCode {
		e.t.Fatalf("code = %q, want %q; body %s", got, wantCode, body)
	}
	if n := len(e.sink.Inbounds()); n != 0 {
		e.t.Fatalf("%d messages delivered, want none", n)
	}
}

// event builds an inbound event body from a base valid event with the given
// top-level fields replaced (a nil value deletes the field).
func event(t *testing.T, changes map[string]any) []byte {
	t.Helper()
	ev := map[string]any{
		"eventId":         "evt-123",
		"type":            "message",
		"conversationRef": "RES-42",
		"guest":           map[string]any{"id": "g-9", "name": "Ana Lima"},
		"text":            "Hello",
		"attachments": []any{map[string]any{
			"url": "https://cdn.example/door.jpg", "contentType": "image/jpeg", "name": "door.jpg", "size": 345,
		}},
		"sentAt": "2026-11-21T10:00:00Z",
	}
	for k, v := range changes {
		if v == nil {
			delete(ev, k)
			continue
		}
		ev[k] = v
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
