package inbox

import (
	"context"
	"strings"
)

// ListBotRules returns the workspace's bot rules (admins only).
func (s *Service) ListBotRules(ctx context.Context, actor Actor) ([]BotRule, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	return s.store.ListBotRules(ctx, actor.WorkspaceID)
}

// GetBotRule returns one bot rule of the workspace (admins only).
func (s *Service) GetBotRule(ctx context.Context, actor Actor, id string) (*BotRule, error) {
	rules, err := s.ListBotRules(ctx, actor)
	if err != nil {
		return nil, err
	}
	for i := range rules {
		if rules[i].ID == id {
			return &rules[i], nil
		}
	}
	return nil, ErrNotFound
}

// SaveBotRule creates (empty ID) or replaces a bot rule. Checking the
// triggers and answer is the bot's (the caller runs bot.ValidateRule);
// the service checks what only the store knows: the team.
func (s *Service) SaveBotRule(ctx context.Context, actor Actor, r BotRule) (*BotRule, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	r.WorkspaceID = actor.WorkspaceID
	r.Name = strings.TrimSpace(r.Name)
	if len([]rune(r.Name)) > 120 {
		return nil, Invalid("name", "a rule name has at most 120 characters")
	}
	if r.TeamID != "" {
		if _, err := s.store.GetTeam(ctx, actor.WorkspaceID, r.TeamID); err != nil {
			return nil, Invalid("teamId", "no such team")
		}
	}
	if r.ID == "" {
		r.ID = NewID()
		r.CreatedAt = s.clock.Now()
	} else {
		old, err := s.GetBotRule(ctx, actor, r.ID)
		if err != nil {
			return nil, err
		}
		r.CreatedAt = old.CreatedAt
	}
	if err := s.store.SaveBotRule(ctx, &r); err != nil {
		return nil, err
	}
	s.rulesChanged(actor.WorkspaceID)
	return &r, nil
}

// DeleteBotRule removes a bot rule (admins only).
func (s *Service) DeleteBotRule(ctx context.Context, actor Actor, id string) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	if err := s.store.DeleteBotRule(ctx, actor.WorkspaceID, id); err != nil {
		return err
	}
	s.rulesChanged(actor.WorkspaceID)
	return nil
}

// OnRulesChanged registers fn to be told when a workspace's bot rules
// change (the hub drops its compiled copy). Call before use.
func (s *Service) OnRulesChanged(fn func(workspaceID string)) {
	s.rulesListeners = append(s.rulesListeners, fn)
}

func (s *Service) rulesChanged(workspaceID string) {
	for _, fn := range s.rulesListeners {
		fn(workspaceID)
	}
}
