package hub_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"time"

	"hub/config"
	"hub/hub"
	"hub/inbox/sqlitestore"
)

// TestRun_StopsWhenTheSignalCameBeforeServing cancels Run's context before
// Run starts: the server may not have taken the listener yet when the
// shutdown runs, and Run must still return (it used to wait for a server
// that started serving after its shutdown).
func TestRun_StopsWhenTheSignalCameBeforeServing(t *testing.T) {
	for i := range 20 {
		store, err := sqlitestore.Open(filepath.Join(t.TempDir(), "hub.db"))
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		cfg := config.Default()
		cfg.DataDir = t.TempDir()
		h := hub.New(hub.Options{Config: cfg, Store: store, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		done := make(chan error, 1)
		go func() { done <- h.Run(ctx, ln) }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run %d: Run = %v, want a clean stop", i, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("run %d: Run did not return after its context ended before serving", i)
		}
		// The port is free again: nothing is left serving on it.
		if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
			c.Close()
			t.Fatalf("run %d: something still accepts on %s", i, ln.Addr())
		}
		store.Close()
	}
}
