package webchat

import (
	"context"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"

	"hub/adapters/internal/adapterstest"
)

// TestSocketFrameSeeds_ThroughARealSocket sends every FuzzSocketFrame seed
// over one real WebSocket, so the in-process fuzzing speaks for the socket:
// each seed gets the answer handleFrame gives (same frame type and code),
// the socket stays open through all of them, a binary frame gets an error
// frame, and only a frame over the read limit closes the socket, with 1009
// as documented.
func TestSocketFrameSeeds_ThroughARealSocket(t *testing.T) {
	a, sink := newFuzzAdapter()
	app := adapterstest.NewApp(a)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	ctx, cancel := context.WithCancel(context.Background())
	runDone := make(chan error, 1)
	go func() { runDone <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-runDone
		_ = app.ShutdownWithTimeout(2 * time.Second)
	})

	tok := a.issueToken(fuzzChannel, "v1", fuzzNow.Add(time.Hour))
	u := "ws://" + ln.Addr().String() + "/ws/widget?channelId=" + fuzzChannel + "&token=" + url.QueryEscape(tok)
	conn, _, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	adapterstest.Eventually(t, "socket registered", func() bool { return a.Connected(fuzzChannel, "v1") == 1 })

	// answers writes one frame, then a marker frame (a blank message with a
	// unique clientId, refused without delivering), and returns what came
	// before the marker's error frame.
	marker := 0
	answers := func(mt int, data []byte) []serverFrame {
		t.Helper()
		marker++
		id := "sync" + strconv.Itoa(marker)
		if err := conn.WriteMessage(mt, data); err != nil {
			t.Fatalf("write %.80q: %v", data, err)
		}
		if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"message","text":" ","clientId":"`+id+`"}`)); err != nil {
			t.Fatalf("write marker: %v", err)
		}
		var got []serverFrame
		for {
			_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, raw, err := conn.ReadMessage()
			if err != nil {
				t.Fatalf("after %.80q: %v", data, err)
			}
			f := parseServerFrame(t, raw)
			if f.Type == "error" && f.ClientID == id {
				return got
			}
			got = append(got, f)
		}
	}

	acks := 0
	for _, seed := range frameSeeds() {
		_, want, _, _ := handleOne(t, []byte(seed))
		got := answers(websocket.TextMessage, []byte(seed))
		if len(got) != len(want) {
			t.Fatalf("frame %.80q: %d answers over the socket, %d in-process", seed, len(got), len(want))
		}
		if len(want) == 1 {
			w := parseServerFrame(t, want[0])
			if got[0].Type != w.Type || got[0].Code != w.Code {
				t.Fatalf("frame %.80q: socket answered %s %s, handleFrame %s %s", seed, got[0].Type, got[0].Code, w.Type, w.Code)
			}
			if w.Type == "ack" {
				acks++
			}
		}
	}
	if n := len(sink.Inbounds()); acks == 0 || n != acks {
		t.Fatalf("%d messages delivered for %d acks", n, acks)
	}

	got := answers(websocket.BinaryMessage, []byte(`{"type":"ping"}`))
	if len(got) != 1 || got[0].Type != "error" || got[0].Code != "invalid_json" {
		t.Fatalf("binary frame answered %+v", got)
	}
	if n := a.Connected(fuzzChannel, "v1"); n != 1 {
		t.Fatalf("Connected = %d after every seed", n)
	}

	huge := `{"type":"message","text":"` + strings.Repeat("x", int(a.frameLimit())) + `"}`
	if err := conn.WriteMessage(websocket.TextMessage, []byte(huge)); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, _, err := conn.ReadMessage(); !websocket.IsCloseError(err, websocket.CloseMessageTooBig) {
		t.Fatalf("frame over the limit: %v, want close 1009", err)
	}
	adapterstest.Eventually(t, "socket forgotten", func() bool { return a.Connected(fuzzChannel, "v1") == 0 })
}
