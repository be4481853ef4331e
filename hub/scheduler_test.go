package hub

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"
)

// TestScheduler_RunsJobsAndSurvivesPanics runs a job that panics once and
// then keeps being called (SkipIfStillRunning before Recover), and checks
// Stop cancels the job's context and waits for it.
func TestScheduler_RunsJobsAndSurvivesPanics(t *testing.T) {
	s := NewScheduler(slog.New(slog.NewTextHandler(io.Discard, nil)))
	calls := make(chan int, 10)
	n := 0
	err := s.Every("test", time.Second, func(ctx context.Context) error {
		n++
		calls <- n
		if n == 1 {
			panic("first run fails")
		}
		return errors.New("logged, not fatal")
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	for want := 1; want <= 2; want++ {
		select {
		case got := <-calls:
			if got != want {
				t.Fatalf("call %d, want %d", got, want)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("job not called a %dth time", want)
		}
	}
	s.Stop()
	if s.ctx.Err() == nil {
		t.Fatal("Stop did not cancel the jobs' context")
	}
}
