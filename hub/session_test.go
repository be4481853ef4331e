package hub_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestLogin_CookieLogoutAndExpiry(t *testing.T) {
	th := startHub(t)
	res, err := http.Post(th.base+"/api/v1/auth/login", "application/json",
		strings.NewReader(`{"email":"ADMIN@hotel.test","password":"`+adminPassword+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("login with an upper-case email: %d", res.StatusCode)
	}
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "hub_session" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Value == "" {
		t.Fatalf("session cookie = %+v, want HttpOnly SameSite=Strict", cookie)
	}
	// The cookie alone authenticates (the browser UI uses it).
	req, _ := http.NewRequest("GET", th.base+"/api/v1/auth/me", nil)
	req.AddCookie(cookie)
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
		t.Fatalf("me with the cookie: %v %v", res.StatusCode, err)
	}

	if r := th.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "admin@hotel.test", "password": "wrong password!"}); r.status != 401 || r.errorCode() != "invalid_credentials" {
		t.Fatalf("wrong password: %d %s", r.status, r.body)
	}
	if r := th.do("POST", "/api/v1/auth/login", "", map[string]string{"email": "nobody@hotel.test", "password": "wrong password!"}); r.status != 401 || r.errorCode() != "invalid_credentials" {
		t.Fatalf("unknown email: %d %s", r.status, r.body)
	}

	token := th.login("admin@hotel.test", adminPassword)
	th.must(204, "POST", "/api/v1/auth/logout", token, nil)
	if r := th.do("GET", "/api/v1/auth/me", token, nil); r.status != 401 {
		t.Fatalf("token still works after logout: %d", r.status)
	}

	token = th.login("admin@hotel.test", adminPassword)
	th.clock.Advance(12*time.Hour + time.Second)
	if r := th.do("GET", "/api/v1/auth/me", token, nil); r.status != 401 || r.errorCode() != "session_expired" {
		t.Fatalf("expired session: %d %s", r.status, r.body)
	}
}

func TestHealth_AliveAndReady(t *testing.T) {
	th := startHub(t)
	th.must(200, "GET", "/healthz", "", nil)
	th.must(200, "GET", "/readyz", "", nil)
	if r := th.do("GET", "/no/such/page", "", nil); r.status != 404 || r.errorCode() != "route_not_found" {
		t.Fatalf("unknown route: %d %s", r.status, r.body)
	}
}

func TestMetrics_CountMessagesWithoutContent(t *testing.T) {
	th := startHub(t)
	v := th.newVisitor(th.demo.Channel.ID)
	v.say("what time is breakfast?")
	body := string(th.must(200, "GET", "/metrics", "", nil).body)
	for _, want := range []string{"hub_messages_in_total 1\n", "hub_bot_replies_total 2\n", "# TYPE hub_outbox_sent_total counter"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "breakfast") {
		t.Fatal("/metrics leaks message text")
	}
}

// TestWidget_ReconnectLosesNothing: replies sent while the visitor's socket
// is down are fetched with ?after= when the widget comes back.
func TestWidget_ReconnectLosesNothing(t *testing.T) {
	th := startHub(t)
	ch := th.demo.Channel.ID
	admin := th.login("admin@hotel.test", adminPassword)
	v := th.newVisitor(ch)
	ws := th.dial("/ws/widget?channelId=" + ch + "&token=" + v.token)
	first := v.say("I would like to speak to a person")
	last := ws.next("the handoff notice", func(f frame) bool {
		return f.Type == "message" && strings.Contains(f.Message.Text, "member of our team")
	})
	ws.conn.Close()

	th.action(admin, first.ConversationID, "assign", nil)
	th.must(201, "POST", "/api/v1/conversations/"+first.ConversationID+"/messages", admin, map[string]any{"text": "Sorry, a secret note", "private": true})
	th.must(201, "POST", "/api/v1/conversations/"+first.ConversationID+"/messages", admin, map[string]any{"text": "Hello, reception here"})

	var missed struct{ Items []msgJSON }
	th.must(200, "GET", "/api/v1/widget/"+ch+"/messages?after="+last.Message.ID, v.token, nil).json(t, &missed)
	if len(missed.Items) != 1 || missed.Items[0].Text != "Hello, reception here" {
		t.Fatalf("messages after reconnect = %+v, want only the public reply", missed.Items)
	}
	var all struct{ Items []msgJSON }
	th.must(200, "GET", "/api/v1/widget/"+ch+"/messages", v.token, nil).json(t, &all)
	for _, m := range all.Items {
		if m.Private || strings.Contains(m.Text, "secret") {
			t.Fatalf("the visitor sees a private note: %+v", m)
		}
	}
}
