package hub_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"hub/adapters/partner"
	"hub/adapters/sms"
	"hub/adapters/telegram"
	"hub/adapters/webchat"
	"hub/config"
	"hub/hub"
	"hub/inbox"
	"hub/inbox/sqlitestore"
)

const adminPassword = "correct horse battery"

// testHub is a hub on a real SQLite file, serving on a loopback port.
type testHub struct {
	t     *testing.T
	hub   *hub.Hub
	store inbox.Store
	clock *inbox.ManualClock
	base  string
	demo  *hub.Demo
}

func startHub(t *testing.T) *testHub {
	t.Helper()
	store, err := sqlitestore.Open(filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	clock := inbox.NewManualClock(time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	cfg := config.Default()
	cfg.Addr = ln.Addr().String()
	cfg.PublicURL = base
	cfg.DataDir = t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := hub.New(hub.Options{Config: cfg, Store: store, Logger: log, Clock: clock})
	h.Register(webchat.New(webchat.Config{Secret: []byte("0123456789abcdef0123456789abcdef"), Now: clock.Now, Logger: log}, h, h.WebchatBackend()))
	h.Register(sms.New(sms.Config{PublicURL: base, Logger: log}, h, h.Directory()))
	h.Register(telegram.New(telegram.Config{PublicURL: base, Logger: log, PollTimeout: time.Second, SweepInterval: time.Second}, h, h.Directory()))
	h.Register(partner.New(partner.Config{PublicURL: base, Logger: log}, h, h.Directory()))
	demo, err := hub.Bootstrap(context.Background(), h.Service(), "admin@hotel.test", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("hub.Run: %v", err)
		}
		store.Close()
	})
	return &testHub{t: t, hub: h, store: store, clock: clock, base: base, demo: demo}
}

// response is an HTTP answer with its JSON body decoded loosely.
type response struct {
	status int
	body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
}

// errorCode returns the error code of an error answer.
func (r response) errorCode() string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	_ = json.Unmarshal(r.body, &e)
	return e.Error.Code
}

// do sends a request with an optional bearer token and a body (a string is
// sent as is, anything else as JSON).
func (th *testHub) do(method, path, token string, body any) response {
	th.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			th.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, th.base+path, rd)
	if err != nil {
		th.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		th.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, body: raw}
}

// rawPost sends a request over a bare connection, writing the body in the
// background: a server refusing an oversized body may answer and close
// before reading it all, which a normal client reports as a write error.
func (th *testHub) rawPost(path, token string, body []byte) response {
	th.t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(th.base, "http://"))
	if err != nil {
		th.t.Fatal(err)
	}
	defer conn.Close()
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: %d\r\n", path, len(body))
	if token != "" {
		head += "Authorization: Bearer " + token + "\r\n"
	}
	go func() {
		_, _ = conn.Write(append([]byte(head+"\r\n"), body...))
	}()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		th.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, body: raw}
}

// must is do that insists on a status.
func (th *testHub) must(status int, method, path, token string, body any) response {
	th.t.Helper()
	r := th.do(method, path, token, body)
	if r.status != status {
		th.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, status, r.body)
	}
	return r
}

func (th *testHub) login(email, password string) string {
	th.t.Helper()
	var out struct{ Token string }
	th.must(200, "POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password}).json(th.t, &out)
	return out.Token
}

// addAgent creates an agent in the demo workspace and logs them in.
func (th *testHub) addAgent(adminToken, email, role string) (id, token string) {
	th.t.Helper()
	var a struct{ ID string }
	th.must(201, "POST", "/api/v1/agents", adminToken, map[string]string{"email": email, "name": email, "role": role, "password": adminPassword}).json(th.t, &a)
	return a.ID, th.login(email, adminPassword)
}

// visitor is a web chat customer.
type visitor struct {
	th      *testHub
	channel string
	token   string
}

func (th *testHub) newVisitor(channelID string) *visitor {
	th.t.Helper()
	var s struct{ VisitorToken string }
	th.must(200, "POST", "/api/v1/widget/"+channelID+"/session", "", map[string]string{}).json(th.t, &s)
	return &visitor{th: th, channel: channelID, token: s.VisitorToken}
}

type msgJSON struct {
	ID             string `json:"id"`
	ConversationID string `json:"conversationId"`
	Direction      string `json:"direction"`
	Text           string `json:"text"`
	Private        bool   `json:"private"`
	Author         struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	} `json:"author"`
	Delivery string `json:"delivery"`
}

func (v *visitor) say(text string) msgJSON {
	v.th.t.Helper()
	var m msgJSON
	v.th.must(201, "POST", "/api/v1/widget/"+v.channel+"/messages", v.token, map[string]string{"text": text}).json(v.th.t, &m)
	return m
}

// socket is a WebSocket client reading JSON frames.
type socket struct {
	t    *testing.T
	conn *websocket.Conn
}

func (th *testHub) dial(path string) *socket {
	th.t.Helper()
	url := "ws" + strings.TrimPrefix(th.base, "http") + path
	conn, res, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		status := 0
		if res != nil {
			status = res.StatusCode
		}
		th.t.Fatalf("dial %s: %v (status %d)", path, err, status)
	}
	th.t.Cleanup(func() { conn.Close() })
	s := &socket{t: th.t, conn: conn}
	// A ping answered means the server side is registered for frames;
	// without it, a message published right after the dial could race the
	// server's subscription.
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping"}`)); err != nil {
		th.t.Fatal(err)
	}
	s.next("pong", func(f frame) bool { return f.Type == "pong" })
	return s
}

type frame struct {
	Type         string          `json:"type"`
	Message      *msgJSON        `json:"message"`
	Conversation *convJSON       `json:"conversation"`
	Raw          json.RawMessage `json:"-"`
}

// next returns the next frame matching keep, failing after a generous
// deadline (a hang, not a timing assertion).
func (s *socket) next(what string, keep func(frame) bool) frame {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_ = s.conn.SetReadDeadline(deadline)
		_, raw, err := s.conn.ReadMessage()
		if err != nil {
			s.t.Fatalf("waiting for %s: %v", what, err)
		}
		var f frame
		if err := json.Unmarshal(raw, &f); err != nil {
			s.t.Fatalf("bad frame %s: %v", raw, err)
		}
		f.Raw = raw
		if keep(f) {
			return f
		}
	}
}

type convJSON struct {
	ID            string     `json:"id"`
	Status        string     `json:"status"`
	AssigneeID    string     `json:"assigneeId"`
	TeamID        string     `json:"teamId"`
	AwaitingReply bool       `json:"awaitingReply"`
	ClosedAt      *time.Time `json:"closedAt"`
	SnoozedUntil  *time.Time `json:"snoozedUntil"`
	Version       int64      `json:"version"`
	Contact       struct {
		ID     string `json:"id"`
		Handle string `json:"handle"`
	} `json:"contact"`
	Channel struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"channel"`
	WrapUp *struct {
		Topic  string `json:"topic"`
		Mood   string `json:"mood"`
		Survey bool   `json:"survey"`
	} `json:"wrapUp"`
}

func (th *testHub) conversation(token, id string) convJSON {
	th.t.Helper()
	var c convJSON
	th.must(200, "GET", "/api/v1/conversations/"+id, token, nil).json(th.t, &c)
	return c
}

func (th *testHub) messages(token, convID string) []msgJSON {
	th.t.Helper()
	var out struct{ Items []msgJSON }
	th.must(200, "GET", "/api/v1/conversations/"+convID+"/messages", token, nil).json(th.t, &out)
	return out.Items
}

func (th *testHub) action(token, convID, action string, body any) convJSON {
	th.t.Helper()
	var c convJSON
	th.must(200, "POST", fmt.Sprintf("/api/v1/conversations/%s/%s", convID, action), token, body).json(th.t, &c)
	return c
}
