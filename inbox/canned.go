package inbox

import (
	"context"
	"regexp"
	"slices"
	"strings"
)

var shortcutPattern = regexp.MustCompile(`^[\p{L}\p{N}_-]{1,40}$`)

// ListCanned returns the workspace's canned answers (every agent).
func (s *Service) ListCanned(ctx context.Context, actor Actor) ([]CannedAnswer, error) {
	settings, err := s.settings(ctx, actor.WorkspaceID)
	if err != nil {
		return nil, err
	}
	return settings.CannedAnswers, nil
}

// SaveCanned creates (empty ID) or replaces a canned answer (admins).
// Shortcuts are unique in a workspace, case-insensitive.
func (s *Service) SaveCanned(ctx context.Context, actor Actor, in CannedAnswer) (*CannedAnswer, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	in.Shortcut = strings.TrimPrefix(strings.TrimSpace(in.Shortcut), "#")
	if !shortcutPattern.MatchString(in.Shortcut) {
		return nil, Invalid("shortcut", "a shortcut is 1 to 40 letters, digits, - or _")
	}
	if t := strings.TrimSpace(in.Text); t == "" || len([]rune(t)) > 2000 {
		return nil, Invalid("text", "a canned answer needs a text of at most 2000 characters")
	}
	w, err := s.store.GetWorkspace(ctx, actor.WorkspaceID)
	if err != nil {
		return nil, err
	}
	list := w.Settings.CannedAnswers
	at := -1
	for i, c := range list {
		if in.ID != "" && c.ID == in.ID {
			at = i
		} else if strings.EqualFold(c.Shortcut, in.Shortcut) {
			return nil, InvalidCode("shortcut_taken", "shortcut", "#%s is already used", in.Shortcut)
		}
	}
	switch {
	case in.ID == "":
		in.ID = NewID()
		list = append(list, in)
	case at < 0:
		return nil, ErrNotFound
	default:
		list = slices.Clone(list)
		list[at] = in
	}
	w.Settings.CannedAnswers = list
	return &in, s.store.UpdateWorkspace(ctx, w)
}

// DeleteCanned removes a canned answer (admins).
func (s *Service) DeleteCanned(ctx context.Context, actor Actor, id string) error {
	if err := requireAdmin(actor); err != nil {
		return err
	}
	w, err := s.store.GetWorkspace(ctx, actor.WorkspaceID)
	if err != nil {
		return err
	}
	n := len(w.Settings.CannedAnswers)
	w.Settings.CannedAnswers = slices.DeleteFunc(slices.Clone(w.Settings.CannedAnswers), func(c CannedAnswer) bool { return c.ID == id })
	if len(w.Settings.CannedAnswers) == n {
		return ErrNotFound
	}
	return s.store.UpdateWorkspace(ctx, w)
}

// ContactInput is what agents may change about a customer.
type ContactInput struct {
	Name, Email, Phone, Notes *string
}

// UpdateContact changes a customer's details (any agent of the workspace).
func (s *Service) UpdateContact(ctx context.Context, actor Actor, id string, in ContactInput) (*Contact, error) {
	c, err := s.store.GetContact(ctx, actor.WorkspaceID, id)
	if err != nil {
		return nil, err
	}
	for _, f := range []struct {
		field string
		in    *string
		dst   *string
		max   int
	}{{"name", in.Name, &c.Name, 120}, {"email", in.Email, &c.Email, 200}, {"phone", in.Phone, &c.Phone, 40}, {"notes", in.Notes, &c.Notes, 4000}} {
		if f.in == nil {
			continue
		}
		v := strings.TrimSpace(*f.in)
		if len([]rune(v)) > f.max {
			return nil, Invalid(f.field, "at most %d characters", f.max)
		}
		*f.dst = v
	}
	return c, s.store.UpdateContact(ctx, c)
}

// GetContact returns a customer of the actor's workspace.
func (s *Service) GetContact(ctx context.Context, actor Actor, id string) (*Contact, error) {
	return s.store.GetContact(ctx, actor.WorkspaceID, id)
}

// CountByStatus counts the workspace's conversations per status (tabs).
func (s *Service) CountByStatus(ctx context.Context, actor Actor) (map[Status]int, error) {
	return s.store.CountByStatus(ctx, actor.WorkspaceID)
}

// StartConversation writes first to a customer who has not written yet
// (proactive web chat): the conversation (found or created) becomes the
// agent's and the text goes out as their reply.
func (s *Service) StartConversation(ctx context.Context, actor Actor, ch *Channel, handle, name, text string) (*Conversation, *Message, error) {
	if ch.WorkspaceID != actor.WorkspaceID || ch.Deleted || ch.Disabled {
		return nil, nil, ErrNotFound
	}
	if err := s.ValidateText(text, 0); err != nil {
		return nil, nil, err
	}
	if strings.TrimSpace(handle) == "" {
		return nil, nil, Invalid("visitorId", "a visitor is required")
	}
	contact, err := s.store.FindOrCreateContact(ctx, ch.WorkspaceID, Identity{ChannelID: ch.ID, Handle: handle}, name)
	if err != nil {
		return nil, nil, err
	}
	conv, created, err := s.findOrCreateConversation(ctx, ch, contact, s.clock.Now())
	if err != nil {
		return nil, nil, err
	}
	if created {
		s.emitConversation(ConversationCreated, conv)
	}
	if conv.Status == StatusClosed {
		if _, err := s.Reopen(ctx, actor, conv.ID); err != nil {
			return nil, nil, err
		}
	}
	msg, conv, err := s.Reply(ctx, actor, conv.ID, ReplyInput{Text: text})
	return conv, msg, err
}
