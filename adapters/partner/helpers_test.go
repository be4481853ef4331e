package partner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"hub/adapters"
)

const (
	secretNew = "new-secret-0123456789"
	secretOld = "old-secret-0123456789"
)

// now0 is the fixed clock of every test.
var now0 = time.Date(2026, 11, 21, 10, 5, 0, 0, time.UTC)

// fakeSink records every Inbound and dedupes on (channel, ExternalID) like
// the hub.
type fakeSink struct {
	mu   sync.Mutex
	ins  []adapters.Inbound
	seen map[string]adapters.Receipt
	err  error
}

func (s *fakeSink) Deliver(_ context.Context, in adapters.Inbound) (adapters.Receipt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return adapters.Receipt{}, s.err
	}
	s.ins = append(s.ins, in)
	key := in.ChannelID + "\x00" + in.ExternalID
	if r, ok := s.seen[key]; ok {
		r.Duplicate = true
		return r, nil
	}
	if s.seen == nil {
		s.seen = make(map[string]adapters.Receipt)
	}
	r := adapters.Receipt{MessageID: fmt.Sprintf("m%d", len(s.seen)+1), ConversationID: "c-" + in.ContactHandle}
	s.seen[key] = r
	return r, nil
}

func (s *fakeSink) inbounds() []adapters.Inbound {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]adapters.Inbound(nil), s.ins...)
}

// fakeDir knows a fixed set of channels.
type fakeDir struct {
	channels map[string]adapters.Channel
	err      error
}

func (d *fakeDir) Channel(_ context.Context, id string) (adapters.Channel, error) {
	if d.err != nil {
		return adapters.Channel{}, d.err
	}
	ch, ok := d.channels[id]
	if !ok {
		return adapters.Channel{}, adapters.ErrChannelNotFound
	}
	return ch, nil
}

func (d *fakeDir) Channels(context.Context, string) ([]adapters.Channel, error) {
	return nil, errors.New("not used")
}

// testErrorHandler renders errors like the hub's one error handler.
func testErrorHandler(c *fiber.Ctx, err error) error {
	var coded interface {
		StatusCode() int
		ErrorCode() string
	}
	status, code := http.StatusInternalServerError, "internal"
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
	t    *testing.T
	a    *Adapter
	sink *fakeSink
	dir  *fakeDir
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
	e := &env{t: t, sink: &fakeSink{}, dir: &fakeDir{channels: map[string]adapters.Channel{
		"p1":   partnerChannel("p1", "https://partner.example/replies"),
		"off":  {ID: "off", Type: ChannelType, Disabled: true, Config: map[string]string{keySecret: secretNew}},
		"sms1": {ID: "sms1", Type: "sms", Config: map[string]string{keySecret: secretNew}},
	}}}
	e.a = New(Config{
		PublicURL:          "https://hub.example/",
		Logger:             slog.New(slog.DiscardHandler),
		MaxTextChars:       50,
		MaxAttachments:     2,
		MaxAttachmentBytes: 1000,
		MaxBodyBytes:       4096,
		Now:                func() time.Time { return now0 },
	}, e.sink, e.dir)
	e.app = fiber.New(fiber.Config{ErrorHandler: testErrorHandler, DisableStartupMessage: true})
	e.a.Routes(e.app)
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
	resp, err := e.app.Test(req, -1)
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
	if got := errCode(e.t, body); got != wantCode {
		e.t.Fatalf("code = %q, want %q; body %s", got, wantCode, body)
	}
	if n := len(e.sink.inbounds()); n != 0 {
		e.t.Fatalf("%d messages delivered, want none", n)
	}
}

func errCode(t *testing.T, b []byte) string {
	t.Helper()
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	mustUnmarshal(t, b, &e)
	return e.Error.Code
}

func mustUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
}

// jsonEqual compares two JSON documents ignoring key order and spacing.
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
