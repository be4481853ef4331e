package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

// Routing: agent presence, queues, capacity and offers. Each method is one
// operation on the server; the queries are served by the workspace_queue,
// offer_expiresAt and workspace_assignee_activity indexes (indexes.go).

// defaultQueuePage is ListQueue's limit when the caller gives none, and
// ListOffersDue's.
const defaultQueuePage = 100

// SetAgentStatus sets the agent's presence and when it changed, nothing
// else. An agent of another workspace is ErrNotFound.
func (s *Store) SetAgentStatus(ctx context.Context, workspaceID, agentID string, st inbox.AgentStatus, at time.Time) error {
	res, err := s.agents.UpdateOne(ctx, byID(workspaceID, agentID), bson.D{{Key: "$set", Value: bson.D{
		{Key: "status", Value: string(st)},
		{Key: "statusAt", Value: at},
	}}})
	if err != nil {
		return s.fail("set agent status", err)
	}
	return updated(res)
}

// SetAgentRoutedAt sets when the agent was last given a conversation,
// nothing else.
func (s *Store) SetAgentRoutedAt(ctx context.Context, workspaceID, agentID string, at time.Time) error {
	res, err := s.agents.UpdateOne(ctx, byID(workspaceID, agentID), bson.D{{Key: "$set", Value: bson.D{
		{Key: "routedAt", Value: at},
	}}})
	if err != nil {
		return s.fail("set agent routed at", err)
	}
	return updated(res)
}

// ListQueue returns the open conversations nobody holds in the workspace's
// queue (teamID "") or a team's, oldest queuedAt first, then by id. A
// conversation without queuedAt has no such field, which sorts first.
func (s *Store) ListQueue(ctx context.Context, workspaceID, teamID string, limit int) ([]inbox.Conversation, error) {
	if limit <= 0 {
		limit = defaultQueuePage
	}
	filter := bson.D{
		{Key: "workspaceId", Value: workspaceID},
		{Key: "status", Value: string(inbox.StatusOpen)},
		{Key: "assigneeId", Value: ""},
		{Key: "teamId", Value: teamID},
	}
	opts := options.Find().
		SetSort(bson.D{{Key: "queuedAt", Value: 1}, {Key: "_id", Value: 1}}).
		SetLimit(int64(limit))
	out, err := findAll(ctx, s.conversations, filter, opts, (*conversationDoc).toConversation)
	return out, s.fail("list queue", err)
}

// CountAssigned counts the workspace's conversations with status st held
// by the agent.
func (s *Store) CountAssigned(ctx context.Context, workspaceID, agentID string, st inbox.Status) (int, error) {
	filter := bson.D{
		{Key: "workspaceId", Value: workspaceID},
		{Key: "assigneeId", Value: agentID},
		{Key: "status", Value: string(st)},
	}
	n, err := s.conversations.CountDocuments(ctx, filter)
	if err != nil {
		return 0, s.fail("count assigned", err)
	}
	return int(n), nil
}

// ListOffersDue returns conversations of every workspace whose offer
// expired at or before now, the oldest expiry first (then id), at most
// limit (0: 100). Only datetimes match the range, so conversations without
// an offer never do.
func (s *Store) ListOffersDue(ctx context.Context, now time.Time, limit int) ([]inbox.Conversation, error) {
	if limit <= 0 {
		limit = defaultQueuePage
	}
	filter := bson.D{{Key: "offer.expiresAt", Value: bson.D{{Key: "$lte", Value: now}}}}
	opts := options.Find().
		SetSort(bson.D{{Key: "offer.expiresAt", Value: 1}, {Key: "_id", Value: 1}}).
		SetLimit(int64(limit))
	out, err := findAll(ctx, s.conversations, filter, opts, (*conversationDoc).toConversation)
	return out, s.fail("list offers due", err)
}
