package inbox

import (
	"context"
	"time"
)

// Valid reports whether s is a status an agent may choose (RONA is set by
// the system only).
func (s AgentStatus) Valid() bool {
	return s == AgentAvailable || s == AgentAway || s == AgentOffline
}

// SetMyStatus sets the actor's presence. Becoming available offers the
// queue at once (auto routing) through the hub's routing trigger.
func (s *Service) SetMyStatus(ctx context.Context, actor Actor, status AgentStatus) (*Agent, error) {
	if !status.Valid() {
		return nil, InvalidCode("invalid_status", "status", "status must be available, away or offline")
	}
	return s.setStatus(ctx, actor.WorkspaceID, actor.AgentID, status)
}

// SetPresence is the system's side of presence: an agent whose last live
// connection closed goes offline, a connecting one who was offline comes
// back available. A status the agent chose (away) or RONA is kept on
// connect.
func (s *Service) SetPresence(ctx context.Context, workspaceID, agentID string, connected bool) (*Agent, error) {
	a, err := s.store.GetAgent(ctx, workspaceID, agentID)
	if err != nil {
		return nil, err
	}
	switch {
	case connected && (a.Status == AgentOffline || a.Status == ""):
		return s.setStatus(ctx, workspaceID, agentID, AgentAvailable)
	case !connected && a.Status != AgentOffline:
		return s.setStatus(ctx, workspaceID, agentID, AgentOffline)
	}
	return a, nil
}

func (s *Service) setStatus(ctx context.Context, workspaceID, agentID string, status AgentStatus) (*Agent, error) {
	now := s.clock.Now()
	if err := s.store.SetAgentStatus(ctx, workspaceID, agentID, status, now); err != nil {
		return nil, err
	}
	a, err := s.store.GetAgent(ctx, workspaceID, agentID)
	if err != nil {
		return nil, err
	}
	cp := *a
	s.emit(Change{Kind: AgentUpdated, WorkspaceID: workspaceID, Agent: &cp})
	return a, nil
}

// capacity is how many open conversations the agent may hold.
func capacity(settings WorkspaceSettings, a *Agent) int {
	if a.MaxOpen > 0 {
		return a.MaxOpen
	}
	if settings.MaxOpenPerAgent > 0 {
		return settings.MaxOpenPerAgent
	}
	return 5
}

func offerTimeout(settings WorkspaceSettings) time.Duration {
	if settings.OfferTimeoutSeconds > 0 {
		return time.Duration(settings.OfferTimeoutSeconds) * time.Second
	}
	return 30 * time.Second
}

func maxOfferAttempts(settings WorkspaceSettings) int {
	if settings.MaxOfferAttempts > 0 {
		return settings.MaxOfferAttempts
	}
	return 3
}

// OfflineGrace is how long after an agent's last connection closed they
// are marked offline.
func OfflineGrace(settings WorkspaceSettings) time.Duration {
	if settings.OfflineGraceSeconds > 0 {
		return time.Duration(settings.OfflineGraceSeconds) * time.Second
	}
	return time.Minute
}

// AutoRouting reports whether the workspace offers conversations itself.
func AutoRouting(settings WorkspaceSettings) bool { return settings.RoutingMode == "auto" }
