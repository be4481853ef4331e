package hub_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	twilioSID   = "AC0123456789abcdef0123456789abcdef"
	twilioToken = "authtoken12345"
)

func smsSetup(t *testing.T) (*testHub, string, *fakeTwilio, channelJSON) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	tw := newFakeTwilio(t, twilioSID, twilioToken)
	ch := th.createChannel(admin, "sms", false, map[string]string{
		"accountSid": twilioSID, "authToken": twilioToken, "from": "+33100000000", "apiBaseUrl": tw.srv.URL, "mps": "50",
	})
	return th, admin, tw, ch
}

func inboundSMS(sid, from, body string) url.Values {
	return url.Values{"MessageSid": {sid}, "AccountSid": {twilioSID}, "From": {from}, "To": {"+33100000000"}, "Body": {body}, "NumMedia": {"0"}}
}

func TestSMS_ForgedSignatureStoresNothingAndRetriesAreOneMessage(t *testing.T) {
	th, admin, _, ch := smsSetup(t)
	hook := "/hooks/sms/" + ch.ID

	if r := th.twilioPost(hook, twilioToken, inboundSMS("SM1", "+33611111111", "forged"), true); r.status != 403 {
		t.Fatalf("forged signature: %d %s", r.status, r.body)
	}
	if _, ok := th.conversationOf(admin, ch.ID, "+33611111111"); ok {
		t.Fatal("a forged webhook created a conversation")
	}
	for range 2 {
		if r := th.twilioPost(hook, twilioToken, inboundSMS("SM2", "+33611111111", "Is breakfast included?"), false); r.status != 200 {
			t.Fatalf("signed webhook: %d %s", r.status, r.body)
		}
	}
	conv, ok := th.conversationOf(admin, ch.ID, "+33611111111")
	if !ok {
		t.Fatal("no conversation for the SMS")
	}
	msgs := th.messages(admin, conv.ID)
	if len(msgs) != 1 || msgs[0].Text != "Is breakfast included?" {
		t.Fatalf("want one message, got %+v", msgs)
	}
	if conv.Channel.Type != "sms" {
		t.Errorf("conversation channel = %+v", conv.Channel)
	}
}

func TestSMS_ReplyGoesToTwilioAndStatusOnlyMovesForward(t *testing.T) {
	th, admin, tw, ch := smsSetup(t)
	th.twilioPost("/hooks/sms/"+ch.ID, twilioToken, inboundSMS("SM10", "+33622222222", "Late check-out?"), false)
	conv, _ := th.conversationOf(admin, ch.ID, "+33622222222")

	var reply msgJSON
	th.must(201, "POST", "/api/v1/conversations/"+conv.ID+"/messages", admin, map[string]any{"text": "Yes, until 1 pm."}).json(t, &reply)
	eventually(t, "the reply at the fake Twilio", 10*time.Second, func() bool { return len(tw.messages()) == 1 })
	got := tw.messages()[0]
	if got.Get("To") != "+33622222222" || got.Get("From") != "+33100000000" || got.Get("Body") != "Yes, until 1 pm." {
		t.Fatalf("Twilio got %v", got)
	}
	callback := got.Get("StatusCallback")
	if !strings.HasPrefix(callback, th.base+"/hooks/sms/"+ch.ID+"/status") {
		t.Fatalf("StatusCallback = %q", callback)
	}
	eventually(t, "the reply marked sent", 5*time.Second, func() bool { return th.messageByID(admin, conv.ID, reply.ID).Delivery == "sent" })

	// Callbacks out of order: delivered first, then a late "sent".
	path := strings.TrimPrefix(callback, th.base)
	for _, status := range []string{"delivered", "sent"} {
		form := url.Values{"MessageSid": {"SM00000000000000000000000000000001"}, "AccountSid": {twilioSID}, "MessageStatus": {status}}
		if r := th.twilioPost(path, twilioToken, form, false); r.status != 200 {
			t.Fatalf("status %s: %d %s", status, r.status, r.body)
		}
	}
	if d := th.messageByID(admin, conv.ID, reply.ID).Delivery; d != "delivered" {
		t.Fatalf("delivery = %q, want delivered", d)
	}
	form := url.Values{"MessageSid": {"SM00000000000000000000000000000001"}, "AccountSid": {twilioSID}, "MessageStatus": {"sent"}}
	if r := th.twilioPost(path, twilioToken, form, true); r.status != 403 {
		t.Fatalf("forged status callback: %d", r.status)
	}
}

func TestSMS_FailedStatusShowsTheErrorToAgents(t *testing.T) {
	th, admin, tw, ch := smsSetup(t)
	th.twilioPost("/hooks/sms/"+ch.ID, twilioToken, inboundSMS("SM20", "+33633333333", "hello"), false)
	conv, _ := th.conversationOf(admin, ch.ID, "+33633333333")
	var reply msgJSON
	th.must(201, "POST", "/api/v1/conversations/"+conv.ID+"/messages", admin, map[string]any{"text": "Hi!"}).json(t, &reply)
	eventually(t, "the send", 10*time.Second, func() bool { return len(tw.messages()) == 1 })
	path := strings.TrimPrefix(tw.messages()[0].Get("StatusCallback"), th.base)
	form := url.Values{"MessageSid": {"SM00000000000000000000000000000001"}, "AccountSid": {twilioSID}, "MessageStatus": {"undelivered"}, "ErrorCode": {"30003"}}
	eventually(t, "sent recorded", 5*time.Second, func() bool { return th.messageByID(admin, conv.ID, reply.ID).Delivery == "sent" })
	th.twilioPost(path, twilioToken, form, false)
	m := th.messageByID(admin, conv.ID, reply.ID)
	if m.Delivery != "failed" || !strings.Contains(m.DeliveryError, "30003") {
		t.Fatalf("message = %+v", m)
	}
}

func TestSMS_StopBlocksRepliesUntilStart(t *testing.T) {
	th, admin, tw, ch := smsSetup(t)
	hook := "/hooks/sms/" + ch.ID
	th.twilioPost(hook, twilioToken, inboundSMS("SM30", "+33644444444", "Where do I park?"), false)
	conv, _ := th.conversationOf(admin, ch.ID, "+33644444444")
	th.twilioPost(hook, twilioToken, inboundSMS("SM31", "+33644444444", "STOP"), false)

	r := th.do("POST", "/api/v1/conversations/"+conv.ID+"/messages", admin, map[string]any{"text": "In the garage."})
	if r.status != 409 || r.errorCode() != "contact_opted_out" {
		t.Fatalf("reply after STOP: %d %s", r.status, r.body)
	}
	var sawNote bool
	for _, m := range th.messages(admin, conv.ID) {
		sawNote = sawNote || (m.Author.Type == "system" && m.Private && strings.Contains(m.Text, "STOP"))
	}
	if !sawNote {
		t.Error("agents are not told the customer opted out")
	}
	th.twilioPost(hook, twilioToken, inboundSMS("SM32", "+33644444444", "START"), false)
	th.must(201, "POST", "/api/v1/conversations/"+conv.ID+"/messages", admin, map[string]any{"text": "In the garage."})
	eventually(t, "the reply after START", 10*time.Second, func() bool { return len(tw.messages()) == 1 })
}

func TestSMS_MMSMediaOpensThroughTheHub(t *testing.T) {
	th, admin, _, ch := smsSetup(t)
	form := inboundSMS("SM40", "+33655555555", "my car plate")
	form.Set("NumMedia", "1")
	form.Set("MediaUrl0", th.twilioMediaURL(ch, "ME1"))
	form.Set("MediaContentType0", "image/jpeg")
	if r := th.twilioPost("/hooks/sms/"+ch.ID, twilioToken, form, false); r.status != 200 {
		t.Fatalf("mms: %d %s", r.status, r.body)
	}
	conv, _ := th.conversationOf(admin, ch.ID, "+33655555555")
	var out struct {
		Items []struct {
			Attachments []struct{ URL, ContentType string } `json:"attachments"`
		}
	}
	th.must(200, "GET", "/api/v1/conversations/"+conv.ID+"/messages", admin, nil).json(t, &out)
	if len(out.Items) != 1 || len(out.Items[0].Attachments) != 1 {
		t.Fatalf("messages: %+v", out)
	}
	link := out.Items[0].Attachments[0].URL
	if !strings.HasPrefix(link, "/api/v1/conversations/"+conv.ID+"/") {
		t.Fatalf("attachment link %q does not go through the hub", link)
	}
	req, _ := http.NewRequest("GET", th.base+link, nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(body) != "JPEG-BYTES-ME1" || res.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("media: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	if r := th.do("GET", link, "", nil); r.status != 401 {
		t.Fatalf("media without a session: %d", r.status)
	}
}

func TestSMS_TooLongReplyRefusedBeforeStoring(t *testing.T) {
	th, admin, _, ch := smsSetup(t)
	th.twilioPost("/hooks/sms/"+ch.ID, twilioToken, inboundSMS("SM50", "+33666666666", "hi"), false)
	conv, _ := th.conversationOf(admin, ch.ID, "+33666666666")
	r := th.do("POST", "/api/v1/conversations/"+conv.ID+"/messages", admin, map[string]any{"text": strings.Repeat("a", 1601)})
	if r.status != 400 || r.errorCode() != "text_too_long" {
		t.Fatalf("1601 characters on SMS: %d %s", r.status, r.body)
	}
	if n := len(th.messages(admin, conv.ID)); n != 1 {
		t.Fatalf("%d messages stored, want only the customer's", n)
	}
}
