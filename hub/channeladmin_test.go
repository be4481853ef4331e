package hub_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"hub/inbox"
)

func TestChannelAdmin_SecretsMaskedAndEncryptedAtRest(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	ch := th.createChannel(admin, "sms", true, map[string]string{
		"accountSid": twilioSID, "authToken": "supersecrettoken99", "from": "+33100000000",
	})
	if got := ch.Config["authToken"]; got != "••••en99" {
		t.Errorf("authToken shown as %q", got)
	}
	if ch.Config["accountSid"] != twilioSID {
		t.Errorf("accountSid shown as %q", ch.Config["accountSid"])
	}
	if ch.WebhookURLs["inbound"] != th.base+"/hooks/sms/"+ch.ID || ch.WebhookURLs["status"] != th.base+"/hooks/sms/"+ch.ID+"/status" {
		t.Errorf("webhook URLs %v", ch.WebhookURLs)
	}
	for _, path := range []string{"/api/v1/channels", "/api/v1/channels/" + ch.ID} {
		if r := th.must(200, "GET", path, admin, nil); strings.Contains(string(r.body), "supersecrettoken99") {
			t.Errorf("GET %s shows the token: %s", path, r.body)
		}
	}
	// Nothing in the database file holds the token in clear.
	stored, err := th.store.GetChannel(context.Background(), th.demo.Workspace.ID, ch.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v := stored.Secrets["authToken"]; v == "" || strings.Contains(v, "supersecrettoken99") {
		t.Fatalf("stored secret %q", v)
	}
	if strings.Contains(strings.Join(mapValues(stored.Config), " "), "supersecrettoken99") {
		t.Fatal("the token is in the plain config")
	}

	// The masked value sent back keeps the secret; a new value replaces it.
	var upd channelJSON
	th.must(200, "PATCH", "/api/v1/channels/"+ch.ID, admin, map[string]any{
		"name": "Front desk SMS", "config": map[string]any{"authToken": "••••en99", "from": "+33199999999"},
	}).json(t, &upd)
	if upd.Name != "Front desk SMS" || upd.Config["from"] != "+33199999999" || upd.Config["authToken"] != "••••en99" {
		t.Fatalf("after update: %+v", upd)
	}
	// A refused change stores nothing.
	r := th.do("PATCH", "/api/v1/channels/"+ch.ID, admin, map[string]any{"name": "X", "config": map[string]any{"accountSid": "nope"}})
	if r.status != 400 || r.errorCode() != "invalid_config" || !strings.Contains(string(r.body), "accountSid") {
		t.Fatalf("bad accountSid: %d %s", r.status, r.body)
	}
	var same channelJSON
	th.must(200, "GET", "/api/v1/channels/"+ch.ID, admin, nil).json(t, &same)
	if same.Name != "Front desk SMS" || same.Config["accountSid"] != twilioSID {
		t.Fatalf("a refused update changed the channel: %+v", same)
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestChannelAdmin_ValidationAndRoles(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	_, agent := th.addAgent(admin, "agent@hotel.test", "agent")
	cases := []struct {
		body  map[string]any
		code  string
		field string
	}{
		{map[string]any{"type": "fax", "name": "x"}, "invalid_type", "type"},
		{map[string]any{"type": "sms", "name": "x", "config": map[string]any{"accountSid": twilioSID}}, "invalid_config", "authToken"},
		{map[string]any{"type": "telegram", "name": "x", "config": map[string]any{"botToken": "not a token"}}, "invalid_config", "botToken"},
		{map[string]any{"type": "partner", "name": "x", "config": map[string]any{"url": "ftp://x", "secret": partnerSecret}}, "invalid_config", "url"},
		{map[string]any{"type": "partner", "name": "x", "config": map[string]any{"url": "https://p.example", "secret": partnerSecret, "colour": "red"}}, "invalid_config", "colour"},
		{map[string]any{"type": "webchat", "name": "", "config": map[string]any{}}, "invalid_name", "name"},
	}
	for _, c := range cases {
		r := th.do("POST", "/api/v1/channels", admin, c.body)
		if r.status != 400 || r.errorCode() != c.code || !strings.Contains(string(r.body), c.field) {
			t.Errorf("%v: %d %s, want 400 %s naming %s", c.body, r.status, r.body, c.code, c.field)
		}
	}
	var list struct{ Items []channelJSON }
	th.must(200, "GET", "/api/v1/channels", admin, nil).json(t, &list)
	if len(list.Items) != 1 {
		t.Fatalf("refused creates left channels: %+v", list.Items)
	}
	if r := th.do("POST", "/api/v1/channels", agent, map[string]any{"type": "webchat", "name": "x"}); r.status != 403 {
		t.Errorf("agent creating a channel: %d", r.status)
	}
	if r := th.do("GET", "/api/v1/channels", agent, nil); r.status != 403 {
		t.Errorf("agent listing channels: %d", r.status)
	}
}

func TestChannelAdmin_DisabledAndDeletedChannelsRefuseWebhooks(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	fp := newFakePartner(t, partnerSecret)
	ch := th.createChannel(admin, "partner", false, map[string]string{"url": fp.srv.URL, "secret": partnerSecret})
	if ch.WebhookURLs["inbound"] != th.base+"/hooks/partner/"+ch.ID {
		t.Errorf("webhook URL %v", ch.WebhookURLs)
	}
	if !strings.HasPrefix(ch.Config["secret"], "••••") {
		t.Errorf("partner secret shown as %q", ch.Config["secret"])
	}
	th.must(200, "PATCH", "/api/v1/channels/"+ch.ID, admin, map[string]any{"disabled": true})
	if r := th.partnerPost(ch.ID, partnerSecret, guestEvent("d1", "g-d", "hi"), time.Now()); r.status != 403 {
		t.Fatalf("disabled channel: %d %s", r.status, r.body)
	}
	th.must(200, "PATCH", "/api/v1/channels/"+ch.ID, admin, map[string]any{"disabled": false})
	th.must(200, "GET", "/api/v1/channels/"+ch.ID+"/health", admin, nil)
	th.must(204, "DELETE", "/api/v1/channels/"+ch.ID, admin, nil)
	if r := th.partnerPost(ch.ID, partnerSecret, guestEvent("d2", "g-d", "hi"), time.Now()); r.status != 404 {
		t.Fatalf("deleted channel: %d %s", r.status, r.body)
	}
	if r := th.do("GET", "/api/v1/channels/"+ch.ID, admin, nil); r.status != 404 {
		t.Fatalf("GET deleted channel: %d", r.status)
	}
	if r := th.partnerPost(inbox.NewID(), partnerSecret, guestEvent("d3", "g-d", "hi"), time.Now()); r.status != 404 {
		t.Fatalf("unknown channel: %d", r.status)
	}
	if r := th.twilioPost("/hooks/sms/"+ch.ID, twilioToken, url.Values{"MessageSid": {"SMx"}}, false); r.status != 404 {
		t.Fatalf("a partner channel on the SMS hook: %d", r.status)
	}
	if _, ok := th.conversationOf(admin, ch.ID, "g-d"); ok {
		t.Fatal("refused webhooks stored a conversation")
	}
}
