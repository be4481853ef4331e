package inbox

import (
	"context"
	"errors"
	"maps"
	"strings"
)

// Sealer encrypts channel secrets (provider tokens, HMAC keys) before they
// reach the store, and decrypts them for the adapters.
type Sealer interface {
	Seal(plain string) (string, error)
	Open(sealed string) (string, error)
}

// ErrNoSealer is returned when secrets are stored without a Sealer.
var ErrNoSealer = errors.New("inbox: no sealer configured for channel secrets")

// UseSealer sets how channel secrets are encrypted. Call before use.
func (s *Service) UseSealer(x Sealer) { s.sealer = x }

// ChannelInput describes a channel to create, or the new state of one.
// Checking Config and Secrets against the channel type is the caller's
// job (the hub asks the type's adapter); the service stores them, sealing
// Secrets.
type ChannelInput struct {
	Type       ChannelType
	Name       string
	BotEnabled bool
	Disabled   bool
	Config     map[string]string
	// Secrets are in plain text here; they are stored sealed.
	Secrets map[string]string
}

func (in *ChannelInput) validate() error {
	if !in.Type.Valid() {
		return Invalid("type", "unknown channel type %q", in.Type)
	}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len([]rune(in.Name)) > 120 {
		return Invalid("name", "a channel name of 1 to 120 characters is required")
	}
	return nil
}

func (s *Service) seal(secrets map[string]string) (map[string]string, error) {
	if len(secrets) == 0 {
		return nil, nil
	}
	if s.sealer == nil {
		return nil, ErrNoSealer
	}
	out := make(map[string]string, len(secrets))
	for k, v := range secrets {
		sealed, err := s.sealer.Seal(v)
		if err != nil {
			return nil, err
		}
		out[k] = sealed
	}
	return out, nil
}

// CreateChannel connects a channel to a workspace.
func (s *Service) CreateChannel(ctx context.Context, workspaceID string, in ChannelInput) (*Channel, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	sealed, err := s.seal(in.Secrets)
	if err != nil {
		return nil, err
	}
	c := &Channel{
		ID: NewID(), WorkspaceID: workspaceID, Type: in.Type, Name: in.Name,
		BotEnabled: in.BotEnabled, Disabled: in.Disabled,
		Config: maps.Clone(in.Config), Secrets: sealed, CreatedAt: s.clock.Now(),
	}
	return c, s.store.CreateChannel(ctx, c)
}

// GetChannel returns a channel of the workspace that is not deleted.
func (s *Service) GetChannel(ctx context.Context, workspaceID, id string) (*Channel, error) {
	c, err := s.store.GetChannel(ctx, workspaceID, id)
	if err != nil {
		return nil, err
	}
	if c.Deleted {
		return nil, ErrNotFound
	}
	return c, nil
}

// UpdateChannel replaces a channel's settings (its type cannot change).
func (s *Service) UpdateChannel(ctx context.Context, workspaceID, id string, in ChannelInput) (*Channel, error) {
	c, err := s.GetChannel(ctx, workspaceID, id)
	if err != nil {
		return nil, err
	}
	in.Type = c.Type
	if err := in.validate(); err != nil {
		return nil, err
	}
	sealed, err := s.seal(in.Secrets)
	if err != nil {
		return nil, err
	}
	c.Name, c.BotEnabled, c.Disabled = in.Name, in.BotEnabled, in.Disabled
	c.Config, c.Secrets = maps.Clone(in.Config), sealed
	return c, s.store.UpdateChannel(ctx, c)
}

// DeleteChannel removes a channel: it receives and sends nothing more, but
// its conversations keep their history (and their channel's name).
func (s *Service) DeleteChannel(ctx context.Context, workspaceID, id string) (*Channel, error) {
	c, err := s.GetChannel(ctx, workspaceID, id)
	if err != nil {
		return nil, err
	}
	c.Deleted, c.Disabled = true, true
	c.Secrets = nil
	return c, s.store.UpdateChannel(ctx, c)
}

// ChannelSettings returns the channel's Config with its Secrets decrypted
// and merged in, as the adapters need them.
func (s *Service) ChannelSettings(c *Channel) (map[string]string, error) {
	out := maps.Clone(c.Config)
	if out == nil {
		out = map[string]string{}
	}
	for k, v := range c.Secrets {
		if s.sealer == nil {
			return nil, ErrNoSealer
		}
		plain, err := s.sealer.Open(v)
		if err != nil {
			return nil, err
		}
		out[k] = plain
	}
	return out, nil
}

// LimitChannelText caps the text of replies on channels of type t (SMS
// carries at most 1,600 characters); the service's own limit still applies.
// Call before use.
func (s *Service) LimitChannelText(t ChannelType, maxChars int) {
	if s.channelText == nil {
		s.channelText = map[ChannelType]int{}
	}
	s.channelText[t] = maxChars
}

// checkChannelText refuses a reply too long for the conversation's channel
// before anything is stored, so the agent can shorten it.
func (s *Service) checkChannelText(ctx context.Context, workspaceID, conversationID, text string) error {
	if len(s.channelText) == 0 {
		return nil
	}
	conv, err := s.store.GetConversation(ctx, workspaceID, conversationID)
	if err != nil {
		return err
	}
	ch, err := s.store.GetChannel(ctx, workspaceID, conv.ChannelID)
	if err != nil {
		return err
	}
	if max, ok := s.channelText[ch.Type]; ok && max > 0 && len([]rune(text)) > max {
		return InvalidCode("text_too_long", "text", "%s messages carry at most %d characters", ch.Type, max)
	}
	return nil
}
