package hub

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
)

// Scheduler runs periodic jobs. It wraps robfig/cron (unmaintained, so kept
// behind this small type); the jobs themselves are plain methods that tests
// call directly.
type Scheduler struct {
	cron *cron.Cron
	log  *slog.Logger
	ctx  context.Context
	stop context.CancelFunc
}

// NewScheduler returns a stopped scheduler.
func NewScheduler(log *slog.Logger) *Scheduler {
	cl := cronLogger{log}
	ctx, stop := context.WithCancel(context.Background())
	// SkipIfStillRunning must come before Recover: the other order leaves
	// a job skipped forever after one panic.
	c := cron.New(cron.WithChain(cron.SkipIfStillRunning(cl), cron.Recover(cl)))
	return &Scheduler{cron: c, log: log, ctx: ctx, stop: stop}
}

// Every runs job every interval; a run still going when the next is due
// is not doubled.
func (s *Scheduler) Every(name string, interval time.Duration, job func(ctx context.Context) error) error {
	_, err := s.cron.AddFunc(fmt.Sprintf("@every %s", interval), func() {
		if err := job(s.ctx); err != nil {
			s.log.Error("scheduled job failed", "job", name, "err", err)
		}
	})
	return err
}

// Start begins running jobs.
func (s *Scheduler) Start() { s.cron.Start() }

// Stop stops scheduling and waits for running jobs, which see their
// context cancelled.
func (s *Scheduler) Stop() {
	done := s.cron.Stop().Done()
	s.stop()
	<-done
}

type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
