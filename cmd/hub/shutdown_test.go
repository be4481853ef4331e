package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// attempt is one customer message sent while the hub is being stopped.
type attempt struct {
	text       string // unique: finds the message after the restart
	start, end time.Time
	status     int
	err        error
	reused     bool        // sent on a kept-alive connection
	answered   atomic.Bool // a byte of the response arrived
	messageID  string
}

// TestShutdown_SIGTERMUnderLoadAnswersEveryAcceptedRequest sends SIGTERM
// while 12 partner senders and 4 web chat visitors post messages. The hub
// exits 0 within its shutdown timeout; every request it read got a whole
// answer, and every 2xx is stored exactly once after a restart. A refused
// connection (the listener is closed) or one closed before the hub read
// the request is "not sent": the sender retries it.
func TestShutdown_SIGTERMUnderLoadAnswersEveryAcceptedRequest(t *testing.T) {
	const shutdownTimeout = 10 * time.Second
	const partnerSenders, widgetSenders, sigtermAfter = 12, 4, 400
	t.Setenv("HUB_SHUTDOWN_TIMEOUT", shutdownTimeout.String())
	bin := buildHub(t)
	data := filepath.Join(t.TempDir(), "data")
	// The bot answers every message, so the outbox is busy sending to
	// this partner while the hub stops.
	fake := &downPartner{up: true, got: map[string]int{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	first := startProcess(t, bin, data)
	token := first.login(t)
	partnerID := createChannel(t, first, token, map[string]any{
		"type": "partner", "name": "OTA", "botEnabled": true,
		"config": map[string]string{"url": srv.URL, "secret": restartSecret},
	})
	createShuttleRule(t, first, token)
	var channels struct{ Items []struct{ ID, Type string } }
	first.call(t, "GET", "/api/v1/channels", token, nil, 200, &channels)
	widgetID := ""
	for _, ch := range channels.Items {
		if ch.Type == "webchat" {
			widgetID = ch.ID
		}
	}
	if widgetID == "" {
		t.Fatalf("no demo web chat channel: %+v", channels.Items)
	}

	// A connection opened and never used (a client's spare, a browser's
	// preconnect, a health check) must not hold the shutdown. Opened now,
	// the hub has accepted it long before SIGTERM.
	unused, err := net.Dial("tcp", strings.TrimPrefix(first.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer unused.Close()

	client := loadClient(t)
	var mu sync.Mutex
	var attempts []*attempt
	var other []string // answers that are neither a message's nor a clean refusal
	var acks atomic.Int64
	ready := make(chan struct{})
	var readyOnce sync.Once
	// post sends one message and records how it ended; false once the
	// listener is gone.
	post := func(req *http.Request, text string) bool {
		a := &attempt{text: text, start: time.Now()}
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
			GotConn:              func(info httptrace.GotConnInfo) { a.reused = info.Reused },
			GotFirstResponseByte: func() { a.answered.Store(true) },
		}))
		var body []byte
		a.status, body, a.err = do(client, req)
		a.end = time.Now()
		if a.err == nil && a.status/100 == 2 {
			var ack struct{ ID, MessageID string }
			_ = json.Unmarshal(body, &ack)
			a.messageID = ack.ID + ack.MessageID // web chat says id, partners messageId
			if acks.Add(1) == sigtermAfter {
				readyOnce.Do(func() { close(ready) })
			}
		}
		mu.Lock()
		attempts = append(attempts, a)
		mu.Unlock()
		return !refused(a.err)
	}

	var wg sync.WaitGroup
	for s := range partnerSenders {
		wg.Go(func() {
			for n := 0; ; n++ {
				id := fmt.Sprintf("sd-%d-%d", s, n)
				text := "Is the shuttle running tonight? ref " + id
				// A new guest every 8 messages keeps clear of the spam rules.
				guest := fmt.Sprintf("guest-%d-%d", s, n/8)
				if !post(partnerRequest(t.Context(), first.base, partnerID, id, guest, text), text) {
					return
				}
			}
		})
	}
	for s := range widgetSenders {
		wg.Go(func() {
			visitor := ""
			for n := 0; ; n++ {
				// A new visitor every 40 messages stays under the widget's
				// limit of 60 messages a minute per visitor.
				if n%40 == 0 {
					var ok bool
					if visitor, ok = widgetSession(t.Context(), client, first.base, widgetID, &mu, &other); !ok {
						return
					}
				}
				text := fmt.Sprintf("Is the shuttle running tonight? ref wd-%d-%d", s, n)
				raw, _ := json.Marshal(map[string]string{"text": text})
				req, _ := http.NewRequestWithContext(t.Context(), "POST", first.base+"/api/v1/widget/"+widgetID+"/messages", bytes.NewReader(raw))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+visitor)
				if !post(req, text) {
					return
				}
			}
		})
	}

	select {
	case <-ready:
	case <-time.After(2 * time.Minute):
		t.Fatalf("only %d messages acknowledged before the deadline\nstderr:\n%s", acks.Load(), first.stderr)
	}
	sigAt := time.Now()
	first.stop(t) // SIGTERM; fails unless the hub exits 0
	stopped := time.Since(sigAt)
	wg.Wait()
	if stopped > shutdownTimeout+5*time.Second {
		t.Errorf("the hub took %s to stop, its shutdown timeout is %s", stopped, shutdownTimeout)
	}
	// Requests and background work (bot, outbox) that outlived the store,
	// or anything else gone wrong while stopping, is logged as an error.
	if _, after, _ := strings.Cut(first.stderr.String(), `msg="shutting down"`); strings.Contains(after, "level=ERROR") || strings.Contains(after, "panic") {
		t.Errorf("errors logged while stopping:%s", after)
	}

	// Everything acknowledged is stored, once.
	second := startProcess(t, bin, data)
	defer second.stop(t)
	stored := map[string][]string{} // text → ids of the customer messages with it
	for _, c := range readInbox(t, second, second.login(t)) {
		for _, m := range c.inbound() {
			stored[m.Text] = append(stored[m.Text], m.ID)
		}
	}
	var ok, unavailable, notSent, unread, unreadReused, inFlight, inFlightOK int
	for _, a := range attempts {
		ids := stored[a.text]
		if len(ids) > 1 {
			t.Errorf("a message is stored %d times", len(ids))
		}
		during := a.start.Before(sigAt) && a.end.After(sigAt)
		if during {
			inFlight++
		}
		switch {
		case a.err == nil && a.status/100 == 2:
			ok++
			if during {
				inFlightOK++
			}
			if len(ids) != 1 || ids[0] != a.messageID {
				t.Errorf("message %s acknowledged with %d, stored as %v", a.messageID, a.status, ids)
			}
		case a.err == nil && a.status == http.StatusServiceUnavailable:
			unavailable++
		case a.err == nil:
			t.Errorf("answer %d while stopping", a.status)
		case refused(a.err):
			notSent++
		case a.answered.Load():
			t.Errorf("the answer was cut short (connection reused: %v): %v", a.reused, a.err)
		case len(ids) > 0:
			t.Errorf("the hub stored a message but its answer was lost (connection reused: %v): %v", a.reused, a.err)
		default:
			// The hub closed the connection before reading the request
			// (an idle kept-alive connection it closed as the request
			// was on its way): nothing was stored, a sender retries.
			unread++
			if a.reused {
				unreadReused++
			}
		}
	}
	for _, o := range other {
		t.Error(o)
	}
	t.Logf("%d messages sent, %d acknowledged; %d in flight at SIGTERM, %d of them acknowledged; %d 503, %d refused, "+
		"%d closed unread (%d on kept-alive connections); stopped in %s",
		len(attempts), ok, inFlight, inFlightOK, unavailable, notSent, unread, unreadReused, stopped.Round(time.Millisecond))
}

// widgetSession starts a web chat visitor; false once the hub is
// stopping. Other answers are recorded in other.
func widgetSession(ctx context.Context, c *http.Client, base, channelID string, mu *sync.Mutex, other *[]string) (string, bool) {
	req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/widget/"+channelID+"/session", strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	status, body, err := do(c, req)
	var s struct{ VisitorToken string }
	if err == nil && status == 200 && json.Unmarshal(body, &s) == nil && s.VisitorToken != "" {
		return s.VisitorToken, true
	}
	if err != nil || status == http.StatusServiceUnavailable {
		// Refused or closed unread: the hub is stopping, nothing was
		// stored. Cut answers are checked on the messages.
		return "", false
	}
	mu.Lock()
	*other = append(*other, fmt.Sprintf("new visitor session while stopping: %d %v", status, err))
	mu.Unlock()
	return "", false
}
