package mongostore

import (
	"context"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

type agentDoc struct {
	ID          string `bson:"_id"`
	WorkspaceID string `bson:"workspaceId"`
	Email       string `bson:"email"`
	// EmailLower carries the unique index: the address as typed is kept
	// for display, the folded one decides who owns it.
	EmailLower   string    `bson:"emailLower"`
	Name         string    `bson:"name"`
	Role         string    `bson:"role"`
	PasswordHash string    `bson:"passwordHash"`
	Disabled     bool      `bson:"disabled"`
	CreatedAt    time.Time `bson:"createdAt"`
	// Routing. Documents written before these existed lack them and read
	// back as zero: no status yet, the workspace's capacity, never routed.
	Status   string    `bson:"status"`
	StatusAt time.Time `bson:"statusAt"`
	MaxOpen  int       `bson:"maxOpen"`
	RoutedAt time.Time `bson:"routedAt"`
}

func foldEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

func toAgentDoc(a *inbox.Agent) agentDoc {
	return agentDoc{
		ID:           a.ID,
		WorkspaceID:  a.WorkspaceID,
		Email:        a.Email,
		EmailLower:   foldEmail(a.Email),
		Name:         a.Name,
		Role:         string(a.Role),
		PasswordHash: a.PasswordHash,
		Disabled:     a.Disabled,
		CreatedAt:    a.CreatedAt,
		Status:       string(a.Status),
		StatusAt:     a.StatusAt,
		MaxOpen:      a.MaxOpen,
		RoutedAt:     a.RoutedAt,
	}
}

func (d *agentDoc) toAgent() inbox.Agent {
	return inbox.Agent{
		ID:           d.ID,
		WorkspaceID:  d.WorkspaceID,
		Email:        d.Email,
		Name:         d.Name,
		Role:         inbox.Role(d.Role),
		PasswordHash: d.PasswordHash,
		Disabled:     d.Disabled,
		CreatedAt:    utc(d.CreatedAt),
		Status:       inbox.AgentStatus(d.Status),
		StatusAt:     utc(d.StatusAt),
		MaxOpen:      d.MaxOpen,
		RoutedAt:     utc(d.RoutedAt),
	}
}

// CreateAgent stores a new agent. The unique index on the folded email
// makes a taken address ErrDuplicate whatever its workspace.
func (s *Store) CreateAgent(ctx context.Context, a *inbox.Agent) error {
	_, err := s.agents.InsertOne(ctx, toAgentDoc(a))
	return s.fail("create agent", err)
}

// GetAgent returns the agent of the workspace with that id.
func (s *Store) GetAgent(ctx context.Context, workspaceID, id string) (*inbox.Agent, error) {
	a, err := findOne(ctx, s.agents, byID(workspaceID, id), (*agentDoc).toAgent)
	if err != nil {
		return nil, s.fail("get agent", err)
	}
	return &a, nil
}

// GetAgentByEmail finds the agent for a login, across workspaces.
func (s *Store) GetAgentByEmail(ctx context.Context, email string) (*inbox.Agent, error) {
	a, err := findOne(ctx, s.agents, bson.D{{Key: "emailLower", Value: foldEmail(email)}}, (*agentDoc).toAgent)
	if err != nil {
		return nil, s.fail("get agent by email", err)
	}
	return &a, nil
}

// ListAgents returns the workspace's agents in creation order.
func (s *Store) ListAgents(ctx context.Context, workspaceID string) ([]inbox.Agent, error) {
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}})
	out, err := findAll(ctx, s.agents, bson.D{{Key: "workspaceId", Value: workspaceID}}, opts, (*agentDoc).toAgent)
	return out, s.fail("list agents", err)
}

// UpdateAgent stores everything but the id, workspace and creation time.
// Moving onto an address another agent holds is ErrDuplicate.
func (s *Store) UpdateAgent(ctx context.Context, a *inbox.Agent) error {
	d := toAgentDoc(a)
	res, err := s.agents.UpdateOne(ctx, byID(a.WorkspaceID, a.ID), bson.D{{Key: "$set", Value: bson.D{
		{Key: "email", Value: d.Email},
		{Key: "emailLower", Value: d.EmailLower},
		{Key: "name", Value: d.Name},
		{Key: "role", Value: d.Role},
		{Key: "passwordHash", Value: d.PasswordHash},
		{Key: "disabled", Value: d.Disabled},
		{Key: "status", Value: d.Status},
		{Key: "statusAt", Value: d.StatusAt},
		{Key: "maxOpen", Value: d.MaxOpen},
		{Key: "routedAt", Value: d.RoutedAt},
	}}})
	if err != nil {
		return s.fail("update agent", err)
	}
	return updated(res)
}
