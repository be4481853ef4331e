package hub

import (
	"sync"
	"time"
)

// pacer spaces sends so no provider limit is hit: per channel (one sender
// number, one bot) and per chat (one customer). Each key has the earliest
// time its next send may start. Keys are independent, so a busy chat or
// channel never delays the others.
//
// Pacing is per hub process: two instances on one store each keep their
// own budget (configure the limits for the share each instance gets).
type pacer struct {
	mu   sync.Mutex
	next map[string]time.Time
}

func newPacer() *pacer { return &pacer{next: map[string]time.Time{}} }

// reserve books the earliest send time on key, spaced by interval from
// the previous one, and returns it. When that time is more than maxWait
// away nothing is booked and ok is false: the caller puts the message back
// until then instead of holding it. A chat is booked first and the channel
// only once the chat's turn has come, so a chat waiting for its turn never
// holds the channel's slots.
func (p *pacer) reserve(key string, interval time.Duration, now time.Time, maxWait time.Duration) (at time.Time, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	at = later(now, p.next[key])
	if at.Sub(now) > maxWait {
		return at, false
	}
	if interval > 0 {
		p.next[key] = at.Add(interval)
	}
	return at, true
}

// sent records when a send to chatKey finished: the provider saw the
// message no later than that, so the next one is spaced from there (network
// delays cannot squeeze two messages into one interval).
func (p *pacer) sent(chatKey string, perChat time.Duration, done time.Time) {
	if perChat <= 0 {
		return
	}
	p.mu.Lock()
	p.next[chatKey] = later(p.next[chatKey], done.Add(perChat))
	p.mu.Unlock()
}

// block keeps key quiet until t (a provider's retry_after).
func (p *pacer) block(key string, until time.Time) {
	p.mu.Lock()
	p.next[key] = later(p.next[key], until)
	p.mu.Unlock()
}

// forget drops keys whose time has passed, so the map does not grow with
// every customer ever written to.
func (p *pacer) forget(now time.Time) {
	p.mu.Lock()
	for k, t := range p.next {
		if t.Before(now) {
			delete(p.next, k)
		}
	}
	p.mu.Unlock()
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
