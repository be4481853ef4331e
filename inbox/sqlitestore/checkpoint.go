package sqlitestore

import (
	"context"
	"database/sql"
	"sync/atomic"
	"time"
)

// Checkpoints. In WAL mode every commit appends pages to the log, and a
// checkpoint copies them back into the database file. SQLite's default is
// to do that inside the commit that makes the log pass 1,000 pages, which
// puts a few megabytes of copying and two fsyncs on the path of whatever
// request happens to commit then (a customer's message, a batch of
// released holds). Instead a connection of its own checkpoints in the
// background every checkpointInterval (PASSIVE: it never waits for, nor
// blocks, the writer or the readers), and the writer checkpoints itself
// only past walBackstopPages, when the background has fallen behind.
const (
	checkpointInterval = time.Second
	// walBackstopPages is 64 MiB of 4 KiB pages.
	walBackstopPages = 16384
	// walSizeLimit truncates the log file back to 64 MiB after a
	// checkpoint, so one large burst does not keep a large file forever.
	walSizeLimit = 64 << 20
)

// checkpointer runs PASSIVE checkpoints until stopped.
type checkpointer struct {
	db   *sql.DB
	stop context.CancelFunc
	done chan struct{}
	// copied counts the log pages copied into the database file.
	copied atomic.Int64
}

func startCheckpointer(db *sql.DB, every time.Duration) *checkpointer {
	ctx, cancel := context.WithCancel(context.Background())
	c := &checkpointer{db: db, stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				c.checkpoint(ctx)
			}
		}
	}()
	return c
}

// checkpoint copies what it can. Errors are not fatal: a busy database is
// tried again next tick, and the writer's backstop bounds the log anyway.
func (c *checkpointer) checkpoint(ctx context.Context) {
	var busy, logPages, done int64
	if err := c.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logPages, &done); err != nil {
		return
	}
	if done > 0 {
		c.copied.Add(done)
	}
}

// close stops the loop and closes its connection (a store built without
// one, as some tests build it, has nothing to stop).
func (c *checkpointer) close() error {
	if c == nil {
		return nil
	}
	c.stop()
	<-c.done
	return c.db.Close()
}
