package hub

import (
	"context"
	"errors"

	"hub/adapters"
	"hub/adapters/webchat"
	"hub/inbox"
)

// WebchatBackend gives the web chat adapter read access to channels and to
// a visitor's own history.
func (h *Hub) WebchatBackend() webchat.Backend { return webchatBackend{h} }

type webchatBackend struct{ h *Hub }

func (b webchatBackend) Channel(ctx context.Context, id string) (adapters.Channel, error) {
	return b.h.Directory().Channel(ctx, id)
}

// History returns the public messages of the visitor's conversation: the
// customer never sees private notes.
func (b webchatBackend) History(ctx context.Context, channelID, visitorID, afterID string) ([]webchat.Message, error) {
	ch, err := b.h.store.FindChannel(ctx, channelID)
	if err != nil {
		return nil, err
	}
	contact, err := b.h.store.FindContact(ctx, ch.WorkspaceID, inbox.Identity{ChannelID: ch.ID, Handle: visitorID})
	if errors.Is(err, inbox.ErrNotFound) {
		return []webchat.Message{}, nil
	}
	if err != nil {
		return nil, err
	}
	conv, err := b.h.store.FindConversation(ctx, ch.WorkspaceID, ch.ID, contact.ID)
	if errors.Is(err, inbox.ErrNotFound) {
		return []webchat.Message{}, nil
	}
	if err != nil {
		return nil, err
	}
	msgs, err := b.h.store.ListMessages(ctx, ch.WorkspaceID, conv.ID, afterID, 0)
	if err != nil {
		return nil, err
	}
	out := make([]webchat.Message, 0, len(msgs))
	for i := range msgs {
		if m := &msgs[i]; !m.Private {
			out = append(out, widgetMessage(m))
		}
	}
	return out, nil
}

func widgetMessage(m *inbox.Message) webchat.Message {
	atts := toAdapterAttachments(m.Attachments)
	if atts == nil {
		atts = []adapters.Attachment{}
	}
	return webchat.Message{
		ID:             m.ID,
		ConversationID: m.ConversationID,
		Direction:      string(m.Direction),
		Author:         webchat.Author{Type: string(m.Author.Type), Name: m.Author.Name},
		Text:           m.Text,
		Attachments:    atts,
		Buttons:        m.Buttons,
		Kind:           m.Kind,
		CreatedAt:      m.CreatedAt,
		Delivery:       string(m.Delivery),
	}
}
