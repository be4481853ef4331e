package hub_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const (
	tgToken  = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-bs"
	tgSecret = "hook_secret_0123456789"
)

func telegramSetup(t *testing.T) (*testHub, string, *fakeBotAPI, channelJSON) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	api := newFakeBotAPI(t, tgToken)
	ch := th.createChannel(admin, "telegram", false, map[string]string{
		"botToken": tgToken, "webhookSecret": tgSecret, "apiBaseUrl": api.srv.URL,
	})
	return th, admin, api, ch
}

func TestTelegram_SecretDedupeAndPhotoWithCaption(t *testing.T) {
	th, admin, _, ch := telegramSetup(t)
	if r := th.telegramPost(ch.ID, "wrong", textUpdate(1, 501, "hello")); r.status != 403 {
		t.Fatalf("wrong secret: %d %s", r.status, r.body)
	}
	if r := th.telegramPost(ch.ID, "", textUpdate(1, 501, "hello")); r.status != 403 {
		t.Fatalf("no secret: %d %s", r.status, r.body)
	}
	if _, ok := th.conversationOf(admin, ch.ID, "501"); ok {
		t.Fatal("a refused update created a conversation")
	}
	for range 2 {
		if r := th.telegramPost(ch.ID, tgSecret, textUpdate(2, 501, "Do you have a spa?")); r.status != 200 {
			t.Fatalf("update: %d %s", r.status, r.body)
		}
	}
	photo := `{"update_id":3,"message":{"message_id":3,"date":1763715600,"chat":{"id":501,"type":"private"},"from":{"id":501,"is_bot":false,"first_name":"Lea"},` +
		`"caption":"the stain on the carpet","photo":[{"file_id":"small","file_unique_id":"s","width":90,"height":90,"file_size":900},{"file_id":"big","file_unique_id":"b","width":1280,"height":960,"file_size":90000}]}}`
	if r := th.telegramPost(ch.ID, tgSecret, photo); r.status != 200 {
		t.Fatalf("photo: %d %s", r.status, r.body)
	}
	conv, ok := th.conversationOf(admin, ch.ID, "501")
	if !ok {
		t.Fatal("no conversation")
	}
	var out struct{ Items []fullMsgJSON }
	th.must(200, "GET", "/api/v1/conversations/"+conv.ID+"/messages", admin, nil).json(t, &out)
	if len(out.Items) != 2 {
		t.Fatalf("want 2 messages (update 2 once, the photo), got %+v", out.Items)
	}
	p := out.Items[1]
	if p.Text != "the stain on the carpet" || len(p.Attachments) != 1 {
		t.Fatalf("photo message = %+v", p)
	}
	req, _ := http.NewRequest("GET", th.base+p.Attachments[0].URL, nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(body) != "TG-FILE-photos/big.jpg" {
		t.Fatalf("photo download: %d %q (want the largest size)", res.StatusCode, body)
	}
}

func TestTelegram_LongPollingReceives(t *testing.T) {
	th, admin, api, ch := telegramSetup(t)
	api.queueUpdate(textUpdate(10, 777, "Is the pool heated?"))
	eventually(t, "the polled message", 15*time.Second, func() bool {
		conv, ok := th.conversationOf(admin, ch.ID, "777")
		return ok && len(th.messages(admin, conv.ID)) == 1
	})
	var health struct {
		OK   bool   `json:"ok"`
		Mode string `json:"mode"`
	}
	th.must(200, "GET", "/api/v1/channels/"+ch.ID+"/health", admin, nil).json(t, &health)
	if !health.OK || health.Mode != "polling" {
		t.Fatalf("health = %+v, want ok polling (HUB_PUBLIC_URL is http)", health)
	}
}

func TestTelegram_RetryAfterHonoured(t *testing.T) {
	th, admin, api, ch := telegramSetup(t)
	th.telegramPost(ch.ID, tgSecret, textUpdate(20, 601, "Taxi to the airport?"))
	conv, _ := th.conversationOf(admin, ch.ID, "601")
	api.mu.Lock()
	api.retryAfter["601"] = 2
	api.mu.Unlock()
	th.must(201, "POST", "/api/v1/conversations/"+conv.ID+"/messages", admin, map[string]any{"text": "We book it for you."})
	eventually(t, "the message delivered", 15*time.Second, func() bool { return len(api.delivered()) == 1 })
	all := api.all()
	if len(all) != 2 || all[0].text != "(429)" {
		t.Fatalf("want one 429 then one delivery, got %+v", all)
	}
	if gap := all[1].at.Sub(all[0].at); gap < 2*time.Second {
		t.Fatalf("retried %s after a retry_after of 2 s", gap)
	}
	time.Sleep(time.Second)
	if n := len(api.delivered()); n != 1 {
		t.Fatalf("delivered %d times", n)
	}
}

func TestTelegram_PacingPerChat(t *testing.T) {
	t.Parallel()
	th, admin, api, ch := telegramSetup(t)
	th.telegramPost(ch.ID, tgSecret, textUpdate(30, 901, "Group booking for 20 people"))
	th.telegramPost(ch.ID, tgSecret, textUpdate(31, 902, "Question"))
	busy, _ := th.conversationOf(admin, ch.ID, "901")
	other, _ := th.conversationOf(admin, ch.ID, "902")
	for i := range 20 {
		th.must(201, "POST", "/api/v1/conversations/"+busy.ID+"/messages", admin, map[string]any{"text": fmt.Sprintf("part %d", i+1)})
	}
	posted := time.Now()
	th.must(201, "POST", "/api/v1/conversations/"+other.ID+"/messages", admin, map[string]any{"text": "Answer"})
	eventually(t, "all 21 messages", 60*time.Second, func() bool { return len(api.delivered()) == 21 })

	api.mu.Lock()
	limited := api.limited
	api.mu.Unlock()
	if limited != 0 {
		t.Fatalf("the fake answered %d times 429: pacing failed", limited)
	}
	var n int
	for _, s := range api.delivered() {
		switch s.chat {
		case "902":
			wait := s.at.Sub(posted)
			t.Logf("the other chat's reply reached the fake %s after it was posted", wait)
			if wait > time.Second {
				t.Errorf("the other chat's reply waited %s behind the busy chat", wait)
			}
		case "901":
			n++
			if want := fmt.Sprintf("part %d", n); s.text != want {
				t.Errorf("busy chat got %q, want %q (order)", s.text, want)
			}
		}
	}
	if !strings.HasPrefix(busy.Channel.Type, "telegram") {
		t.Errorf("channel type %q", busy.Channel.Type)
	}
}
