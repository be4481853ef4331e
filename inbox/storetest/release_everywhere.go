package storetest

import (
	"fmt"
	"sync"
	"testing"

	"hub/inbox"
)

// ReleaseEverywhere runs ReleaseDueHolds on every service from workers
// goroutines each, all at once, each calling until a call releases
// nothing, and returns how many each service's calls released in all.
func ReleaseEverywhere(t *testing.T, services []*inbox.Service, workers int) []int {
	t.Helper()
	released := make([]int, len(services))
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs []error
	)
	begin := make(chan struct{})
	for i, svc := range services {
		for range workers {
			wg.Go(func() {
				<-begin
				for calls := 0; calls < 1000; calls++ {
					n, err := svc.ReleaseDueHolds(t.Context())
					mu.Lock()
					released[i] += n
					if err != nil {
						errs = append(errs, fmt.Errorf("instance %d: %w", i, err))
					}
					mu.Unlock()
					if err != nil || n == 0 {
						return
					}
				}
				mu.Lock()
				errs = append(errs, fmt.Errorf("instance %d: still releasing after 1000 calls", i))
				mu.Unlock()
			})
		}
	}
	close(begin)
	wg.Wait()
	for _, err := range errs {
		t.Errorf("ReleaseDueHolds: %v", err)
	}
	return released
}
