package inbox

import (
	"context"
	"strings"
	"time"
)

// settings returns a workspace's settings.
func (s *Service) settings(ctx context.Context, workspaceID string) (WorkspaceSettings, error) {
	w, err := s.store.GetWorkspace(ctx, workspaceID)
	if err != nil {
		return WorkspaceSettings{}, err
	}
	return w.Settings, nil
}

// Workspace returns the actor's workspace.
func (s *Service) Workspace(ctx context.Context, actor Actor) (*Workspace, error) {
	return s.store.GetWorkspace(ctx, actor.WorkspaceID)
}

// UpdateSettings replaces the workspace's settings (admins only). Checks
// that need the bot's knowledge (business hours) are the caller's.
func (s *Service) UpdateSettings(ctx context.Context, actor Actor, in WorkspaceSettings) (*Workspace, error) {
	if err := requireAdmin(actor); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	w, err := s.store.GetWorkspace(ctx, actor.WorkspaceID)
	if err != nil {
		return nil, err
	}
	w.Settings = in
	return w, s.store.UpdateWorkspace(ctx, w)
}

func (in *WorkspaceSettings) validate() error {
	if _, err := time.LoadLocation(in.TimeZone); err != nil || in.TimeZone == "" {
		return Invalid("timeZone", "unknown time zone %q (use a name such as Europe/Paris)", in.TimeZone)
	}
	for _, n := range []struct {
		field    string
		v, lo, h int
	}{
		{"botHandoffAfter", in.BotHandoffAfter, 0, 20},
		{"botIdleCloseMinutes", in.BotIdleCloseMinutes, 0, 7 * 24 * 60},
		{"surveyWindowMinutes", in.SurveyWindowMinutes, 0, 30 * 24 * 60},
		{"spamMaxMessages", in.SpamMaxMessages, 0, 50},
		{"spamWindowSeconds", in.SpamWindowSeconds, 0, 3600},
		{"spamMaxRepeats", in.SpamMaxRepeats, 0, 100},
		{"spamMaxLinks", in.SpamMaxLinks, 0, 100},
	} {
		if n.v < n.lo || n.v > n.h {
			return Invalid(n.field, "must be between %d and %d", n.lo, n.h)
		}
	}
	for _, t := range []struct{ field, v string }{
		{"botGreeting", in.BotGreeting}, {"botFallback", in.BotFallback}, {"handoffNotice", in.HandoffNotice},
		{"outOfHoursNotice", in.OutOfHoursNotice}, {"surveyQuestion", in.SurveyQuestion},
	} {
		if len([]rune(t.v)) > 1000 {
			return Invalid(t.field, "longer than 1000 characters")
		}
	}
	var err error
	if in.WrapUpTopics, err = cleanList("wrapUpTopics", in.WrapUpTopics, 100, 200); err != nil {
		return err
	}
	in.SpamBlocklist, err = cleanList("spamBlocklist", in.SpamBlocklist, 500, 200)
	return err
}

// cleanList trims a list of short texts, drops blanks and duplicates.
func cleanList(field string, in []string, maxItems, maxLen int) ([]string, error) {
	seen := map[string]bool{}
	out := []string{}
	for _, v := range in {
		v = strings.TrimSpace(v)
		if v == "" || seen[strings.ToLower(v)] {
			continue
		}
		if len([]rune(v)) > maxLen {
			return nil, Invalid(field, "%q is longer than %d characters", v, maxLen)
		}
		seen[strings.ToLower(v)] = true
		out = append(out, v)
	}
	if len(out) > maxItems {
		return nil, Invalid(field, "at most %d entries", maxItems)
	}
	return out, nil
}
