package inbox

import (
	"context"
	"net/mail"
	"strings"
)

// DefaultSettings are a new workspace's settings.
func DefaultSettings() WorkspaceSettings {
	return WorkspaceSettings{
		TimeZone:        "UTC",
		BotGreeting:     "Hello! I am the virtual assistant. How can I help you?",
		BotHandoffAfter: 2,
		BotFallback:     "Sorry, I did not understand. Could you rephrase? You can also ask for an agent.",
		HandoffNotice:   "Thanks, a member of our team will be with you shortly.",
	}
}

// CreateWorkspace creates a workspace (a hotel, a shop) with default settings.
func (s *Service) CreateWorkspace(ctx context.Context, name string) (*Workspace, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 120 {
		return nil, Invalid("name", "a workspace name of 1 to 120 characters is required")
	}
	w := &Workspace{ID: NewID(), Name: name, Settings: DefaultSettings(), CreatedAt: s.clock.Now()}
	return w, s.store.CreateWorkspace(ctx, w)
}

// AgentInput describes an agent to create or change. PasswordHash is
// computed by the caller: the inbox knows nothing of hashing.
type AgentInput struct {
	Email        *string
	Name         *string
	Role         *Role
	Disabled     *bool
	PasswordHash *string
	// MaxOpen overrides the workspace capacity (0: the default).
	MaxOpen *int
}

func requireAdmin(actor Actor) error {
	if !actor.IsAdmin() {
		return ErrForbidden
	}
	return nil
}

func (in AgentInput) validate(creating bool) error {
	if creating && (in.Email == nil || in.Name == nil || in.PasswordHash == nil) {
		return Invalid("email", "email, name and password are required")
	}
	if in.Email != nil {
		addr, err := mail.ParseAddress(*in.Email)
		if err != nil || addr.Address != strings.TrimSpace(*in.Email) {
			return Invalid("email", "not a valid email address")
		}
	}
	if in.Name != nil && (strings.TrimSpace(*in.Name) == "" || len(*in.Name) > 120) {
		return Invalid("name", "a name of 1 to 120 characters is required")
	}
	if in.Role != nil && !in.Role.Valid() {
		return Invalid("role", "role must be admin or agent")
	}
	return nil
}

// CreateAgent adds an agent to the actor's workspace (admins only). The
// email must be unused in every workspace.
func (s *Service) CreateAgent(ctx context.Context, actor Actor, in AgentInput) (*Agent, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	return s.NewAgent(ctx, actor.WorkspaceID, in)
}

// NewAgent adds an agent to a workspace without an actor: first-run setup
// and the command line.
func (s *Service) NewAgent(ctx context.Context, workspaceID string, in AgentInput) (*Agent, error) {
	if err := in.validate(true); err != nil {
		return nil, err
	}
	role := RoleAgent
	if in.Role != nil {
		role = *in.Role
	}
	a := &Agent{
		ID:           NewID(),
		WorkspaceID:  workspaceID,
		Email:        strings.ToLower(strings.TrimSpace(*in.Email)),
		Name:         strings.TrimSpace(*in.Name),
		Role:         role,
		PasswordHash: *in.PasswordHash,
		CreatedAt:    s.clock.Now(),
	}
	if err := s.store.CreateAgent(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

// UpdateAgent changes an agent (admins only). An admin cannot demote or
// disable themselves, so a workspace never loses its last way in by accident.
func (s *Service) UpdateAgent(ctx context.Context, actor Actor, id string, in AgentInput) (*Agent, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	if err := in.validate(false); err != nil {
		return nil, err
	}
	a, err := s.store.GetAgent(ctx, actor.WorkspaceID, id)
	if err != nil {
		return nil, err
	}
	if id == actor.AgentID && ((in.Role != nil && *in.Role != RoleAdmin) || (in.Disabled != nil && *in.Disabled)) {
		return nil, conflict("self_lockout", "you cannot demote or disable yourself")
	}
	if in.Email != nil {
		a.Email = strings.ToLower(strings.TrimSpace(*in.Email))
	}
	if in.Name != nil {
		a.Name = strings.TrimSpace(*in.Name)
	}
	if in.Role != nil {
		a.Role = *in.Role
	}
	if in.Disabled != nil {
		a.Disabled = *in.Disabled
	}
	if in.PasswordHash != nil {
		a.PasswordHash = *in.PasswordHash
	}
	if in.MaxOpen != nil {
		if *in.MaxOpen < 0 || *in.MaxOpen > 100 {
			return nil, Invalid("maxOpen", "capacity must be between 0 (the workspace default) and 100")
		}
		a.MaxOpen = *in.MaxOpen
	}
	return a, s.store.UpdateAgent(ctx, a)
}

// TeamInput describes a team to create or change.
type TeamInput struct {
	Name     *string
	AgentIDs *[]string
}

func (s *Service) applyTeam(ctx context.Context, workspaceID string, t *Team, in TeamInput) error {
	if in.Name != nil {
		name := strings.TrimSpace(*in.Name)
		if name == "" || len(name) > 120 {
			return Invalid("name", "a team name of 1 to 120 characters is required")
		}
		t.Name = name
	}
	if in.AgentIDs != nil {
		ids := make([]string, 0, len(*in.AgentIDs))
		for _, id := range *in.AgentIDs {
			if _, err := s.store.GetAgent(ctx, workspaceID, id); err != nil {
				return Invalid("agentIds", "no such agent %q", id)
			}
			ids = append(ids, id)
		}
		t.AgentIDs = ids
	}
	return nil
}

// CreateTeam adds a team (admins only).
func (s *Service) CreateTeam(ctx context.Context, actor Actor, in TeamInput) (*Team, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	if in.Name == nil {
		return nil, Invalid("name", "a team name is required")
	}
	t := &Team{ID: NewID(), WorkspaceID: actor.WorkspaceID, AgentIDs: []string{}, CreatedAt: s.clock.Now()}
	if err := s.applyTeam(ctx, actor.WorkspaceID, t, in); err != nil {
		return nil, err
	}
	return t, s.store.CreateTeam(ctx, t)
}

// UpdateTeam changes a team (admins only).
func (s *Service) UpdateTeam(ctx context.Context, actor Actor, id string, in TeamInput) (*Team, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	t, err := s.store.GetTeam(ctx, actor.WorkspaceID, id)
	if err != nil {
		return nil, err
	}
	if err := s.applyTeam(ctx, actor.WorkspaceID, t, in); err != nil {
		return nil, err
	}
	return t, s.store.UpdateTeam(ctx, t)
}

// DeleteTeam removes a team (admins only). Conversations queued for it
// keep the id and show in the workspace queue.
func (s *Service) DeleteTeam(ctx context.Context, actor Actor, id string) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	return s.store.DeleteTeam(ctx, actor.WorkspaceID, id)
}
