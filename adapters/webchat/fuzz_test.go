package webchat

// Fuzz targets for everything the widget sends us: WebSocket client frames
// (handled by handleFrame, fuzzed in-process since a socket per input would
// be far too slow, plus one test pushing every seed through a real socket),
// the REST bodies of session and message posts, and the visitor token.
// The seeds run as plain tests in go test ./...; go test -fuzz=FuzzX
// -fuzzminimizetime=100x explores further (with the default, minimising
// each new input grown from the huge seeds takes most of the run).

import (
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
)

const fuzzChannel = "ch1"

var fuzzNow = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

type fuzzBackend struct{ *adapterstest.Directory }

func (fuzzBackend) History(_ context.Context, _, _, _ string) ([]Message, error) { return nil, nil }

// newFuzzAdapter is an adapter on a fixed clock with the abuse limits out
// of the way: the fuzzer sends far more than a person could, and the
// limits have their own tests.
func newFuzzAdapter() (*Adapter, *adapterstest.Sink) {
	sink := &adapterstest.Sink{}
	dir := adapterstest.NewDirectory(adapters.Channel{ID: fuzzChannel, WorkspaceID: "w1", Type: ChannelType, Name: "Site"})
	a := New(Config{
		Secret:                  []byte("fuzz-secret-0123456789"),
		Now:                     func() time.Time { return fuzzNow },
		Logger:                  slog.New(slog.DiscardHandler),
		MaxNewSessionsPerMinute: math.MaxInt32,
		MaxMessagesPerMinute:    math.MaxInt32,
	}, sink, fuzzBackend{dir})
	return a, sink
}

// Codes a refused socket frame may carry. The sink never fails here, so
// internal_error would be a bug.
var socketErrorCodes = map[string]bool{
	"invalid_json": true, "unknown_type": true, "invalid_page": true, "text_required": true,
	"text_too_long": true, "invalid_client_id": true, "name_too_long": true, "rate_limited": true,
}

// frameSeeds are valid and invalid client frames: every type, wrong
// types, unicode, huge and deeply nested values, broken JSON.
func frameSeeds() []string {
	deep := strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000)
	tooDeep := strings.Repeat(`[`, 20000) + strings.Repeat(`]`, 20000)
	return []string{
		`{"type":"message","text":"Late check-out?","clientId":"k1","name":"Ana"}`,
		`{"type":"message","text":"  hi \n"}`,
		`{"type":"message","text":"★★★★","clientId":"rate-1"}`,
		`{"type":"message","text":"4/5"}`,
		`{"type":"message","text":"مرحبا 👋🏽 こんにちは","name":"Zoë 🇫🇷"}`,
		`{"type":"message","text":"\u0000\u202e\ufeff"}`,
		`{"type":"message","text":"\ud800"}`,
		// Found by FuzzSocketFrame: a line break (any control character)
		// was kept in the visitor's name.
		`{"type":"message","text":"i","name":"n\nn"}`,
		`{"type":"message","text":"\u200b\u200d\ufeff \u2060"}`,
		// Under the URL limit as sent, over it once parsing re-escapes it.
		`{"type":"page","url":"https://hotel.example/` + strings.Repeat("é", 1000) + `"}`,
		"{\"type\":\"message\",\"text\":\"\xff\xfe\"}",
		`{"type":"message","text":"` + strings.Repeat("é", defaultMaxTextChars) + `"}`,
		`{"type":"message","text":"` + strings.Repeat("x", defaultMaxTextChars+1) + `"}`,
		`{"type":"message","text":"` + strings.Repeat(`\ud83d\ude00`, 50) + `"}`,
		`{"type":"message","text":"hi","clientId":"` + strings.Repeat("a", maxClientIDLen+1) + `"}`,
		`{"type":"message","text":"hi","clientId":"a b"}`,
		`{"type":"message","text":"hi","name":"` + strings.Repeat("n", maxNameChars+1) + `"}`,
		`{"type":"message","text":""}`, `{"type":"message"}`, `{"type":"message","text":null}`,
		`{"type":"message","text":5}`, `{"type":"message","text":["hi"]}`, `{"type":"message","text":{"a":[[[1]]]}}`,
		`{"type":"message","text":"hi","clientId":7}`, `{"type":"message","text":"a","text":"b"}`,
		`{"type":"message","text":"hi","extra":` + deep + `}`, tooDeep,
		`{"TYPE":"message","TEXT":"case-insensitive keys"}`,
		`{"type":"ping"}`, `{"type":"PING"}`, `{"type":"ping","text":"x"}`,
		`{"type":"page","url":"https://hotel.example/rooms?x=1#top","title":"Rooms"}`,
		`{"type":"page","url":"https://user:pass@hotel.example/","title":"a\u0000b\nc"}`,
		`{"type":"page","url":"https://hotel.example/","title":"` + strings.Repeat("т", 400) + `"}`,
		`{"type":"page","url":"https://hotel.example/a b%zz"}`,
		`{"type":"page","url":"javascript:alert(1)"}`, `{"type":"page","url":"http://[::1"}`,
		`{"type":"page","url":"/relative"}`, `{"type":"page"}`, `{"type":"page","url":42}`,
		`{"type":"page","url":"https://x/` + strings.Repeat("p", maxPageURLLen) + `"}`,
		`{"type":"typing"}`, `{"type":"read","messageId":"m1"}`, `{"type":"rating","score":5}`,
		`{"type":""}`, `{"type":5}`, `{"type":null}`, `{}`, `null`, `[]`, `"message"`, `42`, `true`,
		``, ` `, `{`, `{"type":"ping"} {"type":"ping"}`, `{"type":"ping"}garbage`, "\ufeff{\"type\":\"ping\"}",
		`{"type":"message","text":1e999}`,
	}
}

// sentFrames returns the data frames written to cl's fake socket.
func sentFrames(cl *client) [][]byte { return cl.conn.(*fakeConn).frames() }

// serverFrame is any frame the server sends, decoded: Message for
// message and ack frames, Text for error frames.
type serverFrame struct {
	Type, Code, ClientID, Text string
	Message                    *Message
	RawMsg                     json.RawMessage
}

func parseServerFrame(t testing.TB, data []byte) (f serverFrame) {
	t.Helper()
	var raw struct {
		Type     string          `json:"type"`
		Code     string          `json:"code"`
		Message  json.RawMessage `json:"message"`
		ClientID string          `json:"clientId"`
	}
	adapterstest.MustUnmarshal(t, data, &raw)
	f = serverFrame{Type: raw.Type, Code: raw.Code, ClientID: raw.ClientID, RawMsg: raw.Message}
	if raw.Type == "error" {
		adapterstest.MustUnmarshal(t, raw.Message, &f.Text)
	} else if len(raw.Message) > 0 {
		f.Message = new(Message)
		adapterstest.MustUnmarshal(t, raw.Message, f.Message)
	}
	return f
}

// checkFrameAnswer asserts the properties of one handled client frame:
// at most one answer; an error frame has a stable code and delivered
// nothing; an ack delivered exactly the visitor's trimmed, valid message
// and was echoed to the visitor's other tab; a pong and a page frame
// delivered nothing.
func checkFrameAnswer(t testing.TB, a *Adapter, in []byte, answers, echoes [][]byte, delivered []adapters.Inbound) {
	t.Helper()
	var loose struct {
		Type     string `json:"type"`
		ClientID string `json:"clientId"`
	}
	validJSON := json.Unmarshal(in, &loose) == nil
	if len(answers) > 1 {
		t.Fatalf("frame %.200q: %d answers", in, len(answers))
	}
	if len(answers) == 0 {
		if !validJSON || loose.Type != "page" || len(delivered) != 0 || len(echoes) != 0 {
			t.Fatalf("frame %.200q: no answer (delivered %d, echoes %d)", in, len(delivered), len(echoes))
		}
		v := a.Visitors(fuzzChannel)
		if len(v) != 1 {
			t.Fatalf("page frame %.200q: visitors %+v", in, v)
		}
		u, err := url.Parse(v[0].Page)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || len(v[0].Page) > maxPageURLLen {
			t.Fatalf("page frame %.200q kept page %q", in, v[0].Page)
		}
		if utf8.RuneCountInString(v[0].Title) > maxTitleChars || strings.IndexFunc(v[0].Title, unicode.IsControl) >= 0 {
			t.Fatalf("page frame %.200q kept title %q", in, v[0].Title)
		}
		return
	}
	f := parseServerFrame(t, answers[0])
	switch f.Type {
	case "error":
		if !socketErrorCodes[f.Code] || f.Text == "" {
			t.Fatalf("frame %.200q: error frame %s", in, answers[0])
		}
		if len(delivered) != 0 || len(echoes) != 0 {
			t.Fatalf("frame %.200q refused (%s) but delivered %d, echoed %d", in, f.Code, len(delivered), len(echoes))
		}
	case "pong":
		if !validJSON || loose.Type != "ping" || len(delivered) != 0 || len(echoes) != 0 {
			t.Fatalf("frame %.200q answered pong (delivered %d)", in, len(delivered))
		}
	case "ack":
		if !validJSON || loose.Type != "message" || f.ClientID != loose.ClientID || len(delivered) != 1 {
			t.Fatalf("frame %.200q acked as %s, delivered %d", in, answers[0], len(delivered))
		}
		got := delivered[0]
		if strings.IndexFunc(got.ContactName, unicode.IsControl) >= 0 || strings.IndexFunc(got.Text, fuzzVisible) < 0 {
			t.Fatalf("frame %.200q delivered name %q, text %q", in, got.ContactName, got.Text)
		}
		if got.Text == "" || got.Text != strings.TrimSpace(got.Text) || !utf8.ValidString(got.Text) ||
			utf8.RuneCountInString(got.Text) > a.cfg.MaxTextChars || got.Text != f.Message.Text ||
			!strings.HasPrefix(got.ExternalID, "w:v1:") || got.ContactHandle != "v1" || got.ChannelID != fuzzChannel {
			t.Fatalf("frame %.200q delivered %+v, acked %+v", in, got, f.Message)
		}
		if len(echoes) != 1 {
			t.Fatalf("frame %.200q: %d echoes to the other tab", in, len(echoes))
		}
		if e := parseServerFrame(t, echoes[0]); e.Type != "message" || string(e.RawMsg) != string(f.RawMsg) {
			t.Fatalf("frame %.200q echoed as %s", in, echoes[0])
		}
	default:
		t.Fatalf("frame %.200q answered %s", in, answers[0])
	}
}

// fuzzVisible tells a character a person sees from blanks, controls and
// invisible format characters (zero-width space, byte order mark, ...).
func fuzzVisible(r rune) bool {
	return !unicode.IsSpace(r) && !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r)
}

// handleOne runs data through handleFrame on a fresh adapter with the
// visitor's two tabs open and returns what each tab got and the sink saw.
func handleOne(t testing.TB, data []byte) (a *Adapter, answers, echoes [][]byte, delivered []adapters.Inbound) {
	t.Helper()
	a, sink := newFuzzAdapter()
	v := visitor{channelID: fuzzChannel, visitorID: "v1"}
	tab, other := newClient(v, &fakeConn{}), newClient(v, &fakeConn{})
	if !a.register(tab) || !a.register(other) {
		t.Fatal("register refused")
	}
	a.handleFrame(tab, data)
	for _, cl := range []*client{tab, other} {
		if cl.stopped.Load() {
			t.Fatalf("frame %.200q stopped a socket (code %d)", data, cl.closeCode)
		}
	}
	return a, sentFrames(tab), sentFrames(other), sink.Inbounds()
}

// FuzzSocketFrame feeds arbitrary client frames to handleFrame: never a
// panic, never a dropped socket, every refusal an error frame with a
// stable code, and a refused frame delivers nothing.
func FuzzSocketFrame(f *testing.F) {
	for _, s := range frameSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, answers, echoes, delivered := handleOne(t, data)
		checkFrameAnswer(t, a, data, answers, echoes, delivered)
	})
}

// restEnv serves the widget's REST routes in memory (app.Test), shared by
// a fuzz target's inputs: a fiber app per input would dominate the run.
type restEnv struct {
	a     *Adapter
	sink  *adapterstest.Sink
	app   *fiber.App
	token string // visitor v1's valid token
}

func newRESTEnv() *restEnv {
	a, sink := newFuzzAdapter()
	return &restEnv{a: a, sink: sink, app: adapterstest.NewApp(a), token: a.issueToken(fuzzChannel, "v1", fuzzNow.Add(time.Hour))}
}

func (e *restEnv) post(t testing.TB, path, token string, body []byte) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, b := adapterstest.Do(t, e.app, req)
	return res.StatusCode, b
}

// checkRefusal asserts a 4xx in the error shape with a code.
func checkRefusal(t testing.TB, in []byte, status int, body []byte) {
	t.Helper()
	if status < 400 || status >= 500 {
		t.Fatalf("body %.200q: status %d %s", in, status, body)
	}
	if adapterstest.ErrorCode(t, body) == "" {
		t.Fatalf("body %.200q: %d without an error code: %s", in, status, body)
	}
}

// bodySeeds are REST bodies around the message and session shapes.
func bodySeeds(validToken string) []string {
	return append([]string{
		`{"text":"Is breakfast included?","clientId":"c-1_A","name":" Ana "}`,
		`{"visitorToken":"` + validToken + `"}`, `{"visitorToken":"` + validToken + `","name":"Ana"}`,
		`{"visitorToken":42}`, `{"visitorToken":null}`, `{"visitorToken":"x.y"}`, `{"visitorToken":["a"]}`,
		`{"text":"hi","visitorToken":"` + validToken + `"} trailing`,
		strings.Repeat(" ", 1<<16), `{"text":"` + strings.Repeat("ü", 1<<16) + `"}`,
	}, frameSeeds()...)
}

// FuzzRESTPostMessage posts arbitrary bodies as visitor v1: never a panic
// or 5xx; 200/201 delivered exactly one message, anything else is a 4xx
// that delivered nothing.
func FuzzRESTPostMessage(f *testing.F) {
	e := newRESTEnv()
	for _, s := range bodySeeds(e.token) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		before := len(e.sink.Inbounds())
		status, resp := e.post(t, "/api/v1/widget/"+fuzzChannel+"/messages", e.token, body)
		delivered := e.sink.Inbounds()[before:]
		if status != http.StatusCreated && status != http.StatusOK {
			checkRefusal(t, body, status, resp)
			if len(delivered) != 0 {
				t.Fatalf("body %.200q refused (%d) but delivered %d", body, status, len(delivered))
			}
			return
		}
		var m Message
		adapterstest.MustUnmarshal(t, resp, &m)
		if len(delivered) != 1 || m.Direction != "in" || m.Text == "" || m.Text != delivered[0].Text ||
			m.Text != strings.TrimSpace(m.Text) || utf8.RuneCountInString(m.Text) > e.a.cfg.MaxTextChars {
			t.Fatalf("body %.200q: %d %s, delivered %+v", body, status, resp, delivered)
		}
	})
}

// FuzzRESTSession posts arbitrary session bodies: never a panic or 5xx;
// 200 carries a token that verifies, for the same visitor when the body
// held a valid token; anything else is a 4xx. Nothing is delivered.
func FuzzRESTSession(f *testing.F) {
	e := newRESTEnv()
	for _, s := range bodySeeds(e.token) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		status, resp := e.post(t, "/api/v1/widget/"+fuzzChannel+"/session", "", body)
		if n := len(e.sink.Inbounds()); n != 0 {
			t.Fatalf("a session delivered %d messages", n)
		}
		if status != http.StatusOK {
			checkRefusal(t, body, status, resp)
			return
		}
		var s sessionResponse
		adapterstest.MustUnmarshal(t, resp, &s)
		v, ok := e.a.verifyToken(s.VisitorToken, fuzzChannel)
		if !ok || v.visitorID != s.VisitorID || !s.ExpiresAt.After(fuzzNow) {
			t.Fatalf("body %.200q: issued %s", body, resp)
		}
		var sent struct{ VisitorToken string }
		if json.Unmarshal(body, &sent) == nil {
			if old, ok := e.a.verifyToken(sent.VisitorToken, fuzzChannel); ok && old.visitorID != s.VisitorID {
				t.Fatalf("body %.200q: valid token of %s renewed as %s", body, old.visitorID, s.VisitorID)
			}
		}
	})
}

// FuzzVisitorToken parses arbitrary Authorization headers and tokens: a
// token is accepted only when we signed it for this channel and it has not
// expired.
func FuzzVisitorToken(f *testing.F) {
	a, _ := newFuzzAdapter()
	valid := a.issueToken(fuzzChannel, "v1", fuzzNow.Add(time.Hour))
	for _, s := range []string{
		"Bearer " + valid, "bearer   " + valid + "  ", valid, "Basic " + valid, "Bearer", "", "Bearer .",
		"Bearer " + a.issueToken("ch2", "v1", fuzzNow.Add(time.Hour)),
		"Bearer " + a.issueToken(fuzzChannel, "v1", fuzzNow),
		"Bearer " + a.issueToken(fuzzChannel, "a|b", fuzzNow.Add(time.Hour)),
		"Bearer " + a.issueToken(fuzzChannel, "", fuzzNow.Add(time.Hour)),
		"Bearer " + valid + "=", "Bearer " + strings.Replace(valid, ".", "..", 1), "Bearer %%%.%%%", "Bearer a.b.c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		tok := bearerToken(header)
		if tok != strings.TrimSpace(tok) {
			t.Fatalf("bearerToken(%q) = %q, not trimmed", header, tok)
		}
		v, ok := a.verifyToken(tok, fuzzChannel)
		if !ok {
			return
		}
		if v.channelID != fuzzChannel || v.visitorID == "" || !fuzzNow.Before(v.expiresAt) {
			t.Fatalf("token %q accepted as %+v", tok, v)
		}
		if again, ok := a.verifyToken(a.issueToken(v.channelID, v.visitorID, v.expiresAt), fuzzChannel); !ok || again != v {
			t.Fatalf("token %q accepted as %+v, but its reissue gives %+v %v", tok, v, again, ok)
		}
	})
}
