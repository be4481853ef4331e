package hub

import (
	"context"
	"sync"

	"hub/inbox"
)

// router runs automatic routing (inbox.Service.Route) for a workspace
// whenever something changed that may free an agent or fill a queue: a
// conversation created, updated (handoff, release, close, hold, transfer)
// or an agent's status. Requests are coalesced per workspace and served by
// one goroutine, so a burst of changes makes one pass, not a hundred.
type router struct {
	h       *Hub
	mu      sync.Mutex
	pending map[string]bool
	kick    chan struct{}
}

func newRouter(h *Hub) *router {
	return &router{h: h, pending: map[string]bool{}, kick: make(chan struct{}, 1)}
}

// notice is the service listener.
func (r *router) notice(c inbox.Change) {
	switch c.Kind {
	case inbox.ConversationCreated, inbox.ConversationUpdated, inbox.AgentUpdated, inbox.HoldReleased:
		r.request(c.WorkspaceID)
	}
}

func (r *router) request(workspaceID string) {
	r.mu.Lock()
	r.pending[workspaceID] = true
	r.mu.Unlock()
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// Run routes requested workspaces until ctx is done.
func (r *router) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.kick:
		}
		r.mu.Lock()
		todo := r.pending
		r.pending = map[string]bool{}
		r.mu.Unlock()
		for ws := range todo {
			if _, err := r.h.svc.Route(ctx, ws); err != nil && ctx.Err() == nil {
				r.h.log.Error("routing failed", "workspace", ws, "err", err)
			}
		}
	}
}

// expireOffers is the cron job ending unanswered offers; the workspaces it
// touched are routed again at once.
func (h *Hub) expireOffers(ctx context.Context) error {
	touched, err := h.svc.ExpireOffers(ctx)
	for _, ws := range touched {
		h.router.request(ws)
	}
	return err
}

// closeIdle closes conversations idle past the workspace's setting.
func (h *Hub) closeIdle(ctx context.Context) error {
	n, err := h.svc.CloseIdleConversations(ctx)
	if n > 0 {
		h.log.Info("idle conversations closed", "count", n)
	}
	return err
}
