package adapterstest

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// ErrorCode is the code of an {"error":{"code"}} body.
func ErrorCode(t testing.TB, body []byte) string {
	t.Helper()
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	MustUnmarshal(t, body, &e)
	return e.Error.Code
}

// MustUnmarshal decodes JSON b into v or fails the test.
func MustUnmarshal(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
}

// JSONEqual compares two JSON documents ignoring key order and spacing.
func JSONEqual(t testing.TB, got []byte, want string) {
	t.Helper()
	var g, w any
	MustUnmarshal(t, got, &g)
	MustUnmarshal(t, []byte(want), &w)
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if !bytes.Equal(gb, wb) {
		t.Fatalf("JSON mismatch\n got: %s\nwant: %s", gb, wb)
	}
}

// Eventually polls cond for up to 5 s, failing the test if it never holds.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
