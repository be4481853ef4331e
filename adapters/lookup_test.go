package adapters_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"hub/adapters"
	"hub/adapters/internal/adapterstest"
)

func TestLookupChannel(t *testing.T) {
	dir := adapterstest.NewDirectory(
		adapters.Channel{ID: "s1", Type: "sms"},
		adapters.Channel{ID: "off", Type: "sms", Disabled: true},
		adapters.Channel{ID: "w1", Type: "webchat"},
	)
	ch, err := adapters.LookupChannel(context.Background(), dir, "s1", "sms")
	if err != nil || ch.ID != "s1" {
		t.Fatalf("got %+v, %v", ch, err)
	}
	refused(t, dir, "", http.StatusNotFound, "channel_not_found")
	refused(t, dir, "nope", http.StatusNotFound, "channel_not_found")
	refused(t, dir, "w1", http.StatusNotFound, "channel_not_found")
	refused(t, dir, "off", http.StatusForbidden, "channel_disabled")

	down := errors.New("store down")
	dir.SetErr(down)
	if _, err := adapters.LookupChannel(context.Background(), dir, "s1", "sms"); err != down {
		t.Fatalf("lookup failure: got %v, want it as is", err)
	}
}

// refused checks that looking up sms channel id fails with that answer.
func refused(t *testing.T, dir adapters.Directory, id string, status int, code string) {
	t.Helper()
	_, err := adapters.LookupChannel(context.Background(), dir, id, "sms")
	var he *adapters.HTTPError
	if !errors.As(err, &he) || he.Status != status || he.Code != code {
		t.Errorf("channel %q: got %v, want %d %s", id, err, status, code)
	}
}
