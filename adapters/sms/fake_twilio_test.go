package sms

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// twilioRequest is what the fake Twilio received.
type twilioRequest struct {
	method      string
	path        string
	contentType string
	user, pass  string
	hasAuth     bool
	form        url.Values
}

// twilioAnswer is what the fake Twilio answers.
type twilioAnswer struct {
	status  int
	body    string
	headers map[string]string
	delay   time.Duration
}

// fakeTwilio is an httptest server standing in for api.twilio.com.
type fakeTwilio struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []twilioRequest
	answer twilioAnswer
}

const sentSid = "SM0123456789abcdef0123456789abcdef"

func newFakeTwilio(t *testing.T) *fakeTwilio {
	t.Helper()
	f := &fakeTwilio{answer: twilioAnswer{
		status: http.StatusCreated,
		body:   `{"sid":"` + sentSid + `","status":"queued","account_sid":"` + testAccount + `"}`,
	}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeTwilio) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	user, pass, ok := r.BasicAuth()
	f.mu.Lock()
	f.reqs = append(f.reqs, twilioRequest{
		method: r.Method, path: r.URL.Path, contentType: r.Header.Get("Content-Type"),
		user: user, pass: pass, hasAuth: ok, form: form,
	})
	a := f.answer
	f.mu.Unlock()
	if a.delay > 0 {
		select {
		case <-time.After(a.delay):
		case <-r.Context().Done():
			return
		}
	}
	for k, v := range a.headers {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(a.status)
	_, _ = io.WriteString(w, a.body)
}

func (f *fakeTwilio) setAnswer(a twilioAnswer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answer = a
}

func (f *fakeTwilio) requests() []twilioRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]twilioRequest(nil), f.reqs...)
}

// only returns the one request the fake received.
func (f *fakeTwilio) only(t *testing.T) twilioRequest {
	t.Helper()
	reqs := f.requests()
	if len(reqs) != 1 {
		t.Fatalf("fake Twilio got %d requests, want 1", len(reqs))
	}
	return reqs[0]
}
