package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"hub/inbox"
)

// sessionDoc is keyed by the token hash: the lookup on every request is
// then a primary-key read. Expired sessions stay until deleted (no TTL
// index on FerretDB); GetSession returns them and the caller checks
// ExpiresAt.
type sessionDoc struct {
	TokenHash   string    `bson:"_id"`
	AgentID     string    `bson:"agentId"`
	WorkspaceID string    `bson:"workspaceId"`
	CreatedAt   time.Time `bson:"createdAt"`
	ExpiresAt   time.Time `bson:"expiresAt"`
}

func (d *sessionDoc) toSession() inbox.Session {
	return inbox.Session{
		TokenHash:   d.TokenHash,
		AgentID:     d.AgentID,
		WorkspaceID: d.WorkspaceID,
		CreatedAt:   utc(d.CreatedAt),
		ExpiresAt:   utc(d.ExpiresAt),
	}
}

// CreateSession stores a new session; a token hash already stored is
// ErrDuplicate.
func (s *Store) CreateSession(ctx context.Context, sess *inbox.Session) error {
	_, err := s.sessions.InsertOne(ctx, sessionDoc{
		TokenHash:   sess.TokenHash,
		AgentID:     sess.AgentID,
		WorkspaceID: sess.WorkspaceID,
		CreatedAt:   sess.CreatedAt,
		ExpiresAt:   sess.ExpiresAt,
	})
	return s.fail("create session", err)
}

// GetSession returns the session with that token hash, expired or not.
func (s *Store) GetSession(ctx context.Context, tokenHash string) (*inbox.Session, error) {
	sess, err := findOne(ctx, s.sessions, bson.D{{Key: "_id", Value: tokenHash}}, (*sessionDoc).toSession)
	if err != nil {
		return nil, s.fail("get session", err)
	}
	return &sess, nil
}

// DeleteSession removes the session; an unknown one is ErrNotFound.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	res, err := s.sessions.DeleteOne(ctx, bson.D{{Key: "_id", Value: tokenHash}})
	if err != nil {
		return s.fail("delete session", err)
	}
	if res.DeletedCount == 0 {
		return inbox.ErrNotFound
	}
	return nil
}
