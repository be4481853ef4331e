package sqlitestore

import (
	"context"
	"time"

	"hub/inbox"
)

// Routing: agent presence, queues, capacity and offers. The queries here
// are served by the indexes of migration 4: conversations_queue (queues
// and capacity counts) and conversations_offers (due offers).

// defaultQueuePage is ListQueue's limit when the caller gives none, and
// ListOffersDue's.
const defaultQueuePage = 100

// SetAgentStatus sets the agent's presence and when it changed, nothing
// else.
func (s *Store) SetAgentStatus(ctx context.Context, workspaceID, agentID string, st inbox.AgentStatus, at time.Time) error {
	return affected(s.w.ExecContext(ctx, `UPDATE agents SET status = ?, status_at = ?
		WHERE id = ? AND workspace_id = ?`, string(st), msOrZero(at), agentID, workspaceID))
}

// SetAgentRoutedAt sets when the agent was last given a conversation,
// nothing else.
func (s *Store) SetAgentRoutedAt(ctx context.Context, workspaceID, agentID string, at time.Time) error {
	return affected(s.w.ExecContext(ctx, `UPDATE agents SET routed_at = ?
		WHERE id = ? AND workspace_id = ?`, msOrZero(at), agentID, workspaceID))
}

// queueSQL walks conversations_queue: equality on its first four columns,
// then (queued_at, id) in index order, NULL queue times first.
// Arguments: workspace, status, team, limit.
const queueSQL = `SELECT ` + convCols + ` FROM conversations
	WHERE workspace_id = ? AND status = ? AND assignee_id = '' AND team_id = ?
	ORDER BY queued_at, id LIMIT ?`

// ListQueue returns the open conversations nobody holds in the workspace's
// queue (teamID "") or a team's, oldest queue time first.
func (s *Store) ListQueue(ctx context.Context, workspaceID, teamID string, limit int) ([]inbox.Conversation, error) {
	if limit <= 0 {
		limit = defaultQueuePage
	}
	rows, err := s.r.QueryContext(ctx, queueSQL, workspaceID, string(inbox.StatusOpen), teamID, limit)
	if err != nil {
		return nil, err
	}
	return collectRows(rows, scanConv)
}

// countAssignedSQL counts within one seek of the covering index
// conversations_queue on (workspace_id, status, assignee_id): no row is
// read. Arguments: workspace, agent, status.
const countAssignedSQL = `SELECT count(*) FROM conversations
	WHERE workspace_id = ? AND assignee_id = ? AND status = ?`

// CountAssigned counts the workspace's conversations with status s held by
// the agent.
func (s *Store) CountAssigned(ctx context.Context, workspaceID, agentID string, st inbox.Status) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, countAssignedSQL, workspaceID, agentID, string(st)).Scan(&n)
	return n, mapErr(err)
}

// offersDueSQL is a range on the partial index conversations_offers, which
// holds only conversations with an offer. Arguments: now, limit.
const offersDueSQL = `SELECT ` + convCols + ` FROM conversations
	WHERE offer_expires_at <= ?
	ORDER BY offer_expires_at, id LIMIT ?`

// ListOffersDue returns conversations of every workspace whose offer
// expired at or before now, the oldest expiry first (then id), at most
// limit (0: 100).
func (s *Store) ListOffersDue(ctx context.Context, now time.Time, limit int) ([]inbox.Conversation, error) {
	if limit <= 0 {
		limit = defaultQueuePage
	}
	rows, err := s.r.QueryContext(ctx, offersDueSQL, ms(now), limit)
	if err != nil {
		return nil, err
	}
	return collectRows(rows, scanConv)
}
