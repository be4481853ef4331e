// Package ferrettest starts an in-process FerretDB (SQLite handler) for the
// mongostore tests, so `go test ./...` exercises the MongoDB store without a
// mongod on the machine. It is internal and meant for tests only.
//
// One server is shared by the whole test binary: starting FerretDB costs far
// more than creating a database, so tests isolate themselves by database
// name instead. Set HUB_TEST_MONGO_URI to run against a real server.
package ferrettest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// EnvURI names the variable that points the tests at an existing server.
const EnvURI = "HUB_TEST_MONGO_URI"

var (
	once     sync.Once
	shared   string
	startErr error
)

// Start returns the URI of the server the tests should use: HUB_TEST_MONGO_URI
// when set, otherwise an in-process FerretDB started on first use and kept
// until Stop, which the test binary's TestMain calls after all tests. Its
// SQLite files live in a temporary directory that Stop removes.
func Start(t testing.TB) string {
	t.Helper()
	if uri := os.Getenv(EnvURI); uri != "" {
		return uri
	}
	once.Do(func() { shared, startErr = start() })
	if startErr != nil {
		t.Fatalf("ferrettest: %v", startErr)
	}
	return shared
}

var (
	stopMu sync.Mutex
	stopFn func()
)

// Stop shuts the shared server down and removes its files. Call it from
// TestMain after m.Run; it is a no-op when no server was started.
func Stop() {
	stopMu.Lock()
	defer stopMu.Unlock()
	if stopFn != nil {
		stopFn()
		stopFn = nil
	}
}

func start() (string, error) {
	dir, err := os.MkdirTemp("", "hub-ferretdb-")
	if err != nil {
		return "", err
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    logger(),
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
	})
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("new FerretDB: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()
	// MongoDBURI blocks until Run has bound the listener.
	uri := f.MongoDBURI()
	if err := waitTCP(uri); err != nil {
		cancel()
		<-done
		_ = os.RemoveAll(dir)
		return "", err
	}
	stopMu.Lock()
	stopFn = func() {
		cancel()
		<-done
		_ = os.RemoveAll(dir)
	}
	stopMu.Unlock()
	return uri, nil
}

// waitTCP guards against a listener that is bound but not yet accepting.
func waitTCP(uri string) error {
	u, err := url.Parse(uri)
	if err != nil {
		return fmt.Errorf("FerretDB URI %q: %w", uri, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", u.Host, time.Second)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("FerretDB at %s not reachable: %w", u.Host, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// logger keeps FerretDB quiet unless the tests run with -v, where its
// errors help explain a failing command. Warnings stay hidden even then:
// FerretDB warns about every client connection closed at shutdown.
func logger() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
