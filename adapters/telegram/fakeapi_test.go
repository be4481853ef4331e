package telegram

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// apiCall is one request the fake Bot API received.
type apiCall struct {
	Token  string
	Method string // Bot API method, or "file" for a download
	Path   string // the file path of a download
	Params url.Values
	At     time.Time
}

// reply is a canned answer: HTTP status and JSON body.
type reply struct {
	status int
	body   string
}

func okReply(result string) reply {
	return reply{http.StatusOK, `{"ok":true,"result":` + result + `}`}
}

// errReply is a Bot API error as Telegram sends it.
func errReply(code int, desc string, retryAfter int) reply {
	body := fmt.Sprintf(`{"ok":false,"error_code":%d,"description":%q`, code, desc)
	if retryAfter > 0 {
		body += fmt.Sprintf(`,"parameters":{"retry_after":%d}`, retryAfter)
	}
	return reply{code, body + "}"}
}

type fakeFile struct {
	path string
	size int64 // reported by getFile
}

type pendingUpdate struct {
	id  int64
	raw string
}

// fakeAPI is an httptest Bot API: it answers getMe, records every call,
// long-polls getUpdates and serves files.
type fakeAPI struct {
	t      *testing.T
	srv    *httptest.Server
	closed chan struct{}

	mu          sync.Mutex
	calls       []apiCall
	queued      map[string][]reply // served first, per method, in order
	updates     []pendingUpdate
	changed     chan struct{} // closed when updates are added
	files       map[string]fakeFile
	content     map[string][]byte // by file path
	webhookInfo string
	nextMsgID   int
}

func newFakeAPI(t *testing.T) *fakeAPI {
	t.Helper()
	f := &fakeAPI{
		t:           t,
		closed:      make(chan struct{}),
		queued:      make(map[string][]reply),
		changed:     make(chan struct{}),
		files:       make(map[string]fakeFile),
		content:     make(map[string][]byte),
		webhookInfo: `{"url":"","has_custom_certificate":false,"pending_update_count":0}`,
		nextMsgID:   100,
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(func() {
		close(f.closed)
		f.srv.Close()
	})
	return f
}

func (f *fakeAPI) URL() string { return f.srv.URL }

// queue makes the next calls of method answer rs, in order.
func (f *fakeAPI) queue(method string, rs ...reply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queued[method] = append(f.queued[method], rs...)
}

// push offers updates to getUpdates.
func (f *fakeAPI) push(raws ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, raw := range raws {
		var v struct {
			UpdateID int64 `json:"update_id"`
		}
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			f.t.Fatalf("push: %v", err)
		}
		f.updates = append(f.updates, pendingUpdate{v.UpdateID, raw})
	}
	sort.Slice(f.updates, func(i, j int) bool { return f.updates[i].id < f.updates[j].id })
	close(f.changed)
	f.changed = make(chan struct{})
}

func (f *fakeAPI) addFile(fileID, path string, size int64, content []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[fileID] = fakeFile{path: path, size: size}
	f.content[path] = content
}

func (f *fakeAPI) setWebhookInfo(js string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.webhookInfo = js
}

// callsTo returns the calls of method, in order.
func (f *fakeAPI) callsTo(method string) []apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []apiCall
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// methods lists the methods called, in order, getMe left out.
func (f *fakeAPI) methods() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		if c.Method != "getMe" {
			out = append(out, c.Method)
		}
	}
	return out
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot")
	if ok {
		token, filePath, _ := strings.Cut(rest, "/")
		f.record(apiCall{Token: token, Method: "file", Path: filePath, At: time.Now()})
		f.mu.Lock()
		b, found := f.content[filePath]
		f.mu.Unlock()
		if !found {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(b)
		return
	}
	rest, ok = strings.CutPrefix(r.URL.Path, "/bot")
	token, method, found := strings.Cut(rest, "/")
	if !ok || !found || r.Method != http.MethodPost {
		http.NotFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		f.t.Errorf("fake API: %s: bad form: %v", method, err)
	}
	call := apiCall{Token: token, Method: method, Params: r.PostForm, At: time.Now()}
	f.record(call)

	f.mu.Lock()
	if q := f.queued[method]; len(q) > 0 {
		rep := q[0]
		f.queued[method] = q[1:]
		f.mu.Unlock()
		write(w, rep)
		return
	}
	f.mu.Unlock()

	switch method {
	case "getMe":
		write(w, okReply(`{"id":42,"is_bot":true,"first_name":"Hotel","username":"hotel_bot"}`))
	case "sendMessage", "sendPhoto", "sendDocument":
		f.mu.Lock()
		f.nextMsgID++
		id := f.nextMsgID
		f.mu.Unlock()
		write(w, okReply(fmt.Sprintf(`{"message_id":%d,"date":1700000000,"chat":{"id":%s,"type":"private"}}`, id, call.Params.Get("chat_id"))))
	case "setWebhook", "deleteWebhook", "answerCallbackQuery":
		write(w, okReply("true"))
	case "getWebhookInfo":
		f.mu.Lock()
		info := f.webhookInfo
		f.mu.Unlock()
		write(w, okReply(info))
	case "getFile":
		f.mu.Lock()
		ff, ok := f.files[call.Params.Get("file_id")]
		f.mu.Unlock()
		if !ok {
			write(w, errReply(400, "Bad Request: invalid file_id", 0))
			return
		}
		write(w, okReply(fmt.Sprintf(`{"file_id":%q,"file_unique_id":"u1","file_size":%d,"file_path":%q}`,
			call.Params.Get("file_id"), ff.size, ff.path)))
	case "getUpdates":
		f.getUpdates(w, r, call)
	default:
		write(w, errReply(404, "Not Found: method not found", 0))
	}
}

// getUpdates answers like Telegram: it forgets updates below offset,
// returns the others, and waits up to timeout seconds when there are none.
func (f *fakeAPI) getUpdates(w http.ResponseWriter, r *http.Request, call apiCall) {
	offset, _ := strconv.ParseInt(call.Params.Get("offset"), 10, 64)
	timeout, _ := strconv.Atoi(call.Params.Get("timeout"))
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		var keep []pendingUpdate
		for _, u := range f.updates {
			if u.id >= offset {
				keep = append(keep, u)
			}
		}
		f.updates = keep
		changed := f.changed
		f.mu.Unlock()
		if len(keep) > 0 {
			raws := make([]string, len(keep))
			for i, u := range keep {
				raws[i] = u.raw
			}
			write(w, okReply("["+strings.Join(raws, ",")+"]"))
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			write(w, okReply("[]"))
			return
		case <-r.Context().Done():
			return
		case <-f.closed:
			return
		}
	}
}

func (f *fakeAPI) record(c apiCall) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

func write(w http.ResponseWriter, r reply) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(r.status)
	_, _ = w.Write([]byte(r.body))
}
