package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

type workspaceDoc struct {
	ID        string      `bson:"_id"`
	Name      string      `bson:"name"`
	Settings  settingsDoc `bson:"settings"`
	CreatedAt time.Time   `bson:"createdAt"`
}

type settingsDoc struct {
	TimeZone        string `bson:"timeZone"`
	BotGreeting     string `bson:"botGreeting"`
	BotHandoffAfter int    `bson:"botHandoffAfter"`
	BotFallback     string `bson:"botFallback"`
	HandoffNotice   string `bson:"handoffNotice"`
}

func toSettingsDoc(s inbox.WorkspaceSettings) settingsDoc {
	return settingsDoc{
		TimeZone:        s.TimeZone,
		BotGreeting:     s.BotGreeting,
		BotHandoffAfter: s.BotHandoffAfter,
		BotFallback:     s.BotFallback,
		HandoffNotice:   s.HandoffNotice,
	}
}

func (d *workspaceDoc) toWorkspace() inbox.Workspace {
	return inbox.Workspace{
		ID:   d.ID,
		Name: d.Name,
		Settings: inbox.WorkspaceSettings{
			TimeZone:        d.Settings.TimeZone,
			BotGreeting:     d.Settings.BotGreeting,
			BotHandoffAfter: d.Settings.BotHandoffAfter,
			BotFallback:     d.Settings.BotFallback,
			HandoffNotice:   d.Settings.HandoffNotice,
		},
		CreatedAt: utc(d.CreatedAt),
	}
}

// CreateWorkspace stores a new workspace; an existing id is ErrDuplicate.
func (s *Store) CreateWorkspace(ctx context.Context, w *inbox.Workspace) error {
	d := workspaceDoc{ID: w.ID, Name: w.Name, Settings: toSettingsDoc(w.Settings), CreatedAt: w.CreatedAt}
	_, err := s.workspaces.InsertOne(ctx, d)
	return s.fail("create workspace", err)
}

// GetWorkspace returns the workspace with that id.
func (s *Store) GetWorkspace(ctx context.Context, id string) (*inbox.Workspace, error) {
	w, err := findOne(ctx, s.workspaces, bson.D{{Key: "_id", Value: id}}, (*workspaceDoc).toWorkspace)
	if err != nil {
		return nil, s.fail("get workspace", err)
	}
	return &w, nil
}

// ListWorkspaces returns every workspace, oldest first: the server
// owner's view, not a tenant's.
func (s *Store) ListWorkspaces(ctx context.Context) ([]inbox.Workspace, error) {
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}})
	out, err := findAll(ctx, s.workspaces, bson.D{}, opts, (*workspaceDoc).toWorkspace)
	return out, s.fail("list workspaces", err)
}

// UpdateWorkspace stores the name and settings; the creation time is
// kept as first stored.
func (s *Store) UpdateWorkspace(ctx context.Context, w *inbox.Workspace) error {
	res, err := s.workspaces.UpdateOne(ctx, bson.D{{Key: "_id", Value: w.ID}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "name", Value: w.Name},
		{Key: "settings", Value: toSettingsDoc(w.Settings)},
	}}})
	if err != nil {
		return s.fail("update workspace", err)
	}
	return updated(res)
}
