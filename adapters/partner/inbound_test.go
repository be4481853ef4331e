package partner

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
)

func TestInbound_ValidMessageDeliveredWithAllFields(t *testing.T) {
	e := newEnv(t)
	body := []byte(`{"eventId":"evt-123","type":"message","conversationRef":" RES-42 ",
		"guest":{"id":"g-9","name":"  Ana Lima "},"text":"  Hello  ",
		"attachments":[{"url":"https://cdn.example/door.jpg","contentType":"image/jpeg","name":"door.jpg","size":345}],
		"sentAt":"2026-11-21T10:00:00+01:00","partnerExtra":{"anything":[1,2]}}`)
	status, resp := e.postSigned("p1", body)
	if status != http.StatusOK {
		t.Fatalf("status = %d, body %s", status, resp)
	}
	adapterstest.JSONEqual(t, resp, `{"status":"accepted","messageId":"m1","conversationId":"c-g-9","duplicate":false}`)

	ins := e.sink.Inbounds()
	if len(ins) != 1 {
		t.Fatalf("%d messages delivered, want 1", len(ins))
	}
	want := adapters.Inbound{
		ChannelID:     "p1",
		ExternalID:    "evt-123",
		ContactHandle: "g-9",
		ContactName:   "Ana Lima",
		Text:          "Hello",
		Attachments: []adapters.Attachment{{
			URL: "https://cdn.example/door.jpg", ContentType: "image/jpeg", Name: "door.jpg", Size: 345,
		}},
		ReceivedAt: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC),
		ThreadRef:  "RES-42",
	}
	if !reflect.DeepEqual(ins[0], want) {
		t.Fatalf("inbound\n got %+v\nwant %+v", ins[0], want)
	}
}

func TestInbound_MinimalMessageDefaultsToNow(t *testing.T) {
	e := newEnv(t)
	status, resp := e.postSigned("p1", []byte(`{"eventId":"e1","type":"message","guest":{"id":"g1"},"text":"hi"}`))
	if status != http.StatusOK {
		t.Fatalf("status = %d, body %s", status, resp)
	}
	in := e.sink.Inbounds()[0]
	if !in.ReceivedAt.Equal(now0) || in.ThreadRef != "" || in.ContactName != "" || in.Attachments != nil {
		t.Fatalf("inbound = %+v", in)
	}
}

func TestInbound_FutureSentAtClampedToNow(t *testing.T) {
	e := newEnv(t)
	status, resp := e.postSigned("p1", event(t, map[string]any{"sentAt": "2026-11-21T12:00:00Z"}))
	if status != http.StatusOK {
		t.Fatalf("status = %d, body %s", status, resp)
	}
	if got := e.sink.Inbounds()[0].ReceivedAt; !got.Equal(now0) {
		t.Fatalf("ReceivedAt = %v, want %v", got, now0)
	}
}

func TestInbound_AttachmentOnlyMessageAccepted(t *testing.T) {
	e := newEnv(t)
	status, resp := e.postSigned("p1", event(t, map[string]any{"text": nil}))
	if status != http.StatusOK {
		t.Fatalf("status = %d, body %s", status, resp)
	}
	if in := e.sink.Inbounds()[0]; in.Text != "" || len(in.Attachments) != 1 {
		t.Fatalf("inbound = %+v", in)
	}
}

func TestInbound_EitherRotationSecretAccepted(t *testing.T) {
	for _, secret := range []string{secretNew, secretOld} {
		e := newEnv(t)
		body := event(t, nil)
		status, resp := e.post("p1", body, signed(secret, body, now0))
		if status != http.StatusOK || len(e.sink.Inbounds()) != 1 {
			t.Fatalf("signed with %q: status %d body %s", secret[:3], status, resp)
		}
	}
}

func TestInbound_SignatureRefusals(t *testing.T) {
	body := event(t, nil)
	good := signed(secretNew, body, now0)
	cases := []struct {
		name    string
		headers map[string]string
		code    string
	}{
		{"6 minutes old", signed(secretNew, body, now0.Add(-6*time.Minute)), "timestamp_stale"},
		{"6 minutes ahead", signed(secretNew, body, now0.Add(6*time.Minute)), "timestamp_stale"},
		{"wrong secret", signed("some-other-secret-0123", body, now0), "signature_invalid"},
		{"signature of another body", signed(secretNew, []byte(`{}`), now0), "signature_invalid"},
		{"no headers", nil, "signature_missing"},
		{"no signature", map[string]string{HeaderTimestamp: good[HeaderTimestamp]}, "signature_missing"},
		{"no timestamp", map[string]string{HeaderSignature: good[HeaderSignature]}, "signature_missing"},
		{"malformed timestamp", map[string]string{HeaderTimestamp: "soon", HeaderSignature: good[HeaderSignature]}, "timestamp_invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			status, resp := e.post("p1", body, c.headers)
			e.expectError(status, resp, http.StatusUnauthorized, c.code)
		})
	}
}

func TestInbound_PreviousSecretRefusedOnceCleared(t *testing.T) {
	e := newEnv(t)
	ch := partnerChannel("p1", "https://partner.example/replies")
	delete(ch.Config, keyPreviousSecret)
	e.dir.Put(ch)
	body := event(t, nil)
	status, resp := e.post("p1", body, signed(secretOld, body, now0))
	e.expectError(status, resp, http.StatusUnauthorized, "signature_invalid")
}

func TestInbound_ChannelRefusals(t *testing.T) {
	cases := []struct {
		channel string
		status  int
		code    string
	}{
		{"nope", http.StatusNotFound, "channel_not_found"},
		{"sms1", http.StatusNotFound, "channel_not_found"},
		{"off", http.StatusForbidden, "channel_disabled"},
	}
	for _, c := range cases {
		t.Run(c.channel, func(t *testing.T) {
			e := newEnv(t)
			status, resp := e.postSigned(c.channel, event(t, nil))
			e.expectError(status, resp, c.status, c.code)
		})
	}
}

func TestInbound_DirectoryFailureIs500(t *testing.T) {
	e := newEnv(t)
	e.dir.SetErr(errors.New("store down"))
	status, resp := e.postSigned("p1", event(t, nil))
	e.expectError(status, resp, http.StatusInternalServerError, "internal")
}

func TestInbound_BodyTooLarge(t *testing.T) {
	e := newEnv(t)
	body := event(t, map[string]any{"padding": strings.Repeat("x", 5000)})
	status, resp := e.postSigned("p1", body)
	e.expectError(status, resp, http.StatusRequestEntityTooLarge, "body_too_large")
}

func TestInbound_InvalidJSON(t *testing.T) {
	for _, body := range []string{`{"eventId":`, `[1,2]`, `{"eventId":"e1","type":"message","guest":"g-9"}`, `{} trailing`} {
		e := newEnv(t)
		status, resp := e.postSigned("p1", []byte(body))
		e.expectError(status, resp, http.StatusBadRequest, "invalid_json")
	}
}

func TestInbound_ValidationRules(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) }
	att := func(url string, size int64) map[string]any {
		return map[string]any{"url": url, "size": size}
	}
	cases := []struct {
		name    string
		changes map[string]any
		status  int
		code    string
	}{
		{"missing type", map[string]any{"type": nil}, 400, "type_required"},
		{"missing eventId", map[string]any{"eventId": nil}, 400, "event_id_required"},
		{"blank eventId", map[string]any{"eventId": "  "}, 400, "event_id_required"},
		{"long eventId", map[string]any{"eventId": long(129)}, 400, "event_id_too_long"},
		{"missing guest", map[string]any{"guest": nil}, 400, "guest_id_required"},
		{"long guest id", map[string]any{"guest": map[string]any{"id": long(129)}}, 400, "guest_id_too_long"},
		{"long guest name", map[string]any{"guest": map[string]any{"id": "g", "name": long(129)}}, 400, "guest_name_too_long"},
		{"long conversationRef", map[string]any{"conversationRef": long(129)}, 400, "conversation_ref_too_long"},
		{"empty message", map[string]any{"text": " \n ", "attachments": nil}, 400, "empty_message"},
		{"empty attachments list", map[string]any{"text": "", "attachments": []any{}}, 400, "empty_message"},
		{"text too long", map[string]any{"text": long(51)}, 413, "text_too_long"},
		{"too many attachments", map[string]any{"attachments": []any{
			att("https://a.example/1", 1), att("https://a.example/2", 1), att("https://a.example/3", 1),
		}}, 400, "too_many_attachments"},
		{"attachment without url", map[string]any{"attachments": []any{map[string]any{"name": "x"}}}, 400, "invalid_attachment"},
		{"attachment relative url", map[string]any{"attachments": []any{att("/files/1", 1)}}, 400, "invalid_attachment"},
		{"attachment ftp url", map[string]any{"attachments": []any{att("ftp://a.example/1", 1)}}, 400, "invalid_attachment"},
		{"attachment javascript url", map[string]any{"attachments": []any{att("javascript:alert(1)", 1)}}, 400, "invalid_attachment"},
		{"attachment negative size", map[string]any{"attachments": []any{att("https://a.example/1", -1)}}, 400, "invalid_attachment"},
		{"second attachment bad", map[string]any{"attachments": []any{att("https://a.example/1", 1), att("nope", 1)}}, 400, "invalid_attachment"},
		{"attachment too large", map[string]any{"attachments": []any{att("https://a.example/1", 1001)}}, 413, "attachment_too_large"},
		{"bad sentAt", map[string]any{"sentAt": "21/11/2026 10:00"}, 400, "invalid_sent_at"},
		{"sentAt without zone", map[string]any{"sentAt": "2026-11-21T10:00:00"}, 400, "invalid_sent_at"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			status, resp := e.postSigned("p1", event(t, c.changes))
			e.expectError(status, resp, c.status, c.code)
		})
	}
}

func TestInbound_ErrorMessagesNameTheField(t *testing.T) {
	e := newEnv(t)
	body := event(t, map[string]any{"attachments": []any{
		map[string]any{"url": "https://a.example/1"}, map[string]any{"url": "nope"},
	}})
	_, resp := e.postSigned("p1", body)
	if !strings.Contains(string(resp), "attachments[1].url") {
		t.Fatalf("message does not name the field: %s", resp)
	}
}

func TestInbound_LimitsCountCharactersNotBytes(t *testing.T) {
	e := newEnv(t)
	text := strings.Repeat("é", 50) // 100 bytes, 50 characters: the limit
	status, resp := e.postSigned("p1", event(t, map[string]any{"text": text, "guest": map[string]any{"id": strings.Repeat("ü", 128)}}))
	if status != http.StatusOK {
		t.Fatalf("status = %d, body %s", status, resp)
	}
}

func TestInbound_OtherEventTypesIgnored(t *testing.T) {
	e := newEnv(t)
	status, resp := e.postSigned("p1", []byte(`{"eventId":"evt-9","type":"message.read","readAt":"2026-11-21T10:00:00Z"}`))
	if status != http.StatusOK {
		t.Fatalf("status = %d, body %s", status, resp)
	}
	adapterstest.JSONEqual(t, resp, `{"status":"ignored"}`)
	if n := len(e.sink.Inbounds()); n != 0 {
		t.Fatalf("%d messages delivered, want none", n)
	}
}

func TestInbound_IgnoredTypeStillNeedsSignature(t *testing.T) {
	e := newEnv(t)
	status, resp := e.post("p1", []byte(`{"eventId":"evt-9","type":"typing"}`), nil)
	e.expectError(status, resp, http.StatusUnauthorized, "signature_missing")
}

func TestInbound_DuplicateEventFlagged(t *testing.T) {
	e := newEnv(t)
	body := event(t, nil)
	_, first := e.postSigned("p1", body)
	status, second := e.postSigned("p1", body)
	if status != http.StatusOK {
		t.Fatalf("status = %d, body %s", status, second)
	}
	adapterstest.JSONEqual(t, first, `{"status":"accepted","messageId":"m1","conversationId":"c-g-9","duplicate":false}`)
	adapterstest.JSONEqual(t, second, `{"status":"accepted","messageId":"m1","conversationId":"c-g-9","duplicate":true}`)
}

func TestInbound_SinkErrors(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"http error passed through", adapters.Errorf(http.StatusNotFound, "channel_not_found", "gone"), 404, "channel_not_found"},
		{"wrapped http error passed through", errors.Join(errors.New("ctx"), adapters.Errorf(409, "conflict", "race")), 409, "conflict"},
		{"other error is 500", errors.New("disk full"), 500, "internal"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.sink.SetErr(c.err)
			status, resp := e.postSigned("p1", event(t, nil))
			e.expectError(status, resp, c.status, c.code)
			if strings.Contains(string(resp), "disk full") {
				t.Fatalf("internal error leaked: %s", resp)
			}
		})
	}
}
