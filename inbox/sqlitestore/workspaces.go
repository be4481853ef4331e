package sqlitestore

import (
	"context"
	"encoding/json"
	"strings"

	"hub/inbox"
)

// CreateWorkspace stores w, giving it an id and creation time if missing.
func (s *Store) CreateWorkspace(ctx context.Context, w *inbox.Workspace) error {
	newID(&w.ID)
	w.CreatedAt = orNow(w.CreatedAt)
	settings, err := jsonText(w.Settings)
	if err != nil {
		return err
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO workspaces (id, name, settings, created_at) VALUES (?, ?, ?, ?)`,
		w.ID, w.Name, settings, ms(w.CreatedAt))
	return mapErr(err)
}

const workspaceCols = `id, name, settings, created_at`

func scanWorkspace(sc scanner) (*inbox.Workspace, error) {
	var (
		w        inbox.Workspace
		settings []byte
		created  int64
	)
	if err := sc.Scan(&w.ID, &w.Name, &settings, &created); err != nil {
		return nil, mapErr(err)
	}
	if err := json.Unmarshal(settings, &w.Settings); err != nil {
		return nil, err
	}
	w.CreatedAt = fromMs(created)
	return &w, nil
}

// GetWorkspace returns the workspace with that id.
func (s *Store) GetWorkspace(ctx context.Context, id string) (*inbox.Workspace, error) {
	return scanWorkspace(s.r.QueryRowContext(ctx, `SELECT `+workspaceCols+` FROM workspaces WHERE id = ?`, id))
}

// ListWorkspaces returns every workspace, oldest first.
func (s *Store) ListWorkspaces(ctx context.Context) ([]inbox.Workspace, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+workspaceCols+` FROM workspaces ORDER BY created_at, id`)
	if err != nil {
		return nil, err
	}
	return collectRows(rows, scanWorkspace)
}

// UpdateWorkspace replaces the name and settings of w.
func (s *Store) UpdateWorkspace(ctx context.Context, w *inbox.Workspace) error {
	settings, err := jsonText(w.Settings)
	if err != nil {
		return err
	}
	return affected(s.w.ExecContext(ctx, `UPDATE workspaces SET name = ?, settings = ? WHERE id = ?`,
		w.Name, settings, w.ID))
}

// emailKey is what agent emails are unique and looked up by.
func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateAgent stores a, refusing an email another agent has in any case.
func (s *Store) CreateAgent(ctx context.Context, a *inbox.Agent) error {
	newID(&a.ID)
	a.CreatedAt = orNow(a.CreatedAt)
	_, err := s.w.ExecContext(ctx, `INSERT INTO agents
		(id, workspace_id, email, email_key, name, role, password_hash, disabled, created_at,
			status, status_at, max_open, routed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.WorkspaceID, a.Email, emailKey(a.Email), a.Name, string(a.Role), a.PasswordHash,
		boolInt(a.Disabled), ms(a.CreatedAt),
		string(a.Status), msOrZero(a.StatusAt), a.MaxOpen, msOrZero(a.RoutedAt))
	return mapErr(err)
}

const agentCols = `id, workspace_id, email, name, role, password_hash, disabled, created_at,
	status, status_at, max_open, routed_at`

func scanAgent(sc scanner) (*inbox.Agent, error) {
	var (
		a                           inbox.Agent
		created, statusAt, routedAt int64
	)
	if err := sc.Scan(&a.ID, &a.WorkspaceID, &a.Email, &a.Name, &a.Role, &a.PasswordHash, &a.Disabled, &created,
		&a.Status, &statusAt, &a.MaxOpen, &routedAt); err != nil {
		return nil, mapErr(err)
	}
	a.CreatedAt = fromMs(created)
	a.StatusAt = fromMsOrZero(statusAt)
	a.RoutedAt = fromMsOrZero(routedAt)
	return &a, nil
}

// GetAgent returns the agent of the workspace with that id.
func (s *Store) GetAgent(ctx context.Context, workspaceID, id string) (*inbox.Agent, error) {
	return scanAgent(s.r.QueryRowContext(ctx,
		`SELECT `+agentCols+` FROM agents WHERE id = ? AND workspace_id = ?`, id, workspaceID))
}

// GetAgentByEmail finds an agent of any workspace by email, ignoring case.
func (s *Store) GetAgentByEmail(ctx context.Context, email string) (*inbox.Agent, error) {
	return scanAgent(s.r.QueryRowContext(ctx,
		`SELECT `+agentCols+` FROM agents WHERE email_key = ?`, emailKey(email)))
}

// ListAgents returns the workspace's agents, oldest first.
func (s *Store) ListAgents(ctx context.Context, workspaceID string) ([]inbox.Agent, error) {
	rows, err := s.r.QueryContext(ctx,
		`SELECT `+agentCols+` FROM agents WHERE workspace_id = ? ORDER BY created_at, id`, workspaceID)
	if err != nil {
		return nil, err
	}
	return collectRows(rows, scanAgent)
}

// UpdateAgent replaces everything of a but its id, workspace and creation
// time.
func (s *Store) UpdateAgent(ctx context.Context, a *inbox.Agent) error {
	return affected(s.w.ExecContext(ctx, `UPDATE agents
		SET email = ?, email_key = ?, name = ?, role = ?, password_hash = ?, disabled = ?,
			status = ?, status_at = ?, max_open = ?, routed_at = ?
		WHERE id = ? AND workspace_id = ?`,
		a.Email, emailKey(a.Email), a.Name, string(a.Role), a.PasswordHash, boolInt(a.Disabled),
		string(a.Status), msOrZero(a.StatusAt), a.MaxOpen, msOrZero(a.RoutedAt),
		a.ID, a.WorkspaceID))
}
