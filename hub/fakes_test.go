package hub_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"hub/adapters/partner"
	"hub/adapters/sms"
)

// Fakes of the providers: httptest servers that check the exact request
// and record what they were sent.

// fakeTwilio answers the Messages API and serves MMS media.
type fakeTwilio struct {
	srv  *httptest.Server
	sid  string
	tok  string
	mu   sync.Mutex
	sent []url.Values
	n    int
}

func newFakeTwilio(t *testing.T, accountSid, authToken string) *fakeTwilio {
	f := &fakeTwilio{sid: accountSid, tok: authToken}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || user != f.sid || pass != f.tok {
			w.WriteHeader(401)
			fmt.Fprint(w, `{"code":20003,"message":"Authenticate","status":401}`)
			return
		}
		switch {
		case r.Method == "POST" && r.URL.Path == "/2010-04-01/Accounts/"+f.sid+"/Messages.json":
			if err := r.ParseForm(); err != nil {
				w.WriteHeader(400)
				return
			}
			f.mu.Lock()
			f.sent = append(f.sent, r.PostForm)
			f.n++
			sid := fmt.Sprintf("SM%032d", f.n)
			f.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(201)
			fmt.Fprintf(w, `{"sid":%q,"status":"queued","to":%q,"body":%q}`, sid, r.PostForm.Get("To"), r.PostForm.Get("Body"))
		case r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/media/"):
			w.Header().Set("Content-Type", "image/jpeg")
			fmt.Fprint(w, "JPEG-BYTES-"+strings.TrimPrefix(r.URL.Path, "/media/"))
		default:
			w.WriteHeader(404)
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeTwilio) messages() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.sent...)
}

// twilioPost sends a webhook signed like Twilio does.
func (th *testHub) twilioPost(path, authToken string, form url.Values, forge bool) response {
	th.t.Helper()
	sig := sms.Signature(authToken, th.base+path, form)
	if forge {
		sig = sms.Signature("wrong-token", th.base+path, form)
	}
	req, _ := http.NewRequest("POST", th.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", sig)
	return th.send(req)
}

func (th *testHub) send(req *http.Request) response {
	th.t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		th.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, body: raw}
}

// fakePartner receives replies, verifying signature and idempotency key.
// While down it answers 503.
type fakePartner struct {
	srv    *httptest.Server
	secret string
	mu     sync.Mutex
	down   bool
	hits   int
	got    map[string]int // idempotency key → deliveries answered 200
	bodies []map[string]any
	bad    []string
}

func newFakePartner(t *testing.T, secret string) *fakePartner {
	f := &fakePartner{secret: secret, got: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		defer f.mu.Unlock()
		f.hits++
		if f.down {
			w.WriteHeader(503)
			return
		}
		err := partner.Verify([][]byte{[]byte(f.secret)}, r.Header.Get(partner.HeaderTimestamp), r.Header.Get(partner.HeaderSignature), body, time.Now())
		key := r.Header.Get("Idempotency-Key")
		var m map[string]any
		if err != nil || key == "" || json.Unmarshal(body, &m) != nil || m["eventId"] != key {
			f.bad = append(f.bad, fmt.Sprintf("sig=%v key=%q body=%s", err, key, body))
			w.WriteHeader(400)
			return
		}
		f.got[key]++
		f.bodies = append(f.bodies, m)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":"p-%s"}`, key)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakePartner) setDown(down bool) {
	f.mu.Lock()
	f.down = down
	f.mu.Unlock()
}

func (f *fakePartner) snapshot() (hits int, got map[string]int, bad []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	got = map[string]int{}
	for k, v := range f.got {
		got[k] = v
	}
	return f.hits, got, append([]string(nil), f.bad...)
}

// partnerPost sends a signed partner webhook; at is the signing time.
func (th *testHub) partnerPost(channelID, secret string, event map[string]any, at time.Time) response {
	th.t.Helper()
	body, _ := json.Marshal(event)
	ts, sig := partner.Sign([]byte(secret), body, at)
	req, _ := http.NewRequest("POST", th.base+"/hooks/partner/"+channelID, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(partner.HeaderTimestamp, ts)
	req.Header.Set(partner.HeaderSignature, sig)
	return th.send(req)
}

// eventually polls cond until it holds, failing after a generous deadline
// (a hang, not a timing assertion).
func eventually(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// channelJSON is the admin view of a channel.
type channelJSON struct {
	ID          string            `json:"id"`
	Type        string            `json:"type"`
	Name        string            `json:"name"`
	BotEnabled  bool              `json:"botEnabled"`
	Disabled    bool              `json:"disabled"`
	Config      map[string]string `json:"config"`
	WebhookURLs map[string]string `json:"webhookUrls"`
}

func (th *testHub) createChannel(adminToken, typ string, bot bool, config map[string]string) channelJSON {
	th.t.Helper()
	var ch channelJSON
	th.must(201, "POST", "/api/v1/channels", adminToken, map[string]any{
		"type": typ, "name": typ + " channel", "botEnabled": bot, "config": config,
	}).json(th.t, &ch)
	return ch
}

// conversationOf finds the conversation of a contact handle on a channel.
func (th *testHub) conversationOf(token, channelID, handle string) (convJSON, bool) {
	th.t.Helper()
	var out struct{ Items []convJSON }
	th.must(200, "GET", "/api/v1/conversations?status=all&q="+url.QueryEscape(handle), token, nil).json(th.t, &out)
	for _, c := range out.Items {
		if c.Channel.ID == channelID && c.Contact.Handle == handle {
			return c, true
		}
	}
	return convJSON{}, false
}

func (th *testHub) twilioMediaURL(ch channelJSON, id string) string {
	return ch.Config["apiBaseUrl"] + "/media/" + id
}

// messageByID returns one message of a conversation as agents see it.
func (th *testHub) messageByID(token, convID, id string) fullMsgJSON {
	th.t.Helper()
	var out struct{ Items []fullMsgJSON }
	th.must(200, "GET", "/api/v1/conversations/"+convID+"/messages", token, nil).json(th.t, &out)
	for _, m := range out.Items {
		if m.ID == id {
			return m
		}
	}
	th.t.Fatalf("message %s not in conversation %s", id, convID)
	return fullMsgJSON{}
}

type fullMsgJSON struct {
	ID            string `json:"id"`
	Text          string `json:"text"`
	Delivery      string `json:"delivery"`
	DeliveryError string `json:"deliveryError"`
	Attachments   []struct {
		URL         string `json:"url"`
		ContentType string `json:"contentType"`
	} `json:"attachments"`
}
