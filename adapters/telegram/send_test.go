package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"hub/adapters"
)

func (e *env) outbound(text string) adapters.Outbound {
	return adapters.Outbound{
		MessageID: "msg-1", ConversationID: "conv-1", Channel: e.channel("tg1", testToken),
		ContactHandle: "777", AuthorType: "agent", AuthorName: "Eva", Text: text, Attempt: 1,
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// longText is n bytes of words with a newline now and then.
func longText(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		if i%37 == 36 {
			b.WriteString("end of paragraph.\n")
		} else {
			b.WriteString("lorem ipsum ")
		}
	}
	return b.String()[:n]
}

func TestSend_SplitsLongTextAtSpacesAndNewlinesOneSecondApart(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	if e.a.partGap != time.Second {
		t.Fatalf("default wait between parts %v, want 1s", e.a.partGap)
	}
	text := longText(10000)
	res, err := e.a.Send(context.Background(), e.outbound(text))
	if err != nil {
		t.Fatal(err)
	}
	calls := e.api.callsTo("sendMessage")
	if len(calls) != 3 {
		t.Fatalf("%d parts, want 3", len(calls))
	}
	rest := text
	for i, c := range calls {
		part := c.Params.Get("text")
		if c.Params.Get("chat_id") != "777" {
			t.Fatalf("chat_id %q", c.Params.Get("chat_id"))
		}
		if n := utf16Len(part); n > maxTextUnits || n == 0 {
			t.Fatalf("part %d is %d units", i, n)
		}
		if !strings.HasPrefix(rest, part) {
			t.Fatalf("part %d is not the next piece of the text", i)
		}
		rest = rest[len(part):]
		if i < len(calls)-1 {
			if rest[0] != ' ' && rest[0] != '\n' {
				t.Fatalf("part %d was cut inside a word: ...%q|%q", i, part[len(part)-10:], rest[:10])
			}
			rest = rest[1:]
			if gap := calls[i+1].At.Sub(c.At); gap < time.Second {
				t.Fatalf("only %v between parts %d and %d", gap, i, i+1)
			}
		}
	}
	if rest != "" {
		t.Fatalf("%d bytes of text not sent", len(rest))
	}
	if res.ExternalID != "103" {
		t.Fatalf("ExternalID %q, want the last part's message_id 103", res.ExternalID)
	}
}

func TestSend_ButtonsBecomeInlineKeyboard(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	out := e.outbound("Anything else?")
	long := strings.Repeat("é", 40) // 80 bytes
	out.Buttons = []string{"Yes", "Talk to a person", long}
	if _, err := e.a.Send(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	calls := e.api.callsTo("sendMessage")
	if len(calls) != 1 {
		t.Fatalf("%d messages", len(calls))
	}
	var markup struct {
		InlineKeyboard [][]struct {
			Text         string `json:"text"`
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(calls[0].Params.Get("reply_markup")), &markup); err != nil {
		t.Fatalf("reply_markup %q: %v", calls[0].Params.Get("reply_markup"), err)
	}
	rows := markup.InlineKeyboard
	if len(rows) != 3 || len(rows[0]) != 1 || len(rows[1]) != 1 || len(rows[2]) != 1 {
		t.Fatalf("keyboard %+v, want one button per row", rows)
	}
	if rows[1][0].Text != "Talk to a person" || rows[1][0].CallbackData != "Talk to a person" {
		t.Fatalf("row 2 %+v", rows[1][0])
	}
	if rows[2][0].Text != long || rows[2][0].CallbackData != strings.Repeat("é", 32) {
		t.Fatalf("long label: callback_data %q (%d bytes), want 64 bytes on a rune boundary", rows[2][0].CallbackData, len(rows[2][0].CallbackData))
	}
}

func TestSend_PhotoWithCaption(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	out := e.outbound("Here is the map to the spa")
	out.Buttons = []string{"Thanks"}
	out.Attachments = []adapters.Attachment{{URL: "https://cdn.example.com/spa-map.png", ContentType: "image/png"}}
	res, err := e.a.Send(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	if m := e.api.methods(); len(m) != 1 || m[0] != "sendPhoto" {
		t.Fatalf("calls %v, want one sendPhoto", m)
	}
	p := e.api.callsTo("sendPhoto")[0].Params
	if p.Get("photo") != "https://cdn.example.com/spa-map.png" || p.Get("caption") != "Here is the map to the spa" ||
		!contains(p.Get("reply_markup"), `"callback_data":"Thanks"`) {
		t.Fatalf("sendPhoto params %v", p)
	}
	if res.ExternalID == "" {
		t.Fatal("no ExternalID")
	}
}

func TestSend_LongTextThenDocumentAndProxiedLeftOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	e.a.partGap = 10 * time.Millisecond
	out := e.outbound(strings.Repeat("word ", 300)) // 1500 units: too long for a caption
	out.Attachments = []adapters.Attachment{
		{URL: "https://cdn.example.com/invoice.pdf", ContentType: "application/pdf"},
		{URL: "AgACAgIAAxkBAAI", Proxied: true},
		{URL: "/api/v1/uploads/x.png", ContentType: "image/png"},
	}
	if _, err := e.a.Send(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	if m := e.api.methods(); strings.Join(m, ",") != "sendMessage,sendDocument" {
		t.Fatalf("calls %v", m)
	}
	if doc := e.api.callsTo("sendDocument")[0].Params; doc.Get("document") != "https://cdn.example.com/invoice.pdf" || doc.Has("caption") {
		t.Fatalf("sendDocument params %v", doc)
	}
}

func TestSend_ErrorsAreClassified(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		reply     reply
		permanent bool
		retry     time.Duration
		contains  string
	}{
		{"429", errReply(429, "Too Many Requests: retry after 2", 2), false, 2 * time.Second, "Too Many Requests"},
		{"403", errReply(403, "Forbidden: bot was blocked by the user", 0), true, 0, "the customer blocked the bot"},
		{"400", errReply(400, "Bad Request: chat not found", 0), true, 0, "chat not found"},
		{"500", errReply(500, "Internal Server Error", 0), false, 0, "500"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, httpHub)
			e.api.queue("sendMessage", c.reply)
			_, err := e.a.Send(context.Background(), e.outbound("hello"))
			if err == nil {
				t.Fatal("no error")
			}
			if adapters.IsPermanent(err) != c.permanent {
				t.Fatalf("permanent = %v, want %v (%v)", !c.permanent, c.permanent, err)
			}
			after, ok := adapters.RetryAfter(err)
			if ok != (c.retry > 0) || after != c.retry {
				t.Fatalf("retry after %v %v, want %v", after, ok, c.retry)
			}
			if !contains(err.Error(), c.contains) || contains(err.Error(), testToken) {
				t.Fatalf("error %q", err)
			}
		})
	}
}

func TestSend_RefusedTokenIsPermanent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	e.api.queue("getMe", errReply(401, "Unauthorized", 0))
	_, err := e.a.Send(context.Background(), e.outbound("hello"))
	if !adapters.IsPermanent(err) || !contains(err.Error(), errTokenRefused) || contains(err.Error(), testToken) {
		t.Fatalf("error %v", err)
	}
}

func TestSend_NetworkErrorIsTransientAndHidesToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	if _, err := e.a.Send(context.Background(), e.outbound("warm the cache")); err != nil {
		t.Fatal(err)
	}
	e.api.srv.CloseClientConnections()
	e.api.srv.Listener.Close() // the API is gone; the BotAPI stays cached
	_, err := e.a.Send(context.Background(), e.outbound("hello"))
	if err == nil || adapters.IsPermanent(err) {
		t.Fatalf("error %v, want a transient one", err)
	}
	if contains(err.Error(), testToken) || !contains(err.Error(), "<token>") {
		t.Fatalf("error %q: the token must be replaced", err)
	}
	var ue *url.Error // nothing reachable by errors.As may hold the token either
	if errors.As(err, &ue) && contains(ue.URL, testToken) {
		t.Fatalf("the wrapped *url.Error still has the token: %q", ue.URL)
	}
}

func TestSend_RetryResumesAfterPartsAlreadySent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	e.a.partGap = 10 * time.Millisecond
	e.api.queue("sendMessage", okReply(`{"message_id":501,"date":1,"chat":{"id":777}}`), errReply(429, "Too Many Requests: retry after 1", 1))
	out := e.outbound(longText(6000)) // two parts
	if _, err := e.a.Send(context.Background(), out); err == nil {
		t.Fatal("the 429 on part 2 did not fail the send")
	}
	out.Attempt = 2
	res, err := e.a.Send(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	calls := e.api.callsTo("sendMessage")
	if len(calls) != 3 || calls[2].Params.Get("text") != calls[1].Params.Get("text") {
		t.Fatalf("%d sendMessage calls: want part 1, part 2 (429), part 2 again", len(calls))
	}
	if res.ExternalID != "101" {
		t.Fatalf("ExternalID %q", res.ExternalID)
	}
}

func TestSend_BadHandleIsPermanent(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpHub)
	out := e.outbound("hi")
	out.ContactHandle = "visitor-abc"
	if _, err := e.a.Send(context.Background(), out); !adapters.IsPermanent(err) {
		t.Fatalf("error %v", err)
	}
	if n := len(e.api.methods()); n != 0 {
		t.Fatalf("%d calls for an impossible chat id", n)
	}
}
