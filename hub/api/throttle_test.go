package api

import (
	"testing"
	"time"
)

func TestLoginThrottle_TenFailuresPerAccountAndPerAddressPerMinute(t *testing.T) {
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	th := newLoginThrottle()
	th.now = func() time.Time { return now }
	for i := range 10 {
		if b, _ := th.blocked("a@h.test", "10.0.0.1"); b {
			t.Fatalf("blocked after %d failures", i)
		}
		th.failed("A@h.test ", "10.0.0.1")
		now = now.Add(time.Second)
	}
	if b, wait := th.blocked("a@h.test", "10.0.0.2"); !b || wait != 50*time.Second {
		t.Fatalf("account after 10 failures: %v %v, want blocked 50s", b, wait)
	}
	if b, _ := th.blocked("other@h.test", "10.0.0.1"); !b {
		t.Fatal("the address is not blocked after 10 failures")
	}
	if b, _ := th.blocked("other@h.test", "10.0.0.3"); b {
		t.Fatal("an unrelated account and address are blocked")
	}
	now = now.Add(50 * time.Second)
	if b, _ := th.blocked("a@h.test", "10.0.0.1"); b {
		t.Fatal("still blocked after the minute")
	}
	th.failed("a@h.test", "10.0.0.9")
	th.succeeded("a@h.test")
	if len(th.failures["account:a@h.test"]) != 0 {
		t.Fatal("a success does not clear the account's failures")
	}
}
