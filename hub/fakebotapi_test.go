package hub_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeBotAPI is a Telegram Bot API server for one bot. It answers 429
// (retry_after 1) to a message sent to a chat less than a second after the
// previous one, as Telegram may; retryAfter scripts a first 429 per chat.
type fakeBotAPI struct {
	srv   *httptest.Server
	token string

	mu         sync.Mutex
	updates    []string // JSON updates, served by getUpdates
	sent       []sentTG
	limited    int // 429s answered by the per-chat rule
	last       map[string]time.Time
	retryAfter map[string]int // chat → retry_after for its first message
	calls      map[string]int
	answered   []string
	// perChat numbers sent messages per chat, as Telegram does, instead
	// of across the bot (the default, which keeps ids unique).
	perChat bool
	chatSeq map[string]int
}

type sentTG struct {
	chat, text, method, markup string
	at                         time.Time
}

func newFakeBotAPI(t *testing.T, token string) *fakeBotAPI {
	f := &fakeBotAPI{token: token, last: map[string]time.Time{}, retryAfter: map[string]int{}, calls: map[string]int{}, chatSeq: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeBotAPI) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/file/bot"+f.token+"/") {
		w.Header().Set("Content-Type", "image/jpeg")
		fmt.Fprint(w, "TG-FILE-"+strings.TrimPrefix(r.URL.Path, "/file/bot"+f.token+"/"))
		return
	}
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+f.token+"/")
	if !ok {
		w.WriteHeader(401)
		fmt.Fprint(w, `{"ok":false,"error_code":401,"description":"Unauthorized"}`)
		return
	}
	_ = r.ParseForm()
	f.mu.Lock()
	f.calls[method]++
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch method {
	case "getMe":
		fmt.Fprint(w, `{"ok":true,"result":{"id":42,"is_bot":true,"first_name":"Hotel","username":"hotel_bot"}}`)
	case "setWebhook", "deleteWebhook":
		fmt.Fprint(w, `{"ok":true,"result":true}`)
	case "getWebhookInfo":
		fmt.Fprint(w, `{"ok":true,"result":{"url":"","pending_update_count":0}}`)
	case "answerCallbackQuery":
		f.mu.Lock()
		f.answered = append(f.answered, r.Form.Get("callback_query_id"))
		f.mu.Unlock()
		fmt.Fprint(w, `{"ok":true,"result":true}`)
	case "getUpdates":
		f.getUpdates(w, r)
	case "getFile":
		id := r.Form.Get("file_id")
		fmt.Fprintf(w, `{"ok":true,"result":{"file_id":%q,"file_unique_id":"u","file_size":1000,"file_path":"photos/%s.jpg"}}`, id, id)
	case "sendMessage", "sendPhoto", "sendDocument":
		f.sendMessage(w, r, method)
	default:
		w.WriteHeader(404)
		fmt.Fprint(w, `{"ok":false,"error_code":404,"description":"Not Found"}`)
	}
}

func (f *fakeBotAPI) sendMessage(w http.ResponseWriter, r *http.Request, method string) {
	chat := r.Form.Get("chat_id")
	now := time.Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	if ra := f.retryAfter[chat]; ra > 0 {
		delete(f.retryAfter, chat)
		f.sent = append(f.sent, sentTG{chat: chat, text: "(429)", method: method, at: now})
		w.WriteHeader(429)
		fmt.Fprintf(w, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after %d","parameters":{"retry_after":%d}}`, ra, ra)
		return
	}
	if last, ok := f.last[chat]; ok && now.Sub(last) < time.Second {
		f.limited++
		w.WriteHeader(429)
		fmt.Fprint(w, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}`)
		return
	}
	f.last[chat] = now
	text := r.Form.Get("text")
	if text == "" {
		text = r.Form.Get("caption")
	}
	f.sent = append(f.sent, sentTG{chat: chat, text: text, method: method, markup: r.Form.Get("reply_markup"), at: now})
	msgID := len(f.sent)
	if f.perChat {
		f.chatSeq[chat]++
		msgID = f.chatSeq[chat]
	}
	id, _ := strconv.ParseInt(chat, 10, 64)
	fmt.Fprintf(w, `{"ok":true,"result":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private"},"text":%q}}`,
		msgID, now.Unix(), id, text)
}

func (f *fakeBotAPI) getUpdates(w http.ResponseWriter, r *http.Request) {
	offset, _ := strconv.Atoi(r.Form.Get("offset"))
	deadline := time.Now().Add(500 * time.Millisecond)
	for {
		f.mu.Lock()
		var out []string
		for _, u := range f.updates {
			var head struct {
				UpdateID int `json:"update_id"`
			}
			_ = json.Unmarshal([]byte(u), &head)
			if head.UpdateID >= offset {
				out = append(out, u)
			}
		}
		f.mu.Unlock()
		if len(out) > 0 || time.Now().After(deadline) || r.Context().Err() != nil {
			fmt.Fprintf(w, `{"ok":true,"result":[%s]}`, strings.Join(out, ","))
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// delivered returns what reached the customer's chats (429s excluded).
func (f *fakeBotAPI) delivered() []sentTG {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []sentTG
	for _, s := range f.sent {
		if s.text != "(429)" {
			out = append(out, s)
		}
	}
	return out
}

func (f *fakeBotAPI) all() []sentTG {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sentTG(nil), f.sent...)
}

func (f *fakeBotAPI) queueUpdate(u string) {
	f.mu.Lock()
	f.updates = append(f.updates, u)
	f.mu.Unlock()
}

func textUpdate(id int, chat int64, text string) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1763715600,"chat":{"id":%d,"type":"private","first_name":"Lea"},"from":{"id":%d,"is_bot":false,"first_name":"Lea","last_name":"Roux"},"text":%q}}`,
		id, id, chat, chat, text)
}

// telegramPost sends an update to the webhook with a secret token.
func (th *testHub) telegramPost(channelID, secret, update string) response {
	th.t.Helper()
	req, _ := http.NewRequest("POST", th.base+"/hooks/telegram/"+channelID, strings.NewReader(update))
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	return th.send(req)
}
