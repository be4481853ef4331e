package hub

import (
	"testing"
	"time"
)

func TestPacer_SpacesEachKeyIndependently(t *testing.T) {
	p := newPacer()
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	if at, ok := p.reserve("chat:a", time.Second, t0, time.Minute); !ok || !at.Equal(t0) {
		t.Fatalf("first send: %v %v", at, ok)
	}
	if at, _ := p.reserve("chat:a", time.Second, t0, time.Minute); !at.Equal(t0.Add(time.Second)) {
		t.Fatalf("second send to the same chat at %v", at)
	}
	if at, _ := p.reserve("chat:b", time.Second, t0, time.Minute); !at.Equal(t0) {
		t.Fatalf("another chat waits: %v", at)
	}
	// Too far away: nothing booked, the caller requeues.
	if at, ok := p.reserve("chat:a", time.Second, t0, 500*time.Millisecond); ok || !at.Equal(t0.Add(2*time.Second)) {
		t.Fatalf("over maxWait: %v %v", at, ok)
	}
	// A send that finished late spaces the next one from its end.
	p.sent("chat:b", time.Second, t0.Add(3*time.Second))
	if at, _ := p.reserve("chat:b", time.Second, t0, time.Minute); !at.Equal(t0.Add(4 * time.Second)) {
		t.Fatalf("after a slow send: %v", at)
	}
	p.block("channel:x", t0.Add(5*time.Second))
	if at, _ := p.reserve("channel:x", 0, t0, time.Minute); !at.Equal(t0.Add(5 * time.Second)) {
		t.Fatalf("blocked key: %v", at)
	}
	p.forget(t0.Add(time.Hour))
	if len(p.next) != 0 {
		t.Fatalf("forget kept %v", p.next)
	}
}

func TestBackoff_DoublesUpToTheCap(t *testing.T) {
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	for i, w := range want {
		if got := backoff(i + 1); got != w {
			t.Errorf("backoff(%d) = %s, want %s", i+1, got, w)
		}
	}
	if got := backoff(11); got != outboxMaxBackoff {
		t.Errorf("backoff(11) = %s", got)
	}
	if got := backoff(29); got != outboxMaxBackoff {
		t.Errorf("backoff(29) = %s", got)
	}
}

func TestSealer_RoundTripAndTamper(t *testing.T) {
	s := newSealer([]byte("server key"))
	sealed, err := s.Seal("123456:token")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Open(sealed); err != nil || got != "123456:token" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	again, _ := s.Seal("123456:token")
	if again == sealed {
		t.Error("two seals of one value are equal: the nonce is not random")
	}
	if _, err := newSealer([]byte("other key")).Open(sealed); err == nil {
		t.Error("another key opened the secret")
	}
	if _, err := s.Open(sealed[:len(sealed)-2] + "AA"); err == nil {
		t.Error("a tampered secret opened")
	}
	if maskSecret("supersecrettoken99") != "••••en99" || maskSecret("short") != "••••" {
		t.Error("mask")
	}
}
