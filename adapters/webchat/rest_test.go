package webchat_test

import (
	"errors"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
	"hub/adapters/webchat"
)

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestSession_NewVisitorThenRenewKeepsVisitorID(t *testing.T) {
	e := newEnv(t)
	first := e.session("ch1", "")
	if !hex32.MatchString(first.VisitorID) {
		t.Fatalf("visitorId %q is not 16 random bytes in hex", first.VisitorID)
	}
	if want := t0.Add(90 * 24 * time.Hour); !first.ExpiresAt.Equal(want) {
		t.Fatalf("expiresAt = %v, want %v (default TTL 90 days)", first.ExpiresAt, want)
	}
	if first.VisitorToken != signToken(testSecret, "ch1", first.VisitorID, first.ExpiresAt) {
		t.Fatalf("token does not follow the documented scheme: %s", first.VisitorToken)
	}

	e.clock.Advance(24 * time.Hour)
	renewed := e.session("ch1", first.VisitorToken)
	if renewed.VisitorID != first.VisitorID {
		t.Fatalf("renewal changed visitor: %s → %s", first.VisitorID, renewed.VisitorID)
	}
	if !renewed.ExpiresAt.After(first.ExpiresAt) || renewed.VisitorToken == first.VisitorToken {
		t.Fatalf("renewal did not extend the token: %+v", renewed)
	}

	if other := e.session("ch1", ""); other.VisitorID == first.VisitorID {
		t.Fatal("two sessions without token got the same visitor")
	}
}

func TestSession_InvalidTokenGivesNewVisitor(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	onCh2 := e.session("ch2", "")
	exp := t0.Add(time.Hour)
	payload, sig, _ := strings.Cut(s.VisitorToken, ".")
	cases := map[string]string{
		"other channel's token":  onCh2.VisitorToken,
		"signed with other key":  signToken([]byte("another secret"), "ch1", s.VisitorID, exp),
		"expired":                signToken(testSecret, "ch1", s.VisitorID, t0.Add(-time.Second)),
		"expires exactly now":    signToken(testSecret, "ch1", s.VisitorID, t0),
		"signature of other":     payload + "." + strings.SplitN(onCh2.VisitorToken, ".", 2)[1],
		"tampered signature":     payload + "." + flipFirst(sig),
		"tampered payload":       flipFirst(payload) + "." + sig,
		"no signature":           payload,
		"garbage":                "not-a-token",
		"not base64":             "%%%.%%%",
		"payload without fields": signPayload(testSecret, "ch1"),
		"empty visitor id":       signPayload(testSecret, "ch1||"+strconv.FormatInt(exp.Unix(), 10)),
		"expiry not a number":    signPayload(testSecret, "ch1|"+s.VisitorID+"|soon"),
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			got := e.session("ch1", tok)
			if got.VisitorID == s.VisitorID || got.VisitorID == onCh2.VisitorID {
				t.Fatalf("invalid token kept visitor %s", got.VisitorID)
			}
		})
	}
}

func flipFirst(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}

func TestSession_BadChannelOrBody(t *testing.T) {
	e := newEnv(t)
	for _, ch := range []string{"nope", "off", "sms1"} {
		status, b := e.do("POST", "/api/v1/widget/"+ch+"/session", "", "")
		if status != http.StatusNotFound || adapterstest.ErrorCode(t, b) != "channel_not_found" {
			t.Errorf("channel %s: %d %s", ch, status, b)
		}
	}
	status, b := e.do("POST", "/api/v1/widget/ch1/session", "", `{"visitorToken":`)
	if status != http.StatusBadRequest || adapterstest.ErrorCode(t, b) != "invalid_json" {
		t.Errorf("malformed body: %d %s", status, b)
	}
	status, b = e.do("POST", "/api/v1/widget/ch1/session", "", `{"visitorToken":42}`)
	if status != http.StatusBadRequest || adapterstest.ErrorCode(t, b) != "invalid_json" {
		t.Errorf("wrong type: %d %s", status, b)
	}
}

func TestPostMessage_DeliversInboundAndAnswers201(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	status, b := e.do("POST", "/api/v1/widget/ch1/messages", s.VisitorToken,
		`{"text":"  Is breakfast included?\n","clientId":"c-1_A","name":" Ana "}`)
	if status != http.StatusCreated {
		t.Fatalf("status %d %s", status, b)
	}
	ins := e.sink.Inbounds()
	if len(ins) != 1 {
		t.Fatalf("Deliver called %d times", len(ins))
	}
	want := adapters.Inbound{
		ChannelID:     "ch1",
		ExternalID:    "w:" + s.VisitorID + ":c-1_A",
		ContactHandle: s.VisitorID,
		ContactName:   "Ana",
		Text:          "Is breakfast included?",
		ReceivedAt:    t0,
	}
	if !reflect.DeepEqual(ins[0], want) {
		t.Fatalf("Inbound\n got %+v\nwant %+v", ins[0], want)
	}
	adapterstest.JSONEqual(t, b, `{"id":"m1","conversationId":"c-`+s.VisitorID+`","direction":"in",
		"author":{"type":"contact","name":"Ana"},"text":"Is breakfast included?","attachments":[],
		"createdAt":"2026-11-21T10:00:00Z"}`)
}

func TestPostMessage_WithoutClientIDEachMessageIsNew(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	for i := 0; i < 2; i++ {
		if status, b := e.do("POST", "/api/v1/widget/ch1/messages", s.VisitorToken, `{"text":"hi"}`); status != http.StatusCreated {
			t.Fatalf("status %d %s", status, b)
		}
	}
	ins := e.sink.Inbounds()
	if ins[0].ExternalID == ins[1].ExternalID || !strings.HasPrefix(ins[0].ExternalID, "w:"+s.VisitorID+":") {
		t.Fatalf("external ids %q %q", ins[0].ExternalID, ins[1].ExternalID)
	}
	if ins[0].ContactName != "" {
		t.Fatalf("name without one given: %q", ins[0].ContactName)
	}
}

func TestPostMessage_RetryWithSameClientIDAnswers200(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	_, first := e.do("POST", "/api/v1/widget/ch1/messages", s.VisitorToken, `{"text":"hi","clientId":"abc"}`)
	status, again := e.do("POST", "/api/v1/widget/ch1/messages", s.VisitorToken, `{"text":"hi","clientId":"abc"}`)
	if status != http.StatusOK {
		t.Fatalf("retry status %d %s", status, again)
	}
	var m1, m2 webchat.Message
	adapterstest.MustUnmarshal(t, first, &m1)
	adapterstest.MustUnmarshal(t, again, &m2)
	if m1.ID != m2.ID || m2.ConversationID == "" || m2.Direction != "in" {
		t.Fatalf("retry answered %+v, first %+v", m2, m1)
	}

	// Another visitor using the same clientId is a different message.
	other := e.session("ch1", "")
	if status, b := e.do("POST", "/api/v1/widget/ch1/messages", other.VisitorToken, `{"text":"hi","clientId":"abc"}`); status != http.StatusCreated {
		t.Fatalf("other visitor, same clientId: %d %s", status, b)
	}
}

func TestPostMessage_RejectsBadInputWithoutDelivering(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	onCh2 := e.session("ch2", "")
	tok := s.VisitorToken
	cases := []struct {
		name, channel, token, body string
		status                     int
		code                       string
	}{
		{"no token", "ch1", "", `{"text":"hi"}`, 401, "visitor_token_invalid"},
		{"bad token", "ch1", "abc.def", `{"text":"hi"}`, 401, "visitor_token_invalid"},
		{"other channel's token", "ch1", onCh2.VisitorToken, `{"text":"hi"}`, 401, "visitor_token_invalid"},
		{"expired token", "ch1", signToken(testSecret, "ch1", s.VisitorID, t0.Add(-time.Minute)), `{"text":"hi"}`, 401, "visitor_token_invalid"},
		{"unknown channel", "nope", tok, `{"text":"hi"}`, 404, "channel_not_found"},
		{"disabled channel", "off", tok, `{"text":"hi"}`, 404, "channel_not_found"},
		{"malformed JSON", "ch1", tok, `{"text":"hi"`, 400, "invalid_json"},
		{"empty body", "ch1", tok, ``, 400, "invalid_json"},
		{"trailing garbage", "ch1", tok, `{"text":"hi"} x`, 400, "invalid_json"},
		{"text not a string", "ch1", tok, `{"text":5}`, 400, "invalid_json"},
		{"clientId not a string", "ch1", tok, `{"text":"hi","clientId":7}`, 400, "invalid_json"},
		{"name not a string", "ch1", tok, `{"text":"hi","name":{}}`, 400, "invalid_json"},
		{"array body", "ch1", tok, `["hi"]`, 400, "invalid_json"},
		{"no text", "ch1", tok, `{}`, 400, "text_required"},
		{"null text", "ch1", tok, `{"text":null}`, 400, "text_required"},
		{"blank text", "ch1", tok, `{"text":" \n\t "}`, 400, "text_required"},
		{"text too long", "ch1", tok, `{"text":"` + strings.Repeat("é", 10001) + `"}`, 400, "text_too_long"},
		{"clientId too long", "ch1", tok, `{"text":"hi","clientId":"` + strings.Repeat("a", 65) + `"}`, 400, "invalid_client_id"},
		{"clientId with space", "ch1", tok, `{"text":"hi","clientId":"a b"}`, 400, "invalid_client_id"},
		{"clientId with slash", "ch1", tok, `{"text":"hi","clientId":"a/b"}`, 400, "invalid_client_id"},
		{"clientId with colon", "ch1", tok, `{"text":"hi","clientId":"a:b"}`, 400, "invalid_client_id"},
		{"name too long", "ch1", tok, `{"text":"hi","name":"` + strings.Repeat("n", 129) + `"}`, 400, "name_too_long"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, b := e.do("POST", "/api/v1/widget/"+c.channel+"/messages", c.token, c.body)
			if status != c.status || adapterstest.ErrorCode(t, b) != c.code {
				t.Fatalf("got %d %s, want %d %s", status, b, c.status, c.code)
			}
		})
	}
	if n := len(e.sink.Inbounds()); n != 0 {
		t.Fatalf("Deliver called %d times for bad input", n)
	}

	// The limits themselves are allowed.
	body := `{"text":"` + strings.Repeat("é", 10000) + `","clientId":"` + strings.Repeat("a", 64) + `"}`
	if status, b := e.do("POST", "/api/v1/widget/ch1/messages", tok, body); status != http.StatusCreated {
		t.Fatalf("text at the limit: %d %s", status, b)
	}
}

func TestPostMessage_DeliverErrorPassesThrough(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	e.sink.SetErr(adapters.Errorf(http.StatusConflict, "contact_blocked", "blocked"))
	status, b := e.do("POST", "/api/v1/widget/ch1/messages", s.VisitorToken, `{"text":"hi"}`)
	if status != http.StatusConflict || adapterstest.ErrorCode(t, b) != "contact_blocked" {
		t.Fatalf("got %d %s", status, b)
	}
	e.sink.SetErr(errors.New("disk full"))
	status, b = e.do("POST", "/api/v1/widget/ch1/messages", s.VisitorToken, `{"text":"hi"}`)
	if status != http.StatusInternalServerError || adapterstest.ErrorCode(t, b) != "internal_error" {
		t.Fatalf("got %d %s", status, b)
	}
}

func TestListMessages_ReturnsHistoryAfterID(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")

	status, b := e.do("GET", "/api/v1/widget/ch1/messages", s.VisitorToken, "")
	if status != http.StatusOK {
		t.Fatalf("status %d %s", status, b)
	}
	adapterstest.JSONEqual(t, b, `{"items":[]}`)

	e.backend.mu.Lock()
	e.backend.history = []webchat.Message{
		{ID: "m2", ConversationID: "c1", Direction: "out", Author: webchat.Author{Type: "agent", Name: "Rosa"},
			Text: "Yes it is", Buttons: []string{"Thanks"}, CreatedAt: t0, Delivery: "delivered"},
		{ID: "m3", ConversationID: "c1", Direction: "in", Author: webchat.Author{Type: "contact"}, Text: "great",
			Attachments: []adapters.Attachment{{URL: "https://x/y.png", ContentType: "image/png"}}, CreatedAt: t0},
	}
	e.backend.mu.Unlock()
	status, b = e.do("GET", "/api/v1/widget/ch1/messages?after=m1", s.VisitorToken, "")
	if status != http.StatusOK {
		t.Fatalf("status %d %s", status, b)
	}
	adapterstest.JSONEqual(t, b, `{"items":[
		{"id":"m2","conversationId":"c1","direction":"out","author":{"type":"agent","name":"Rosa"},"text":"Yes it is",
		 "attachments":[],"buttons":["Thanks"],"createdAt":"2026-11-21T10:00:00Z","delivery":"delivered"},
		{"id":"m3","conversationId":"c1","direction":"in","author":{"type":"contact"},"text":"great",
		 "attachments":[{"url":"https://x/y.png","contentType":"image/png"}],"createdAt":"2026-11-21T10:00:00Z"}]}`)

	e.backend.mu.Lock()
	calls := e.backend.calls
	e.backend.mu.Unlock()
	want := []historyCall{{"ch1", s.VisitorID, ""}, {"ch1", s.VisitorID, "m1"}}
	if !reflect.DeepEqual(calls, want) {
		t.Fatalf("History calls %+v, want %+v", calls, want)
	}

	for _, tok := range []string{"", "x.y"} {
		if status, b := e.do("GET", "/api/v1/widget/ch1/messages", tok, ""); status != 401 || adapterstest.ErrorCode(t, b) != "visitor_token_invalid" {
			t.Fatalf("token %q: %d %s", tok, status, b)
		}
	}
}

func TestWidgetRoutes_AllowCrossOriginCalls(t *testing.T) {
	e := newEnv(t)
	req, _ := http.NewRequest("OPTIONS", e.base+"/api/v1/widget/ch1/messages", nil)
	req.Header.Set("Origin", "https://hotel.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
}
