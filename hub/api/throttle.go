package api

import (
	"strings"
	"sync"
	"time"
)

// loginThrottle refuses sign-in attempts once an account or an address
// has failed too often in the last minute: 10 failures per account and
// per client IP, whichever comes first. Password guessing then costs a
// minute per ten tries, and a flood of bcrypt checks cannot tie up the
// server. A successful sign-in clears the account's count (not the IP's:
// one real password does not licence guessing others from that address).
//
// The counts live in memory, per hub instance; behind several instances
// an attacker gets 10 tries per instance per minute.
type loginThrottle struct {
	mu       sync.Mutex
	limit    int
	window   time.Duration
	failures map[string][]time.Time
	now      func() time.Time
}

func newLoginThrottle() *loginThrottle {
	return &loginThrottle{limit: 10, window: time.Minute, failures: map[string][]time.Time{}, now: time.Now}
}

func throttleKeys(email, ip string) []string {
	return []string{"account:" + strings.ToLower(strings.TrimSpace(email)), "ip:" + ip}
}

// blocked reports whether a sign-in for email from ip must wait, and how long.
func (t *loginThrottle) blocked(email, ip string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	for _, k := range throttleKeys(email, ip) {
		recent := t.recent(k, now)
		if len(recent) >= t.limit {
			if w := recent[0].Add(t.window).Sub(now); w > wait {
				wait = w
			}
		}
	}
	return wait > 0, wait
}

func (t *loginThrottle) recent(key string, now time.Time) []time.Time {
	list := t.failures[key]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= t.window {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(t.failures, key)
	} else {
		t.failures[key] = list
	}
	return list
}

func (t *loginThrottle) failed(email, ip string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	for _, k := range throttleKeys(email, ip) {
		t.failures[k] = append(t.recent(k, now), now)
	}
	if len(t.failures) > 100000 {
		// An address spray must not grow memory without bound.
		for k := range t.failures {
			t.recent(k, now)
		}
	}
}

func (t *loginThrottle) succeeded(email string) {
	t.mu.Lock()
	delete(t.failures, throttleKeys(email, "")[0])
	t.mu.Unlock()
}
