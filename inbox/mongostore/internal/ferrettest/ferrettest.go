// Package ferrettest starts an in-process FerretDB (SQLite handler) for the
// mongostore tests, so `go test ./...` exercises the MongoDB store without a
// mongod on the machine. It is internal and meant for tests only.
//
// One server is shared by the whole test binary: starting FerretDB costs far
// more than creating a database, so tests isolate themselves by database
// name instead. Set HUB_TEST_MONGO_URI to run against a real server.
//
// The server is tuned so that the store suite's 10,000-hold tests run in a
// couple of minutes: IndexIDs, and the settings in start. These are
// performance aids for the stand-in only; no test result depends on them.
package ferrettest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"runtime/debug"
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
	// sqliteDir is the directory of the in-process server's SQLite files,
	// one per database; set by the first Start.
	sqliteDir string
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
	once.Do(func() { shared, sqliteDir, startErr = start() })
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

// Tuning of the in-process server. Neither changes what a test observes,
// only how long it takes (measured on 2 CPUs with the store suite's
// 10,000-hold tests; see also IndexIDs):
//
//   - synchronous(normal): FerretDB runs SQLite in WAL mode, where this
//     skips the fsync at every commit (durability across a power cut,
//     which a temporary test directory does not need). Every insert and
//     update is its own transaction; creating 10,000 conversations took
//     10 to 30 s with the fsyncs, varying with the disk, and 6 s without.
//   - GC percent 400, unless GOGC is set: FerretDB decodes every document
//     a query scans into fresh objects, so the server's scans keep the
//     collector busy on the CPUs the tests need; two concurrent
//     releasers of 10,000 holds took 99 s at the default 100, 61 s at
//     400, and about the same at 1000 with twice the memory.
const (
	sqliteParams = "?_pragma=synchronous(normal)"
	gcPercent    = 400
)

func start() (uri, dir string, err error) {
	dir, err = os.MkdirTemp("", "hub-ferretdb-")
	if err != nil {
		return "", "", err
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    logger(),
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/" + sqliteParams,
	})
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", "", fmt.Errorf("new FerretDB: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Run(ctx)
	}()
	// MongoDBURI blocks until Run has bound the listener.
	uri = f.MongoDBURI()
	if err := waitTCP(uri); err != nil {
		cancel()
		<-done
		_ = os.RemoveAll(dir)
		return "", "", err
	}
	stopMu.Lock()
	stopFn = func() {
		cancel()
		<-done
		_ = os.RemoveAll(dir)
	}
	stopMu.Unlock()
	return uri, dir, nil
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
