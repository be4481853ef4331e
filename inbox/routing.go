package inbox

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"
)

// Routing decisions:
//   - Queues: the workspace's (no team) and one per team, served oldest
//     QueuedAt first. Joining a queue (handoff, release, transfer to a
//     team, a transfer nobody accepted) sets QueuedAt to now, so a
//     conversation transferred to a team is last in its queue.
//   - Auto mode offers the oldest queued conversation to the available
//     agent (a team member for a team queue) with free capacity who got
//     work longest ago (RoutedAt, set when offered): equal times go round
//     robin because the offer itself moves the agent to the back.
//   - Capacity counts open conversations held plus offers pending;
//     pending (on hold) ones do not count.
//   - An offer not accepted in OfferTimeoutSeconds makes its agent RONA
//     (no offers until they are available again) and goes to the next
//     agent; after MaxOfferAttempts offers it stays in the queue for
//     anyone to take. A declined offer moves the decliner to the back.
//   - Route runs on every change that may free an agent or fill a queue
//     (the hub calls it), and is safe to run concurrently: each offer is a
//     conditional update of the conversation.

// Route makes the offers auto mode calls for in one workspace and returns
// how many it made. It does nothing in manual mode.
func (s *Service) Route(ctx context.Context, workspaceID string) (int, error) {
	w, err := s.store.GetWorkspace(ctx, workspaceID)
	if err != nil || !AutoRouting(w.Settings) {
		return 0, err
	}
	agents, err := s.store.ListAgents(ctx, workspaceID)
	if err != nil || len(agents) == 0 {
		return 0, err
	}
	queue, err := s.queues(ctx, workspaceID)
	if err != nil {
		return 0, err
	}
	free, err := s.freeAgents(ctx, w.Settings, agents, pendingOffers(queue))
	if err != nil || len(free) == 0 {
		return 0, err
	}
	teams := map[string][]string{}
	offered := 0
	for i := range queue {
		c := &queue[i]
		if c.Offer != nil || c.OfferAttempts >= maxOfferAttempts(w.Settings) {
			continue
		}
		if c.TeamID != "" {
			if _, ok := teams[c.TeamID]; !ok {
				if t, err := s.store.GetTeam(ctx, workspaceID, c.TeamID); err == nil {
					teams[c.TeamID] = t.AgentIDs
				} else {
					teams[c.TeamID] = nil // a deleted team: anyone
				}
			}
		}
		pick := pickAgent(free, c.TeamID, teams[c.TeamID])
		if pick == nil {
			continue
		}
		ok, err := s.offer(ctx, c, pick.agent, w.Settings)
		if err != nil {
			return offered, err
		}
		if ok {
			offered++
			pick.slots--
			pick.agent.RoutedAt = s.clock.Now()
		}
	}
	return offered, nil
}

// candidate is an available agent and how many more conversations they take.
type candidate struct {
	agent *Agent
	slots int
}

func (s *Service) freeAgents(ctx context.Context, settings WorkspaceSettings, agents []Agent, pending map[string]int) ([]*candidate, error) {
	var out []*candidate
	for i := range agents {
		a := &agents[i]
		if a.Disabled || a.Status != AgentAvailable {
			continue
		}
		held, err := s.store.CountAssigned(ctx, a.WorkspaceID, a.ID, StatusOpen)
		if err != nil {
			return nil, err
		}
		if slots := capacity(settings, a) - held - pending[a.ID]; slots > 0 {
			out = append(out, &candidate{agent: a, slots: slots})
		}
	}
	return out, nil
}

// pendingOffers counts routing offers waiting per agent in the queues:
// they hold a slot.
func pendingOffers(queue []Conversation) map[string]int {
	n := map[string]int{}
	for _, c := range queue {
		if c.Offer != nil {
			n[c.Offer.AgentID]++
		}
	}
	return n
}

// queues returns every queued conversation of the workspace, oldest first.
func (s *Service) queues(ctx context.Context, workspaceID string) ([]Conversation, error) {
	all, err := s.store.ListQueue(ctx, workspaceID, "", 500)
	if err != nil {
		return nil, err
	}
	teams, err := s.store.ListTeams(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	for _, t := range teams {
		q, err := s.store.ListQueue(ctx, workspaceID, t.ID, 500)
		if err != nil {
			return nil, err
		}
		all = append(all, q...)
	}
	slices.SortStableFunc(all, func(a, b Conversation) int {
		return queuedAt(&a).Compare(queuedAt(&b))
	})
	return all, nil
}

func queuedAt(c *Conversation) time.Time {
	if c.QueuedAt == nil {
		return time.Time{}
	}
	return *c.QueuedAt
}

// pickAgent returns the free agent idle longest (for a team queue, a
// member of the team), or nil.
func pickAgent(free []*candidate, teamID string, members []string) *candidate {
	var best *candidate
	for _, c := range free {
		if c.slots <= 0 || (teamID != "" && members != nil && !slices.Contains(members, c.agent.ID)) {
			continue
		}
		if best == nil || c.agent.RoutedAt.Before(best.agent.RoutedAt) ||
			(c.agent.RoutedAt.Equal(best.agent.RoutedAt) && c.agent.ID < best.agent.ID) {
			best = c
		}
	}
	return best
}

// offer proposes c to agent; false when c changed meanwhile.
func (s *Service) offer(ctx context.Context, c *Conversation, agent *Agent, settings WorkspaceSettings) (bool, error) {
	conv, from, err := s.update(ctx, c.WorkspaceID, c.ID, func(c *Conversation, now time.Time) error {
		if c.Status != StatusOpen || c.AssigneeID != "" || c.Offer != nil || c.OfferAttempts >= maxOfferAttempts(settings) {
			return conflict("not_queued", "the conversation is no longer waiting in a queue")
		}
		c.Offer = &Offer{AgentID: agent.ID, Kind: OfferRoute, At: now, ExpiresAt: now.Add(offerTimeout(settings))}
		c.OfferAttempts++
		return nil
	})
	var ce *ConflictError
	if errors.As(err, &ce) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := s.store.SetAgentRoutedAt(ctx, c.WorkspaceID, agent.ID, conv.Offer.At); err != nil {
		return true, err
	}
	data := map[string]string{"agentId": agent.ID, "kind": OfferRoute, "attempt": strconv.Itoa(conv.OfferAttempts)}
	if err := s.record(ctx, conv, EventOffered, Author{Type: AuthorSystem}, from, data); err != nil {
		return true, err
	}
	s.emitConversation(ConversationUpdated, conv)
	return true, nil
}

// AcceptOffer takes the conversation the actor was offered (by routing or
// a transfer). An offer that expired or is someone else's is a conflict.
func (s *Service) AcceptOffer(ctx context.Context, actor Actor, conversationID string) (*Conversation, error) {
	c, err := s.act(ctx, actor, conversationID, EventAccepted, map[string]string{"agentId": actor.AgentID}, func(c *Conversation, now time.Time) error {
		if err := ownOffer(c, actor, now); err != nil {
			return err
		}
		c.AssigneeID = actor.AgentID
		c.Offer = nil
		c.Participants = slices.DeleteFunc(c.Participants, func(p string) bool { return p == actor.AgentID })
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, s.store.SetAgentRoutedAt(ctx, actor.WorkspaceID, actor.AgentID, s.clock.Now())
}

func ownOffer(c *Conversation, actor Actor, now time.Time) error {
	switch {
	case c.Offer == nil:
		return conflict("no_offer", "there is no offer for this conversation")
	case c.Offer.AgentID != actor.AgentID:
		return conflict("offer_not_yours", "this conversation was offered to another agent")
	case !now.Before(c.Offer.ExpiresAt):
		return conflict("offer_expired", "the offer expired")
	}
	return nil
}

// DeclineOffer turns an offer down. A routing offer goes to the next
// agent (the decliner moves to the back of the line); a declined transfer
// goes back to the queue, as one nobody accepted.
func (s *Service) DeclineOffer(ctx context.Context, actor Actor, conversationID string) (*Conversation, error) {
	c, err := s.act(ctx, actor, conversationID, EventOfferDeclined, map[string]string{"agentId": actor.AgentID}, func(c *Conversation, now time.Time) error {
		if err := ownOffer(c, actor, now); err != nil {
			return err
		}
		dropOffer(c, now)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, s.store.SetAgentRoutedAt(ctx, actor.WorkspaceID, actor.AgentID, s.clock.Now())
}

// dropOffer ends c's offer; a transfer nobody took puts it in the queue.
func dropOffer(c *Conversation, now time.Time) {
	if c.Offer.Kind == OfferTransfer {
		c.AssigneeID = ""
		c.QueuedAt = &now
		c.OfferAttempts = 0
	}
	c.Offer = nil
}

// ExpireOffers ends every offer past its time, across workspaces: the
// agent of an expired routing offer becomes RONA; an expired transfer goes
// back to the queue (its source agent sees it in the feed and the events).
// It returns the workspaces touched, for the hub to route again.
func (s *Service) ExpireOffers(ctx context.Context) ([]string, error) {
	now := s.clock.Now()
	due, err := s.store.ListOffersDue(ctx, now, 200)
	if err != nil {
		return nil, err
	}
	var touched []string
	for i := range due {
		c := &due[i]
		offer := *c.Offer
		conv, from, err := s.update(ctx, c.WorkspaceID, c.ID, func(c *Conversation, now time.Time) error {
			if c.Offer == nil || *c.Offer != offer || now.Before(c.Offer.ExpiresAt) {
				return conflict("offer_changed", "the offer was answered meanwhile")
			}
			dropOffer(c, now)
			return nil
		})
		var ce *ConflictError
		if errors.As(err, &ce) {
			continue
		}
		if err != nil {
			return touched, err
		}
		data := map[string]string{"agentId": offer.AgentID, "kind": offer.Kind}
		if offer.FromAgentID != "" {
			data["fromAgentId"] = offer.FromAgentID
		}
		if err := s.record(ctx, conv, EventRONA, Author{Type: AuthorSystem}, from, data); err != nil {
			return touched, err
		}
		if offer.Kind == OfferRoute {
			if _, err := s.setStatus(ctx, c.WorkspaceID, offer.AgentID, AgentRONA); err != nil {
				return touched, err
			}
		}
		s.emitConversation(ConversationUpdated, conv)
		if !slices.Contains(touched, c.WorkspaceID) {
			touched = append(touched, c.WorkspaceID)
		}
	}
	return touched, nil
}
