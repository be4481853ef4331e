package webchat

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"hub/adapters"
)

// Abuse limits. The widget is open to the whole internet: a script must not
// be able to mint visitors or pour messages into the inbox faster than a
// person could. The limits are per hub instance, in memory, over a sliding
// minute of real time (not the adapter's clock, which tests move by hand):
//   - new visitor sessions: MaxNewSessionsPerMinute per client address
//     (renewing a valid token does not count);
//   - messages: MaxMessagesPerMinute per visitor, over REST and WebSocket.
//
// A refusal is 429 rate_limited with Retry-After; nothing is stored. The
// spam rules of the bot (20 messages in 10 s) act before this for people
// who merely type fast.
const (
	defaultNewSessionsPerMinute = 60
	defaultMessagesPerMinute    = 60
	maxTrackedKeys              = 100000
)

// window counts events per key over the last minute.
type window struct {
	mu     sync.Mutex
	limit  int
	events map[string][]time.Time
}

func newWindow(limit int) *window { return &window{limit: limit, events: map[string][]time.Time{}} }

// allow records an event for key unless the key is at its limit, in which
// case it reports how long until it may try again.
func (w *window) allow(key string, now time.Time) (bool, time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	recent := w.events[key]
	i := 0
	for i < len(recent) && now.Sub(recent[i]) >= time.Minute {
		i++
	}
	recent = recent[i:]
	if len(recent) >= w.limit {
		w.events[key] = recent
		return false, recent[0].Add(time.Minute).Sub(now)
	}
	if len(w.events) >= maxTrackedKeys {
		w.sweep(now)
	}
	w.events[key] = append(recent, now)
	return true, 0
}

// sweep drops keys with nothing in the last minute, so a spray of
// addresses cannot grow memory without bound.
func (w *window) sweep(now time.Time) {
	for k, list := range w.events {
		if len(list) == 0 || now.Sub(list[len(list)-1]) >= time.Minute {
			delete(w.events, k)
		}
	}
}

func errRateLimited(wait time.Duration) *adapters.HTTPError {
	secs := int(wait/time.Second) + 1
	return adapters.Errorf(http.StatusTooManyRequests, "rate_limited", "too many requests: try again in %s s", strconv.Itoa(secs))
}
