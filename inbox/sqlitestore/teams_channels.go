package sqlitestore

import (
	"context"
	"encoding/json"

	"hub/inbox"
)

// CreateTeam stores t, giving it an id and creation time if missing.
func (s *Store) CreateTeam(ctx context.Context, t *inbox.Team) error {
	newID(&t.ID)
	t.CreatedAt = orNow(t.CreatedAt)
	agents, err := jsonList(t.AgentIDs)
	if err != nil {
		return err
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO teams (id, workspace_id, name, agent_ids, created_at)
		VALUES (?, ?, ?, ?, ?)`, t.ID, t.WorkspaceID, t.Name, agents, ms(t.CreatedAt))
	return mapErr(err)
}

const teamCols = `id, workspace_id, name, agent_ids, created_at`

func scanTeam(sc scanner) (*inbox.Team, error) {
	var (
		t       inbox.Team
		agents  []byte
		created int64
	)
	if err := sc.Scan(&t.ID, &t.WorkspaceID, &t.Name, &agents, &created); err != nil {
		return nil, mapErr(err)
	}
	if err := json.Unmarshal(agents, &t.AgentIDs); err != nil {
		return nil, err
	}
	t.CreatedAt = fromMs(created)
	return &t, nil
}

// GetTeam returns the workspace's team with that id.
func (s *Store) GetTeam(ctx context.Context, workspaceID, id string) (*inbox.Team, error) {
	return scanTeam(s.r.QueryRowContext(ctx,
		`SELECT `+teamCols+` FROM teams WHERE id = ? AND workspace_id = ?`, id, workspaceID))
}

// ListTeams returns the workspace's teams, oldest first.
func (s *Store) ListTeams(ctx context.Context, workspaceID string) ([]inbox.Team, error) {
	rows, err := s.r.QueryContext(ctx,
		`SELECT `+teamCols+` FROM teams WHERE workspace_id = ? ORDER BY created_at, id`, workspaceID)
	if err != nil {
		return nil, err
	}
	return collectRows(rows, scanTeam)
}

// UpdateTeam replaces the name and members of t.
func (s *Store) UpdateTeam(ctx context.Context, t *inbox.Team) error {
	agents, err := jsonList(t.AgentIDs)
	if err != nil {
		return err
	}
	return affected(s.w.ExecContext(ctx, `UPDATE teams SET name = ?, agent_ids = ? WHERE id = ? AND workspace_id = ?`,
		t.Name, agents, t.ID, t.WorkspaceID))
}

// DeleteTeam removes the workspace's team with that id. Conversations that
// name the team keep the id; the caller decides what that means.
func (s *Store) DeleteTeam(ctx context.Context, workspaceID, id string) error {
	return affected(s.w.ExecContext(ctx, `DELETE FROM teams WHERE id = ? AND workspace_id = ?`, id, workspaceID))
}

// CreateChannel stores c, giving it an id and creation time if missing.
func (s *Store) CreateChannel(ctx context.Context, c *inbox.Channel) error {
	newID(&c.ID)
	c.CreatedAt = orNow(c.CreatedAt)
	cfg, secrets, err := channelMaps(c)
	if err != nil {
		return err
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO channels (`+channelCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.WorkspaceID, string(c.Type), c.Name, boolInt(c.BotEnabled), boolInt(c.Disabled), cfg,
		ms(c.CreatedAt), secrets, boolInt(c.Deleted))
	return mapErr(err)
}

// channelMaps encodes the config and the sealed secrets. Secrets are
// opaque to the store: stored and returned exactly as given.
func channelMaps(c *inbox.Channel) (cfg, secrets string, err error) {
	if cfg, err = jsonMap(c.Config); err != nil {
		return "", "", err
	}
	secrets, err = jsonMap(c.Secrets)
	return cfg, secrets, err
}

const channelCols = `id, workspace_id, type, name, bot_enabled, disabled, config, created_at, secrets, deleted`

func scanChannel(sc scanner) (*inbox.Channel, error) {
	var (
		c            inbox.Channel
		cfg, secrets []byte
		created      int64
	)
	if err := sc.Scan(&c.ID, &c.WorkspaceID, &c.Type, &c.Name, &c.BotEnabled, &c.Disabled, &cfg, &created,
		&secrets, &c.Deleted); err != nil {
		return nil, mapErr(err)
	}
	if err := json.Unmarshal(cfg, &c.Config); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(secrets, &c.Secrets); err != nil {
		return nil, err
	}
	c.CreatedAt = fromMs(created)
	return &c, nil
}

// GetChannel returns the workspace's channel with that id.
func (s *Store) GetChannel(ctx context.Context, workspaceID, id string) (*inbox.Channel, error) {
	return scanChannel(s.r.QueryRowContext(ctx,
		`SELECT `+channelCols+` FROM channels WHERE id = ? AND workspace_id = ?`, id, workspaceID))
}

// FindChannel returns the channel with that id, whatever its workspace.
func (s *Store) FindChannel(ctx context.Context, id string) (*inbox.Channel, error) {
	return scanChannel(s.r.QueryRowContext(ctx, `SELECT `+channelCols+` FROM channels WHERE id = ?`, id))
}

// ListChannels returns the workspace's channels, oldest first.
func (s *Store) ListChannels(ctx context.Context, workspaceID string) ([]inbox.Channel, error) {
	rows, err := s.r.QueryContext(ctx,
		`SELECT `+channelCols+` FROM channels WHERE workspace_id = ? ORDER BY created_at, id`, workspaceID)
	if err != nil {
		return nil, err
	}
	return collectRows(rows, scanChannel)
}

// ListChannelsOfType returns the channels of type t in every workspace,
// oldest first, leaving deleted ones out. The partial index channels_type
// holds exactly the rows this reads, in this order.
func (s *Store) ListChannelsOfType(ctx context.Context, t inbox.ChannelType) ([]inbox.Channel, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+channelCols+` FROM channels
		WHERE type = ? AND deleted = 0 ORDER BY created_at, id`, string(t))
	if err != nil {
		return nil, err
	}
	return collectRows(rows, scanChannel)
}

// UpdateChannel replaces everything of c but its id, workspace and
// creation time.
func (s *Store) UpdateChannel(ctx context.Context, c *inbox.Channel) error {
	cfg, secrets, err := channelMaps(c)
	if err != nil {
		return err
	}
	return affected(s.w.ExecContext(ctx, `UPDATE channels
		SET type = ?, name = ?, bot_enabled = ?, disabled = ?, config = ?, secrets = ?, deleted = ?
		WHERE id = ? AND workspace_id = ?`,
		string(c.Type), c.Name, boolInt(c.BotEnabled), boolInt(c.Disabled), cfg, secrets, boolInt(c.Deleted),
		c.ID, c.WorkspaceID))
}

// jsonList encodes a list, writing an empty one as [] rather than null so
// the column reads the same whichever the caller passed.
func jsonList[T any](v []T) (string, error) {
	if v == nil {
		v = []T{}
	}
	return jsonText(v)
}

func jsonMap(m map[string]string) (string, error) {
	if m == nil {
		m = map[string]string{}
	}
	return jsonText(m)
}

// jsonText encodes v as a string: a []byte would be bound as a BLOB,
// which the STRICT tables' TEXT columns refuse.
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
