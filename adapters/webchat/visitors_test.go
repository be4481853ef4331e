package webchat_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"hub/adapters/internal/adapterstest"
	"hub/adapters/webchat"
)

// reportPage sends a page frame and returns the frames the adapter
// answered before the pong of a following ping (frames are handled in
// order, so the page is recorded by then).
func reportPage(t *testing.T, conn *websocket.Conn, url, title string) []wsFrame {
	t.Helper()
	b, err := json.Marshal(map[string]string{"type": "page", "url": url, "title": title})
	if err != nil {
		t.Fatal(err)
	}
	writeFrame(t, conn, string(b))
	writeFrame(t, conn, `{"type":"ping"}`)
	var got []wsFrame
	for {
		f, _ := readFrame(t, conn)
		if f.Type == "pong" {
			return got
		}
		got = append(got, f)
	}
}

// hangUp closes a socket the way a browser leaving the page does and waits
// until the adapter has let it go.
func (e *env) hangUp(conn *websocket.Conn, channel, visitorID string) {
	e.t.Helper()
	before := e.a.Connected(channel, visitorID)
	_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, ""), time.Now().Add(time.Second))
	_ = conn.Close()
	adapterstest.Eventually(e.t, "socket forgotten", func() bool { return e.a.Connected(channel, visitorID) == before-1 })
}

func onlyVisitor(t *testing.T, e *env, channel string) webchat.VisitorInfo {
	t.Helper()
	list := e.a.Visitors(channel)
	if len(list) != 1 {
		t.Fatalf("Visitors(%s) = %+v, want one", channel, list)
	}
	return list[0]
}

func TestVisitors_PageFramesShowWhereTheVisitorIs(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	conn := e.connect("ch1", s)

	v := onlyVisitor(t, e, "ch1")
	if v.VisitorID != s.VisitorID || v.ChannelID != "ch1" || v.Page != "" || !v.ConnectedAt.Equal(t0) || v.Tabs != 1 {
		t.Fatalf("before any page frame: %+v", v)
	}

	e.clock.Advance(2 * time.Second)
	if got := reportPage(t, conn, "https://hotel.example/rooms?lang=fr", "  Our rooms\n"); len(got) != 0 {
		t.Fatalf("page frame answered with %+v, want nothing", got)
	}
	want := webchat.VisitorInfo{
		ChannelID: "ch1", VisitorID: s.VisitorID, Page: "https://hotel.example/rooms?lang=fr", Title: "Our rooms",
		ConnectedAt: t0, OnPageSince: t0.Add(2 * time.Second), LastSeen: t0.Add(2 * time.Second), Tabs: 1,
	}
	if v := onlyVisitor(t, e, "ch1"); v != want {
		t.Fatalf("after the page frame:\n got %+v\nwant %+v", v, want)
	}

	// A new title on the same page keeps "on page since"; a new address moves it.
	e.clock.Advance(time.Minute)
	reportPage(t, conn, "https://hotel.example/rooms?lang=fr", "Our rooms (2)")
	v = onlyVisitor(t, e, "ch1")
	if v.Title != "Our rooms (2)" || !v.OnPageSince.Equal(t0.Add(2*time.Second)) || !v.LastSeen.Equal(t0.Add(62*time.Second)) {
		t.Fatalf("after a title change: %+v", v)
	}
	e.clock.Advance(time.Minute)
	reportPage(t, conn, "https://hotel.example/breakfast", "Breakfast")
	v = onlyVisitor(t, e, "ch1")
	if v.Page != "https://hotel.example/breakfast" || !v.OnPageSince.Equal(t0.Add(122*time.Second)) || !v.ConnectedAt.Equal(t0) {
		t.Fatalf("after moving on: %+v", v)
	}
}

func TestVisitors_LeaveTheListWithTheirLastSocket(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	tab1 := e.connect("ch1", s)
	e.clock.Advance(time.Second)
	tab2 := e.connect("ch1", s)
	reportPage(t, tab1, "https://hotel.example/", "Home")
	e.clock.Advance(time.Second)
	reportPage(t, tab2, "https://hotel.example/rooms", "Rooms")

	v := onlyVisitor(t, e, "ch1")
	if v.Tabs != 2 || v.Page != "https://hotel.example/rooms" || !v.ConnectedAt.Equal(t0) {
		t.Fatalf("with two tabs: %+v, want the page reported last and the first tab's arrival", v)
	}
	// Coming back to the first tab makes its page the visitor's.
	e.clock.Advance(time.Second)
	reportPage(t, tab1, "https://hotel.example/", "Home")
	if v := onlyVisitor(t, e, "ch1"); v.Page != "https://hotel.example/" || !v.OnPageSince.Equal(t0.Add(time.Second)) {
		t.Fatalf("after tab 1 came back to the front: %+v", v)
	}

	e.hangUp(tab1, "ch1", s.VisitorID)
	if v := onlyVisitor(t, e, "ch1"); v.Tabs != 1 || v.Page != "https://hotel.example/rooms" || !v.ConnectedAt.Equal(t0) {
		t.Fatalf("after closing tab 1: %+v", v)
	}
	e.hangUp(tab2, "ch1", s.VisitorID)
	if list := e.a.Visitors("ch1"); len(list) != 0 {
		t.Fatalf("after closing both tabs: %+v, want nobody", list)
	}
}

func TestVisitors_BackWithinAMomentKeepTheirArrivalTime(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	conn := e.connect("ch1", s)
	reportPage(t, conn, "https://hotel.example/rooms", "Rooms")

	// The next page of a site without client-side routing: a new socket.
	e.hangUp(conn, "ch1", s.VisitorID)
	e.clock.Advance(3 * time.Second)
	conn = e.connect("ch1", s)
	reportPage(t, conn, "https://hotel.example/rooms", "Rooms")
	if v := onlyVisitor(t, e, "ch1"); !v.ConnectedAt.Equal(t0) || !v.OnPageSince.Equal(t0) {
		t.Fatalf("back on the same page after 3 s: %+v, want arrival and page time kept", v)
	}
	e.hangUp(conn, "ch1", s.VisitorID)
	e.clock.Advance(3 * time.Second)
	conn = e.connect("ch1", s)
	reportPage(t, conn, "https://hotel.example/breakfast", "Breakfast")
	if v := onlyVisitor(t, e, "ch1"); !v.ConnectedAt.Equal(t0) || !v.OnPageSince.Equal(t0.Add(6*time.Second)) {
		t.Fatalf("on another page after 3 s: %+v, want arrival kept and a new page time", v)
	}

	// Gone for longer: a new visit.
	e.hangUp(conn, "ch1", s.VisitorID)
	e.clock.Advance(10 * time.Minute)
	conn = e.connect("ch1", s)
	reportPage(t, conn, "https://hotel.example/breakfast", "Breakfast")
	if v := onlyVisitor(t, e, "ch1"); !v.ConnectedAt.Equal(t0.Add(606*time.Second)) || !v.OnPageSince.Equal(v.ConnectedAt) {
		t.Fatalf("back after 10 minutes: %+v, want a new arrival", v)
	}
}

func TestVisitors_ListedOnTheirChannelOnly(t *testing.T) {
	e := newEnv(t)
	a := e.session("ch1", "")
	b := e.session("ch2", "")
	reportPage(t, e.connect("ch1", a), "https://hotel.example/", "Hotel")
	e.clock.Advance(time.Second)
	reportPage(t, e.connect("ch2", b), "https://shop.example/", "Shop")
	c := e.session("ch1", "")
	e.connect("ch1", c)

	list := e.a.Visitors("ch1")
	if len(list) != 2 || list[0].VisitorID != a.VisitorID || list[1].VisitorID != c.VisitorID {
		t.Fatalf("ch1 visitors = %+v, want %s then %s (arrival order)", list, a.VisitorID, c.VisitorID)
	}
	if v := onlyVisitor(t, e, "ch2"); v.VisitorID != b.VisitorID || v.Page != "https://shop.example/" {
		t.Fatalf("ch2 visitors: %+v", v)
	}
	if list := e.a.Visitors("other-ws"); len(list) != 0 {
		t.Fatalf("a channel nobody is on: %+v", list)
	}
}

func TestVisitors_InvalidPageFramesAreRefused(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	conn := e.connect("ch1", s)
	for _, bad := range []string{"", "/rooms", "javascript:alert(1)", "ftp://hotel.example/", "https://hotel.example/" + strings.Repeat("a", 2048), "http://[::1"} {
		got := reportPage(t, conn, bad, "x")
		if len(got) != 1 || got[0].Type != "error" || got[0].Code != "invalid_page" {
			t.Errorf("page %.40q: frames %+v, want one invalid_page error", bad, got)
		}
	}
	if v := onlyVisitor(t, e, "ch1"); v.Page != "" {
		t.Fatalf("after refused pages: %+v, want no page", v)
	}

	// Credentials in the address are dropped; titles are cleaned and cut.
	reportPage(t, conn, "https://guest:secret@hotel.example/booking?id=7#pay", "Book\tnow\x00"+strings.Repeat("é", 400))
	v := onlyVisitor(t, e, "ch1")
	if v.Page != "https://hotel.example/booking?id=7#pay" {
		t.Errorf("page = %q, want the address without user:password", v.Page)
	}
	if want := "Book now " + strings.Repeat("é", 291); v.Title != want {
		t.Errorf("title = %q, want %q", v.Title, want)
	}
}

// recorder is a slog handler that keeps every record, attributes rendered.
type recorder struct {
	mu      sync.Mutex
	records []string
	levels  []slog.Level
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs(as []slog.Attr) slog.Handler {
	return &attrHandler{r: r, attrs: as}
}
func (r *recorder) WithGroup(string) slog.Handler { return r }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	return r.add(rec, nil)
}

func (r *recorder) add(rec slog.Record, extra []slog.Attr) error {
	var b strings.Builder
	b.WriteString(rec.Message)
	for _, a := range extra {
		b.WriteString(" " + a.String())
	}
	rec.Attrs(func(a slog.Attr) bool { b.WriteString(" " + a.String()); return true })
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, b.String())
	r.levels = append(r.levels, rec.Level)
	return nil
}

type attrHandler struct {
	r     *recorder
	attrs []slog.Attr
}

func (h *attrHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *attrHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &attrHandler{r: h.r, attrs: append(append([]slog.Attr(nil), h.attrs...), as...)}
}
func (h *attrHandler) WithGroup(string) slog.Handler { return h }
func (h *attrHandler) Handle(_ context.Context, rec slog.Record) error {
	return h.r.add(rec, h.attrs)
}

func TestVisitors_PageAddressesAreNotLoggedAboveDebug(t *testing.T) {
	rec := &recorder{}
	e := newEnvLogging(t, slog.New(rec))
	s := e.session("ch1", "")
	conn := e.connect("ch1", s)
	const secret = "guest-email-42"
	reportPage(t, conn, "https://hotel.example/booking?email="+secret, "Booking")
	e.hangUp(conn, "ch1", s.VisitorID)

	rec.mu.Lock()
	defer rec.mu.Unlock()
	seen := false
	for i, r := range rec.records {
		if strings.Contains(r, secret) {
			seen = true
			if rec.levels[i] > slog.LevelDebug {
				t.Errorf("logged at %s: %s", rec.levels[i], r)
			}
		}
	}
	if !seen {
		t.Error("the page view was not logged at debug level either: is the recorder wired?")
	}
}

func TestVisitors_ProactiveMessageReachesAVisitorWhoNeverWrote(t *testing.T) {
	e := newEnv(t)
	s := e.session("ch1", "")
	conn := e.connect("ch1", s)
	reportPage(t, conn, "https://hotel.example/rooms", "Rooms")

	// An agent picks the visitor from the list and writes first.
	v := onlyVisitor(t, e, "ch1")
	res, err := e.a.Send(context.Background(), outbound(v.VisitorID, "Can I help you choose a room?"))
	if err != nil || !res.Delivered {
		t.Fatalf("Send = %+v, %v; want delivered", res, err)
	}
	f, data := readFrame(t, conn)
	if f.Type != "message" || !strings.Contains(string(data), `"text":"Can I help you choose a room?"`) || !strings.Contains(string(data), `"direction":"out"`) {
		t.Fatalf("frame %s, want the agent's message", data)
	}
	if n := len(e.sink.Inbounds()); n != 0 {
		t.Fatalf("%d inbound messages, want none: the visitor has not written", n)
	}
	// Their page is still known after the message.
	if v := onlyVisitor(t, e, "ch1"); v.Page != "https://hotel.example/rooms" {
		t.Fatalf("after the message: %+v", v)
	}
}
