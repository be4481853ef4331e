package api

import (
	"context"
	"sync"
	"time"

	"hub/inbox"
)

// presence counts each agent's live /ws/agent connections on this hub
// instance: the first connection brings an offline agent back as
// available, and an agent whose last connection closed is offline once
// the workspace's grace period has passed without a new one (a page
// reload or a short network drop changes nothing).
//
// With several hub instances each counts its own connections; an agent
// connected to two instances goes offline when either one's grace ends,
// and comes back with the next connection.
type presence struct {
	svc *inbox.Service
	log interface {
		Warn(msg string, args ...any)
	}
	mu     sync.Mutex
	conns  map[string]int
	timers map[string]*time.Timer
}

func newPresence(svc *inbox.Service, log interface{ Warn(string, ...any) }) *presence {
	return &presence{svc: svc, log: log, conns: map[string]int{}, timers: map[string]*time.Timer{}}
}

func (p *presence) connected(who inbox.Actor) {
	p.mu.Lock()
	p.conns[who.AgentID]++
	if t := p.timers[who.AgentID]; t != nil {
		t.Stop()
		delete(p.timers, who.AgentID)
	}
	first := p.conns[who.AgentID] == 1
	p.mu.Unlock()
	if first {
		p.set(who, true)
	}
}

func (p *presence) disconnected(who inbox.Actor) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns[who.AgentID]--
	if p.conns[who.AgentID] > 0 {
		return
	}
	delete(p.conns, who.AgentID)
	grace := time.Minute
	if ws, err := p.svc.Workspace(context.Background(), who); err == nil {
		grace = inbox.OfflineGrace(ws.Settings)
	}
	p.timers[who.AgentID] = time.AfterFunc(grace, func() {
		p.mu.Lock()
		gone := p.conns[who.AgentID] == 0
		delete(p.timers, who.AgentID)
		p.mu.Unlock()
		if gone {
			p.set(who, false)
		}
	})
}

func (p *presence) set(who inbox.Actor, connected bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := p.svc.SetPresence(ctx, who.WorkspaceID, who.AgentID, connected); err != nil {
		p.log.Warn("presence not recorded", "agent", who.AgentID, "err", err)
	}
}
