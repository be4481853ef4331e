package mongostore

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"hub/inbox"
)

type channelDoc struct {
	ID          string `bson:"_id"`
	WorkspaceID string `bson:"workspaceId"`
	Type        string `bson:"type"`
	Name        string `bson:"name"`
	BotEnabled  bool   `bson:"botEnabled"`
	Disabled    bool   `bson:"disabled"`
	Config      []pair `bson:"config"`
	// Secrets are sealed by the service; the store keeps them as given.
	Secrets   []pair    `bson:"secrets"`
	Deleted   bool      `bson:"deleted"`
	CreatedAt time.Time `bson:"createdAt"`
}

func (d *channelDoc) toChannel() inbox.Channel {
	return inbox.Channel{
		ID:          d.ID,
		WorkspaceID: d.WorkspaceID,
		Type:        inbox.ChannelType(d.Type),
		Name:        d.Name,
		BotEnabled:  d.BotEnabled,
		Disabled:    d.Disabled,
		Config:      fromPairs(d.Config),
		Secrets:     fromPairs(d.Secrets),
		Deleted:     d.Deleted,
		CreatedAt:   utc(d.CreatedAt),
	}
}

// CreateChannel stores a new channel; an existing id is ErrDuplicate.
func (s *Store) CreateChannel(ctx context.Context, c *inbox.Channel) error {
	_, err := s.channels.InsertOne(ctx, channelDoc{
		ID:          c.ID,
		WorkspaceID: c.WorkspaceID,
		Type:        string(c.Type),
		Name:        c.Name,
		BotEnabled:  c.BotEnabled,
		Disabled:    c.Disabled,
		Config:      toPairs(c.Config),
		Secrets:     toPairs(c.Secrets),
		Deleted:     c.Deleted,
		CreatedAt:   c.CreatedAt,
	})
	return s.fail("create channel", err)
}

// GetChannel returns the workspace's channel with that id.
func (s *Store) GetChannel(ctx context.Context, workspaceID, id string) (*inbox.Channel, error) {
	c, err := findOne(ctx, s.channels, byID(workspaceID, id), (*channelDoc).toChannel)
	if err != nil {
		return nil, s.fail("get channel", err)
	}
	return &c, nil
}

// FindChannel looks a channel up by id alone, for webhooks.
func (s *Store) FindChannel(ctx context.Context, id string) (*inbox.Channel, error) {
	c, err := findOne(ctx, s.channels, bson.D{{Key: "_id", Value: id}}, (*channelDoc).toChannel)
	if err != nil {
		return nil, s.fail("find channel", err)
	}
	return &c, nil
}

// ListChannels returns the workspace's channels in creation order.
func (s *Store) ListChannels(ctx context.Context, workspaceID string) ([]inbox.Channel, error) {
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}})
	out, err := findAll(ctx, s.channels, bson.D{{Key: "workspaceId", Value: workspaceID}}, opts, (*channelDoc).toChannel)
	return out, s.fail("list channels", err)
}

// ListChannelsOfType returns the channels of type t in every workspace,
// in creation order, deleted ones left out. "Not deleted" is $ne: true so
// that channels stored before the field existed count as live.
func (s *Store) ListChannelsOfType(ctx context.Context, t inbox.ChannelType) ([]inbox.Channel, error) {
	filter := bson.D{
		{Key: "type", Value: string(t)},
		{Key: "deleted", Value: bson.D{{Key: "$ne", Value: true}}},
	}
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}, {Key: "_id", Value: 1}})
	out, err := findAll(ctx, s.channels, filter, opts, (*channelDoc).toChannel)
	return out, s.fail("list channels of type", err)
}

// UpdateChannel stores everything but the id, workspace and creation
// time. The config and secrets are replaced whole, so removed keys are
// gone.
func (s *Store) UpdateChannel(ctx context.Context, c *inbox.Channel) error {
	res, err := s.channels.UpdateOne(ctx, byID(c.WorkspaceID, c.ID), bson.D{{Key: "$set", Value: bson.D{
		{Key: "type", Value: string(c.Type)},
		{Key: "name", Value: c.Name},
		{Key: "botEnabled", Value: c.BotEnabled},
		{Key: "disabled", Value: c.Disabled},
		{Key: "config", Value: toPairs(c.Config)},
		{Key: "secrets", Value: toPairs(c.Secrets)},
		{Key: "deleted", Value: c.Deleted},
	}}})
	if err != nil {
		return s.fail("update channel", err)
	}
	return updated(res)
}
