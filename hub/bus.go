package hub

import (
	"sync"

	"hub/inbox"
)

// Bus is the in-process event bus: the service's changes go in, agent
// WebSockets (and later notifications, reports) take them out per
// workspace. It is an interface boundary so a NATS-backed bus can replace
// it when several hub instances share a store.
type Bus struct {
	mu   sync.Mutex
	subs map[string]map[chan inbox.Change]struct{}
}

// subscriberBuffer is how many changes a slow subscriber may lag behind
// before it is dropped; a dropped agent socket reconnects and reloads.
const subscriberBuffer = 256

// NewBus returns an empty bus.
func NewBus() *Bus { return &Bus{subs: map[string]map[chan inbox.Change]struct{}{}} }

// Publish hands the change to every subscriber of its workspace without
// blocking. A subscriber whose buffer is full is disconnected.
func (b *Bus) Publish(c inbox.Change) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs[c.WorkspaceID] {
		select {
		case ch <- c:
		default:
			delete(b.subs[c.WorkspaceID], ch)
			close(ch)
		}
	}
}

// Subscribe returns the workspace's changes until cancel is called.
func (b *Bus) Subscribe(workspaceID string) (<-chan inbox.Change, func()) {
	ch := make(chan inbox.Change, subscriberBuffer)
	b.mu.Lock()
	if b.subs[workspaceID] == nil {
		b.subs[workspaceID] = map[chan inbox.Change]struct{}{}
	}
	b.subs[workspaceID][ch] = struct{}{}
	b.mu.Unlock()
	var once sync.Once
	cancel := func() {
		once.Do(func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			if _, ok := b.subs[workspaceID][ch]; ok {
				delete(b.subs[workspaceID], ch)
				close(ch)
			}
		})
	}
	return ch, cancel
}

// Close ends every subscription (shutdown): agent sockets see their feed
// end and close.
func (b *Bus) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ws, subs := range b.subs {
		for ch := range subs {
			close(ch)
		}
		delete(b.subs, ws)
	}
}
