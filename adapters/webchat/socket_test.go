package webchat_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
	"hub/adapters/webchat"
)

// dial opens a widget socket; on a refused handshake it returns the
// response (status and JSON body) with the error.
func (e *env) dial(channel, token string) (*websocket.Conn, int, []byte, error) {
	e.t.Helper()
	u := "ws" + strings.TrimPrefix(e.base, "http") + "/ws/widget?channelId=" + url.QueryEscape(channel) + "&token=" + url.QueryEscape(token)
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	conn, resp, err := d.Dial(u, nil)
	if err != nil {
		if resp == nil {
			return nil, 0, nil, err
		}
		b, _ := io.ReadAll(resp.Body)
		return nil, resp.StatusCode, b, err
	}
	e.t.Cleanup(func() { _ = conn.Close() })
	return conn, resp.StatusCode, nil, nil
}

// connect opens a socket for a new or given visitor and waits until the
// adapter has registered it.
func (e *env) connect(channel string, s sessionBody) *websocket.Conn {
	e.t.Helper()
	before := e.a.Connected(channel, s.VisitorID)
	conn, status, body, err := e.dial(channel, s.VisitorToken)
	if err != nil {
		e.t.Fatalf("dial: %v (%d %s)", err, status, body)
	}
	adapterstest.Eventually(e.t, "socket registered", func() bool { return e.a.Connected(channel, s.VisitorID) == before+1 })
	return conn
}

type wsFrame struct {
	Type     string          `json:"type"`
	ClientID string          `json:"clientId"`
	Code     string          `json:"code"`
	Message  json.RawMessage `json:"message"`
}

func readFrame(t *testing.T, conn *websocket.Conn) (wsFrame, []byte) {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	mt, data, err := conn.ReadMessage()
	if err != nil {
		t.Fatalf("read frame: %v", err)
	}
	if mt != websocket.TextMessage {
		t.Fatalf("frame type %d", mt)
	}
	var f wsFrame
	adapterstest.MustUnmarshal(t, data, &f)
	return f, data
}

func writeFrame(t *testing.T, conn *websocket.Conn, frame string) {
	t.Helper()
	if err := conn.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
		t.Fatalf("write frame: %v", err)
	}
}

func outbound(visitorID, text string) adapters.Outbound {
	return adapters.Outbound{
		MessageID:      "m9",
		ConversationID: "conv-" + visitorID,
		Channel:        adapters.Channel{ID: "ch1", Type: "webchat"},
		ContactHandle:  visitorID,
		AuthorType:     "agent",
		AuthorName:     "Rosa",
		Text:           text,
		Buttons:        []string{"Yes", "No"},
		CreatedAt:      t0,
	}
}

func TestSocket_SendReachesConnectedVisitor(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	conn := e.connect("ch1", s)

	res, err := e.a.Send(context.Background(), outbound(s.VisitorID, "Your room is ready"))
	if err != nil || !res.Delivered {
		t.Fatalf("Send = %+v, %v", res, err)
	}
	_, data := readFrame(t, conn)
	adapterstest.JSONEqual(t, data, `{"type":"message","message":{"id":"m9","conversationId":"conv-`+s.VisitorID+`",
		"direction":"out","author":{"type":"agent","name":"Rosa"},"text":"Your room is ready","attachments":[],
		"buttons":["Yes","No"],"createdAt":"2026-11-21T10:00:00Z"}}`)
}

func TestSocket_SendReachesEveryTabOfTheVisitorOnly(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	tab1 := e.connect("ch1", s)
	tab2 := e.connect("ch1", s)
	stranger := e.session("ch1", "")
	strangerConn := e.connect("ch1", stranger)
	if n := e.a.Connected("ch1", s.VisitorID); n != 2 {
		t.Fatalf("Connected = %d, want 2", n)
	}

	res, err := e.a.Send(context.Background(), outbound(s.VisitorID, "hello"))
	if err != nil || !res.Delivered {
		t.Fatalf("Send = %+v, %v", res, err)
	}
	for i, conn := range []*websocket.Conn{tab1, tab2} {
		f, _ := readFrame(t, conn)
		var m webchat.Message
		adapterstest.MustUnmarshal(t, f.Message, &m)
		if f.Type != "message" || m.ID != "m9" || m.Text != "hello" {
			t.Fatalf("tab %d got %+v", i+1, f)
		}
	}
	// The stranger's next frame is the answer to its own ping.
	writeFrame(t, strangerConn, `{"type":"ping"}`)
	if f, _ := readFrame(t, strangerConn); f.Type != "pong" {
		t.Fatalf("stranger got %+v", f)
	}
}

func TestSocket_VisitorMessageIsStoredAckedAndShownInOtherTabs(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	tab1 := e.connect("ch1", s)
	tab2 := e.connect("ch1", s)

	writeFrame(t, tab1, `{"type":"message","text":"Late check-out?","clientId":"k1","name":"Ana"}`)
	ack, data := readFrame(t, tab1)
	adapterstest.JSONEqual(t, data, `{"type":"ack","clientId":"k1","message":{"id":"m1","conversationId":"c-`+s.VisitorID+`",
		"direction":"in","author":{"type":"contact","name":"Ana"},"text":"Late check-out?","attachments":[],
		"createdAt":"2026-11-21T10:00:00Z"}}`)
	want := adapters.Inbound{
		ChannelID: "ch1", ExternalID: "w:" + s.VisitorID + ":k1", ContactHandle: s.VisitorID,
		ContactName: "Ana", Text: "Late check-out?", ReceivedAt: t0,
	}
	if ins := e.sink.Inbounds(); len(ins) != 1 || !reflect.DeepEqual(ins[0], want) {
		t.Fatalf("Inbounds %+v, want %+v", ins, want)
	}
	echo, _ := readFrame(t, tab2)
	if echo.Type != "message" || string(echo.Message) != string(ack.Message) {
		t.Fatalf("other tab got %+v", echo)
	}

	// A retry is acked with the stored message and not shown again.
	writeFrame(t, tab1, `{"type":"message","text":"Late check-out?","clientId":"k1"}`)
	again, _ := readFrame(t, tab1)
	var m webchat.Message
	adapterstest.MustUnmarshal(t, again.Message, &m)
	if again.Type != "ack" || again.ClientID != "k1" || m.ID != "m1" {
		t.Fatalf("retry answered %+v", again)
	}
	writeFrame(t, tab2, `{"type":"ping"}`)
	if f, _ := readFrame(t, tab2); f.Type != "pong" {
		t.Fatalf("retry was echoed to the other tab: %+v", f)
	}

	// A message sent over REST shows in every open tab.
	if status, b := e.do("POST", "/api/v1/widget/ch1/messages", s.VisitorToken, `{"text":"from rest"}`); status != http.StatusCreated {
		t.Fatalf("REST post: %d %s", status, b)
	}
	for _, conn := range []*websocket.Conn{tab1, tab2} {
		f, _ := readFrame(t, conn)
		adapterstest.MustUnmarshal(t, f.Message, &m)
		if f.Type != "message" || m.Text != "from rest" || m.Direction != "in" {
			t.Fatalf("REST message not shown: %+v", f)
		}
	}
}

func TestSocket_BadFramesGetErrorFramesAndSocketStaysOpen(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	conn := e.connect("ch1", s)
	cases := []struct{ frame, code, clientID string }{
		{`{"type":"message"`, "invalid_json", ""},
		{`{"type":"message","text":5}`, "invalid_json", ""},
		{`{"type":"dance"}`, "unknown_type", ""},
		{`{"type":"message","text":"  ","clientId":"k2"}`, "text_required", "k2"},
		{`{"type":"message","text":"` + strings.Repeat("x", 10001) + `","clientId":"k3"}`, "text_too_long", "k3"},
		{`{"type":"message","text":"hi","clientId":"no spaces"}`, "invalid_client_id", "no spaces"},
	}
	for _, c := range cases {
		writeFrame(t, conn, c.frame)
		f, data := readFrame(t, conn)
		if f.Type != "error" || f.Code != c.code || f.ClientID != c.clientID || len(f.Message) == 0 {
			t.Fatalf("frame %.60s answered %s", c.frame, data)
		}
	}
	if n := len(e.sink.Inbounds()); n != 0 {
		t.Fatalf("Deliver called %d times", n)
	}

	e.sink.SetErr(adapters.Errorf(http.StatusConflict, "contact_blocked", "blocked"))
	writeFrame(t, conn, `{"type":"message","text":"hi","clientId":"k4"}`)
	if f, _ := readFrame(t, conn); f.Type != "error" || f.Code != "contact_blocked" || f.ClientID != "k4" {
		t.Fatalf("sink error answered %+v", f)
	}
	e.sink.SetErr(errors.New("disk full"))
	writeFrame(t, conn, `{"type":"message","text":"hi","clientId":"k5"}`)
	if f, _ := readFrame(t, conn); f.Type != "error" || f.Code != "internal_error" || f.ClientID != "k5" {
		t.Fatalf("sink error answered %+v", f)
	}

	writeFrame(t, conn, `{"type":"ping"}`)
	if f, data := readFrame(t, conn); f.Type != "pong" {
		t.Fatalf("ping answered %s", data)
	}
	if n := e.a.Connected("ch1", s.VisitorID); n != 1 {
		t.Fatalf("Connected = %d after errors", n)
	}
}

func TestSocket_RefusedBeforeUpgrade(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	onCh2 := e.session("ch2", "")
	cases := []struct {
		name, channel, token string
		status               int
		code                 string
	}{
		{"no token", "ch1", "", 401, "visitor_token_invalid"},
		{"forged token", "ch1", signToken([]byte("nope"), "ch1", s.VisitorID, t0.Add(time.Hour)), 401, "visitor_token_invalid"},
		{"other channel's token", "ch1", onCh2.VisitorToken, 401, "visitor_token_invalid"},
		{"unknown channel", "nope", s.VisitorToken, 404, "channel_not_found"},
		{"no channel", "", s.VisitorToken, 404, "channel_not_found"},
		{"disabled channel", "off", s.VisitorToken, 404, "channel_not_found"},
		{"not a web chat channel", "sms1", s.VisitorToken, 404, "channel_not_found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn, status, body, err := e.dial(c.channel, c.token)
			if err == nil {
				conn.Close()
				t.Fatal("upgraded")
			}
			if status != c.status || adapterstest.ErrorCode(t, body) != c.code {
				t.Fatalf("got %d %s, want %d %s", status, body, c.status, c.code)
			}
		})
	}

	status, body := e.do("GET", "/ws/widget?channelId=ch1&token="+url.QueryEscape(s.VisitorToken), "", "")
	if status != http.StatusUpgradeRequired || adapterstest.ErrorCode(t, body) != "upgrade_required" {
		t.Fatalf("plain GET: %d %s", status, body)
	}
	if n := e.a.Connected("ch1", s.VisitorID); n != 0 {
		t.Fatalf("Connected = %d", n)
	}
}

func TestSocket_ChannelIDWithSeparatorWorks(t *testing.T) {
	e := newEnv(t)
	vid := "0123456789abcdef0123456789abcdef"
	tok := signToken(testSecret, "a|b|c", vid, t0.Add(time.Hour))
	conn := e.connect("a|b|c", sessionBody{VisitorToken: tok, VisitorID: vid})
	out := outbound(vid, "hi")
	out.Channel.ID = "a|b|c"
	if res, err := e.a.Send(context.Background(), out); err != nil || !res.Delivered {
		t.Fatalf("Send = %+v, %v", res, err)
	}
	if f, _ := readFrame(t, conn); f.Type != "message" {
		t.Fatalf("got %+v", f)
	}
}

func TestSocket_ClosedSocketIsForgottenAndSendNotDelivered(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	conn := e.connect("ch1", s)
	_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bye"), time.Now().Add(time.Second))
	_ = conn.Close()
	adapterstest.Eventually(t, "socket forgotten", func() bool { return e.a.Connected("ch1", s.VisitorID) == 0 })

	res, err := e.a.Send(context.Background(), outbound(s.VisitorID, "are you there?"))
	if err != nil || res.Delivered {
		t.Fatalf("Send = %+v, %v; want not delivered, no error", res, err)
	}

	// Dropping the TCP connection without a close frame is noticed too.
	conn = e.connect("ch1", s)
	_ = conn.NetConn().Close()
	adapterstest.Eventually(t, "dead socket forgotten", func() bool { return e.a.Connected("ch1", s.VisitorID) == 0 })
}

func TestSend_WithoutSocketOrVisitor(t *testing.T) {
	e := newEnv(t)
	res, err := e.a.Send(context.Background(), outbound("nobody", "hi"))
	if err != nil || res != (adapters.SendResult{}) {
		t.Fatalf("Send = %+v, %v", res, err)
	}
	if _, err := e.a.Send(context.Background(), outbound("", "hi")); !adapters.IsPermanent(err) {
		t.Fatalf("Send without visitor: %v, want a permanent error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.a.Send(ctx, outbound("nobody", "hi")); !errors.Is(err, context.Canceled) {
		t.Fatalf("Send with cancelled ctx: %v", err)
	}
}

func TestRun_CancelClosesSocketsAndRefusesNewOnes(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	conns := []*websocket.Conn{e.connect("ch1", s), e.connect("ch1", s)}

	e.stop()
	for _, conn := range conns {
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, _, err := conn.ReadMessage()
		if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
			t.Fatalf("read after shutdown: %v, want close 1001", err)
		}
	}
	select {
	case err := <-e.runDone:
		if err != nil {
			t.Fatalf("Run returned %v", err)
		}
		e.runDone <- nil // for the cleanup
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
	}
	if n := e.a.Connected("ch1", s.VisitorID); n != 0 {
		t.Fatalf("Connected = %d after shutdown", n)
	}
	if _, status, body, err := e.dial("ch1", s.VisitorToken); err == nil || status != http.StatusServiceUnavailable {
		t.Fatalf("dial after shutdown: %v %d %s", err, status, body)
	}
}

func TestAdapter_TypeAndCapabilities(t *testing.T) {
	a := webchat.New(webchat.Config{Logger: slog.New(slog.DiscardHandler)}, &adapterstest.Sink{}, &fakeBackend{})
	if a.Type() != "webchat" {
		t.Fatal(a.Type())
	}
	want := adapters.Capabilities{MaxTextLen: 10000, Media: true, Buttons: true}
	if got := a.Capabilities(); got != want {
		t.Fatalf("Capabilities = %+v", got)
	}
	var _ adapters.Adapter = a
	var _ adapters.WebhookReceiver = a
	var _ adapters.Runner = a
}
