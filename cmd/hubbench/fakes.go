package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fakeProviders stand in for Twilio's Messages API and Telegram's Bot API
// while the hub runs as a child process: the hub's replies go to these
// loopback servers (the channels' apiBaseUrl), which answer like the real
// APIs and count what they received, so the bench knows when the outbox
// has drained.
type fakeProviders struct {
	twilio   *httptest.Server
	telegram *httptest.Server

	accountSid string
	authToken  string
	bots       map[string]bool // bot tokens the fake Bot API knows

	smsSent atomic.Int64 // Messages.json creates answered 201
	tgSent  atomic.Int64 // sendMessage calls answered ok
	refused atomic.Int64 // requests answered with an error (should stay 0)
	nextSid atomic.Int64

	// tooFast counts Telegram messages to one chat less than a second
	// apart: the hub promises to pace them, and a violation would be a
	// finding, not something to hide.
	tooFast  atomic.Int64
	mu       sync.Mutex
	lastChat map[string]time.Time
	chatSeq  map[string]int64 // message_id is a per-chat counter, as in private chats
}

func newFakeProviders(accountSid, authToken string, botTokens []string) *fakeProviders {
	f := &fakeProviders{accountSid: accountSid, authToken: authToken, bots: map[string]bool{}, lastChat: map[string]time.Time{}, chatSeq: map[string]int64{}}
	for _, t := range botTokens {
		f.bots[t] = true
	}
	f.twilio = httptest.NewServer(http.HandlerFunc(f.serveTwilio))
	f.telegram = httptest.NewServer(http.HandlerFunc(f.serveTelegram))
	return f
}

func (f *fakeProviders) close() {
	f.twilio.Close()
	f.telegram.Close()
}

// replies is every reply the providers accepted so far.
func (f *fakeProviders) replies() int64 { return f.smsSent.Load() + f.tgSent.Load() }

func (f *fakeProviders) serveTwilio(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || user != f.accountSid || pass != f.authToken {
		f.refused.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"code":20003,"message":"Authenticate","status":401}`)
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/"+f.accountSid+"/Messages.json" {
		f.refused.Add(1)
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"code":20404,"message":"not found","status":404}`)
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("To") == "" || r.PostForm.Get("Body") == "" {
		f.refused.Add(1)
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"code":21602,"message":"Message body is required","status":400}`)
		return
	}
	// The sid becomes the reply's external id. Twilio's sids are globally
	// unique, so outbound ones start with "b", inbound ones with "a" (the
	// hub itself dedupes inbound ids only, so a clash would not matter).
	sid := fmt.Sprintf("SMb%031x", f.nextSid.Add(1))
	f.smsSent.Add(1)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{
		"sid": sid, "account_sid": f.accountSid, "status": "queued",
		"to": r.PostForm.Get("To"), "from": r.PostForm.Get("From"), "num_segments": "1",
	})
}

func (f *fakeProviders) serveTelegram(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || !f.bots[token] {
		f.refused.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"ok":false,"error_code":401,"description":"Unauthorized"}`)
		return
	}
	_ = r.ParseForm()
	w.Header().Set("Content-Type", "application/json")
	switch method {
	case "getMe":
		id, _, _ := strings.Cut(token, ":")
		fmt.Fprintf(w, `{"ok":true,"result":{"id":%s,"is_bot":true,"first_name":"Bench","username":"bench_%s_bot"}}`, id, id)
	case "setWebhook", "deleteWebhook":
		fmt.Fprint(w, `{"ok":true,"result":true}`)
	case "getWebhookInfo":
		fmt.Fprint(w, `{"ok":true,"result":{"url":"","pending_update_count":0}}`)
	case "sendMessage":
		chat := r.Form.Get("chat_id")
		id, err := strconv.ParseInt(chat, 10, 64)
		if err != nil || r.Form.Get("text") == "" {
			f.refused.Add(1)
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"ok":false,"error_code":400,"description":"Bad Request: chat_id or text missing"}`)
			return
		}
		now := time.Now()
		key := token + "/" + chat
		f.mu.Lock()
		if last, seen := f.lastChat[key]; seen && now.Sub(last) < time.Second {
			f.tooFast.Add(1)
		}
		f.lastChat[key] = now
		f.chatSeq[key]++
		n := f.chatSeq[key]
		f.mu.Unlock()
		f.tgSent.Add(1)
		fmt.Fprintf(w, `{"ok":true,"result":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private"},"text":"ok"}}`,
			n, now.Unix(), id)
	default:
		f.refused.Add(1)
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"ok":false,"error_code":404,"description":"Not Found"}`)
	}
}
