package adapters

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestCapBody(t *testing.T) {
	over := CapBody(io.NopCloser(strings.NewReader("0123456789AB")), 10)
	got, err := io.ReadAll(over)
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != http.StatusRequestEntityTooLarge || he.Code != "media_too_large" || len(got) != 10 {
		t.Fatalf("past the cap: read %d bytes, err %v", len(got), err)
	}
	exact := CapBody(io.NopCloser(strings.NewReader("0123456789")), 10)
	if got, err := io.ReadAll(exact); err != nil || len(got) != 10 {
		t.Fatalf("exactly at the cap: %d bytes, err %v", len(got), err)
	}
}
