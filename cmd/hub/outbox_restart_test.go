package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hub/adapters/partner"
)

const restartSecret = "restart-test-secret-0123"

// downPartner refuses every reply with 503 until up, then counts each
// reply by its idempotency key.
type downPartner struct {
	mu    sync.Mutex
	up    bool
	tries int
	got   map[string]int
}

func (d *downPartner) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tries++
	if !d.up {
		w.WriteHeader(503)
		return
	}
	if err := partner.Verify([][]byte{[]byte(restartSecret)}, r.Header.Get(partner.HeaderTimestamp), r.Header.Get(partner.HeaderSignature), body, time.Now()); err != nil {
		w.WriteHeader(401)
		return
	}
	d.got[r.Header.Get("Idempotency-Key")]++
	w.WriteHeader(200)
}

func (d *downPartner) state() (tries int, got map[string]int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	got = make(map[string]int, len(d.got))
	for k, v := range d.got {
		got[k] = v
	}
	return d.tries, got
}

// TestOutbox_RepliesQueuedBeforeSIGKILLAreDeliveredAfterRestart queues 100
// replies toward a partner that is down, kills the hub with SIGKILL,
// restarts it and brings the partner up: every reply arrives exactly once.
func TestOutbox_RepliesQueuedBeforeSIGKILLAreDeliveredAfterRestart(t *testing.T) {
	bin := buildHub(t)
	data := filepath.Join(t.TempDir(), "data")
	fake := &downPartner{got: map[string]int{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	first := startProcess(t, bin, data)
	token := first.login(t)
	var ch struct{ ID string }
	first.call(t, "POST", "/api/v1/channels", token, map[string]any{
		"type": "partner", "name": "OTA", "botEnabled": false,
		"config": map[string]string{"url": srv.URL, "secret": restartSecret},
	}, 201, &ch)

	const n = 100
	replies := make([]string, 0, n)
	for i := range n {
		body, _ := json.Marshal(map[string]any{
			"eventId": fmt.Sprintf("evt-%d", i), "type": "message",
			"guest": map[string]string{"id": fmt.Sprintf("guest-%d", i)}, "text": "Is late check-in possible?",
		})
		ts, sig := partner.Sign([]byte(restartSecret), body, time.Now())
		req, _ := http.NewRequest("POST", first.base+"/hooks/partner/"+ch.ID, strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(partner.HeaderTimestamp, ts)
		req.Header.Set(partner.HeaderSignature, sig)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var in struct{ ConversationID string }
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || json.Unmarshal(raw, &in) != nil || in.ConversationID == "" {
			t.Fatalf("inbound %d: %d %s", i, res.StatusCode, raw)
		}
		var msg struct{ ID string }
		first.call(t, "POST", "/api/v1/conversations/"+in.ConversationID+"/messages", token, map[string]string{"text": "Yes, the night desk is open."}, 201, &msg)
		replies = append(replies, msg.ID)
	}
	waitFor(t, "every reply tried once", 60*time.Second, func() bool { tries, _ := fake.state(); return tries >= n })

	if err := first.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_, _ = first.cmd.Process.Wait()
	fake.mu.Lock()
	fake.up = true
	fake.mu.Unlock()

	second := startProcess(t, bin, data)
	defer second.stop(t)
	waitFor(t, "all replies delivered", 120*time.Second, func() bool { _, got := fake.state(); return len(got) == n })
	time.Sleep(time.Second)
	_, got := fake.state()
	for _, id := range replies {
		if got[id] != 1 {
			t.Errorf("reply %s delivered %d times", id, got[id])
		}
	}
}

// waitFor polls cond, failing after a generous deadline (a hang, not a
// timing assertion).
func waitFor(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
