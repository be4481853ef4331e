package telegram

import (
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"hub/adapters"
)

const textUpdate = `{"update_id":1001,"message":{"message_id":5,"date":1763719200,
	"from":{"id":777,"is_bot":false,"first_name":"Anna","last_name":"Schmidt","username":"anna_s"},
	"chat":{"id":777,"type":"private","first_name":"Anna"},"text":"Is breakfast included?"}}`

func TestWebhook_WrongOrMissingSecretIs403AndDeliversNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub)
	for name, secret := range map[string]string{
		"missing": "", "wrong": "not-the-secret", "prefix": testSecret[:5], "longer": testSecret + "x",
	} {
		status, body := e.post("tg1", secret, textUpdate)
		if status != http.StatusForbidden || !strings.Contains(body, "secret_invalid") {
			t.Errorf("%s secret: got %d %s, want 403 secret_invalid", name, status, body)
		}
	}
	if n := e.sink.attemptCount(); n != 0 {
		t.Fatalf("%d updates delivered without a valid secret", n)
	}
}

func TestWebhook_UnknownChannelIs404(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub)
	e.dir.Put(adapters.Channel{ID: "sms1", Type: "sms", Config: map[string]string{keyWebhookSecret: testSecret}})
	for _, id := range []string{"nope", "sms1"} {
		status, body := e.post(id, testSecret, textUpdate)
		if status != http.StatusNotFound || !strings.Contains(body, "channel_not_found") {
			t.Errorf("channel %s: got %d %s, want 404 channel_not_found", id, status, body)
		}
	}
}

func TestWebhook_DisabledChannelIs403(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub)
	ch := e.channel("off", testToken)
	ch.Disabled = true
	e.dir.Put(ch)
	status, body := e.post("off", testSecret, textUpdate)
	if status != http.StatusForbidden || !strings.Contains(body, "channel_disabled") {
		t.Fatalf("got %d %s, want 403 channel_disabled", status, body)
	}
	if e.sink.attemptCount() != 0 {
		t.Fatal("delivered on a disabled channel")
	}
}

func TestWebhook_MalformedJSONIs400(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub)
	for _, body := range []string{`{"update_id":`, `not json`, `{"update_id":"12"}`, `{"message":{"text":"hi"}}`} {
		status, resp := e.post("tg1", testSecret, body)
		if status != http.StatusBadRequest || !strings.Contains(resp, "invalid_json") {
			t.Errorf("body %s: got %d %s, want 400 invalid_json", body, status, resp)
		}
	}
	if e.sink.attemptCount() != 0 {
		t.Fatal("a malformed update was delivered")
	}
}

func TestWebhook_TextMessageDelivered(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub)
	status, body := e.post("tg1", testSecret, textUpdate)
	if status != http.StatusOK {
		t.Fatalf("got %d %s", status, body)
	}
	got := e.sink.all()
	want := []adapters.Inbound{{
		ChannelID: "tg1", ExternalID: "1001", ContactHandle: "777", ContactName: "Anna Schmidt",
		Text: "Is breakfast included?", ReceivedAt: time.Unix(1763719200, 0).UTC(),
	}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("delivered %+v\nwant %+v", got, want)
	}
	if strings.Contains(e.logs.String(), "breakfast") {
		t.Fatal("message text was logged")
	}
}

func TestWebhook_PhotoWithCaptionTakesLargestSize(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub)
	status, _ := e.post("tg1", testSecret, `{"update_id":1002,"message":{"message_id":6,"date":1763719200,
		"from":{"id":777,"first_name":"","username":"anna_s"},"chat":{"id":777,"type":"private"},
		"photo":[{"file_id":"small","file_unique_id":"a","width":90,"height":90,"file_size":1200},
		         {"file_id":"medium","file_unique_id":"b","width":320,"height":320,"file_size":15000},
		         {"file_id":"large","file_unique_id":"c","width":1280,"height":1280,"file_size":180000}],
		"caption":"Stain on the carpet, room 12"}}`)
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	got := e.sink.all()
	if len(got) != 1 {
		t.Fatalf("delivered %d", len(got))
	}
	in := got[0]
	if in.Text != "Stain on the carpet, room 12" || in.ContactName != "@anna_s" {
		t.Fatalf("text %q name %q", in.Text, in.ContactName)
	}
	want := []adapters.Attachment{{URL: "large", ContentType: "image/jpeg", Name: "photo.jpg", Size: 180000, Proxied: true}}
	if !reflect.DeepEqual(in.Attachments, want) {
		t.Fatalf("attachments %+v, want %+v", in.Attachments, want)
	}
}

func TestWebhook_DocumentDelivered(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub)
	status, _ := e.post("tg1", testSecret, `{"update_id":1003,"message":{"message_id":7,"date":1763719200,
		"from":{"id":777,"first_name":"Anna"},"chat":{"id":777,"type":"private"},
		"document":{"file_id":"doc-1","file_unique_id":"d","file_name":"booking.pdf","mime_type":"application/pdf","file_size":52000}}}`)
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	in := e.sink.all()[0]
	want := []adapters.Attachment{{URL: "doc-1", ContentType: "application/pdf", Name: "booking.pdf", Size: 52000, Proxied: true}}
	if in.Text != "" || !reflect.DeepEqual(in.Attachments, want) {
		t.Fatalf("got text %q attachments %+v", in.Text, in.Attachments)
	}
}

func TestWebhook_OtherKindsGetBracketedText(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub)
	cases := []struct{ content, text string }{
		{`"sticker":{"file_id":"st","emoji":"👍"}`, "[sticker 👍]"},
		{`"location":{"latitude":48.8584,"longitude":2.2945}`, "[location: 48.858400, 2.294500]"},
		{`"voice":{"file_id":"v1","duration":3,"mime_type":"audio/ogg","file_size":4000}`, "[voice message]"},
		{`"contact":{"phone_number":"+33123456789","first_name":"Paul"}`, "[contact: Paul +33123456789]"},
		{`"game":{"title":"x"}`, "[unsupported message]"},
	}
	for i, c := range cases {
		id := 2000 + i
		body := `{"update_id":` + strconv.Itoa(id) + `,"message":{"message_id":1,"date":1763719200,"from":{"id":9,"first_name":"Bo"},"chat":{"id":9,"type":"private"},` + c.content + `}}`
		if status, resp := e.post("tg1", testSecret, body); status != http.StatusOK {
			t.Fatalf("%s: %d %s", c.text, status, resp)
		}
	}
	got := e.sink.all()
	if len(got) != len(cases) {
		t.Fatalf("delivered %d of %d", len(got), len(cases))
	}
	for i, c := range cases {
		if got[i].Text != c.text {
			t.Errorf("text %q, want %q", got[i].Text, c.text)
		}
	}
	if v := got[2].Attachments; len(v) != 1 || v[0].URL != "v1" || v[0].ContentType != "audio/ogg" || !v[0].Proxied {
		t.Errorf("voice attachment %+v", v)
	}
}

func TestWebhook_CallbackQueryDeliveredThenAnswered(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub)
	e.sink.onStore = func(adapters.Inbound) {
		if n := len(e.api.callsTo("answerCallbackQuery")); n != 0 {
			t.Error("callback answered before the hub stored it")
		}
	}
	status, _ := e.post("tg1", testSecret, `{"update_id":1004,"callback_query":{"id":"cbq-99",
		"from":{"id":777,"first_name":"Anna"},"chat_instance":"x","data":"Late checkout",
		"message":{"message_id":50,"date":1763719100,"chat":{"id":-100555,"type":"supergroup"}}}}`)
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	got := e.sink.all()
	if len(got) != 1 || got[0].Text != "Late checkout" || got[0].ContactHandle != "-100555" ||
		got[0].ExternalID != "1004" || got[0].ContactName != "Anna" {
		t.Fatalf("delivered %+v", got)
	}
	answers := e.api.callsTo("answerCallbackQuery")
	if len(answers) != 1 || answers[0].Params.Get("callback_query_id") != "cbq-99" || answers[0].Token != testToken {
		t.Fatalf("answerCallbackQuery calls %+v", answers)
	}
}

func TestWebhook_IgnoredUpdateIs200WithoutDelivery(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub)
	for _, body := range []string{
		`{"update_id":1005,"edited_message":{"message_id":5,"date":1,"chat":{"id":777,"type":"private"},"text":"edit"}}`,
		`{"update_id":1006,"my_chat_member":{"chat":{"id":777}}}`,
		`{"update_id":1007,"message":{"message_id":8,"date":1,"chat":{"id":-5,"type":"group"},"new_chat_members":[{"id":1}]}}`,
	} {
		if status, resp := e.post("tg1", testSecret, body); status != http.StatusOK {
			t.Errorf("%s: got %d %s, want 200", body, status, resp)
		}
	}
	if n := e.sink.attemptCount(); n != 0 {
		t.Fatalf("%d ignored updates delivered", n)
	}
}

func TestWebhook_SinkPlainErrorIs500(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub)
	e.sink.fail = func(adapters.Inbound, int) error { return errors.New("database is locked") }
	status, body := e.post("tg1", testSecret, textUpdate)
	if status != http.StatusInternalServerError || strings.Contains(body, "database") {
		t.Fatalf("got %d %s, want 500 without the internal error", status, body)
	}
}

func TestWebhook_SinkHTTPErrorPassesThrough(t *testing.T) {
	t.Parallel()
	e := newEnv(t, httpsHub)
	e.sink.fail = func(adapters.Inbound, int) error {
		return adapters.Errorf(http.StatusRequestEntityTooLarge, "text_too_long", "too long")
	}
	status, body := e.post("tg1", testSecret, textUpdate)
	if status != http.StatusRequestEntityTooLarge || !strings.Contains(body, "text_too_long") {
		t.Fatalf("got %d %s", status, body)
	}
}
