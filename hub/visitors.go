package hub

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"

	"hub/adapters/webchat"
	"hub/hub/api"
	"hub/inbox"
)

// maxLiveVisitors bounds the list an agent gets (each entry costs two
// store lookups to find the visitor's conversation). The earliest arrivals
// are kept.
const maxLiveVisitors = 500

// visitorSource is the web chat adapter as the live visitor list needs it.
type visitorSource interface {
	Visitors(channelID string) []webchat.VisitorInfo
	Connected(channelID, visitorID string) int
}

// liveVisitors is the API's view of the people on the workspace's sites:
// the web chat adapter knows who is connected and where; the store knows
// their conversations.
type liveVisitors struct{ h *Hub }

var _ api.Visitors = liveVisitors{}

// source returns the registered web chat adapter, nil when there is none.
// Adapters are registered after New, so it is looked up on each call.
func (l liveVisitors) source() visitorSource {
	s, _ := l.h.adapters[webchat.ChannelType].(visitorSource)
	return s
}

// Live lists the visitors on the workspace's enabled web chat channels,
// earliest arrival first, each with their conversation when they have one.
func (l liveVisitors) Live(ctx context.Context, workspaceID string) ([]api.Visitor, error) {
	src := l.source()
	if src == nil {
		return []api.Visitor{}, nil
	}
	channels, err := l.h.store.ListChannels(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	var infos []webchat.VisitorInfo
	for i := range channels {
		ch := &channels[i]
		if ch.Type != inbox.ChannelWebchat || ch.Deleted || ch.Disabled || ch.WorkspaceID != workspaceID {
			continue
		}
		infos = append(infos, src.Visitors(ch.ID)...)
	}
	slices.SortFunc(infos, func(x, y webchat.VisitorInfo) int {
		return cmp.Or(x.ConnectedAt.Compare(y.ConnectedAt), strings.Compare(x.VisitorID, y.VisitorID))
	})
	if len(infos) > maxLiveVisitors {
		infos = infos[:maxLiveVisitors]
	}
	out := make([]api.Visitor, 0, len(infos))
	for _, v := range infos {
		convID, err := l.conversationOf(ctx, workspaceID, v.ChannelID, v.VisitorID)
		if err != nil {
			return nil, err
		}
		out = append(out, api.Visitor{
			ID: v.VisitorID, ChannelID: v.ChannelID, Page: v.Page, Title: v.Title,
			Since: v.ConnectedAt, OnPageSince: v.OnPageSince, ConversationID: convID,
		})
	}
	return out, nil
}

// conversationOf returns the id of the visitor's conversation on the
// channel, "" when they never wrote nor were written to.
func (l liveVisitors) conversationOf(ctx context.Context, workspaceID, channelID, visitorID string) (string, error) {
	contact, err := l.h.store.FindContact(ctx, workspaceID, inbox.Identity{ChannelID: channelID, Handle: visitorID})
	if errors.Is(err, inbox.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	conv, err := l.h.store.FindConversation(ctx, workspaceID, channelID, contact.ID)
	if errors.Is(err, inbox.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return conv.ID, nil
}

// Start writes first to a visitor on the site (proactive chat). The channel
// must be an enabled web chat channel of the actor's workspace and the
// visitor connected to it right now; otherwise it is ErrNotFound. The
// conversation (found, reopened or created) gets the agent's message,
// which the outbox sends to the visitor's widget like any reply.
func (l liveVisitors) Start(ctx context.Context, actor inbox.Actor, channelID, visitorID, text string) (*inbox.Conversation, error) {
	if strings.TrimSpace(channelID) == "" {
		return nil, inbox.Invalid("channelId", "the visitor's web chat channel is required")
	}
	ch, err := l.h.svc.GetChannel(ctx, actor.WorkspaceID, channelID)
	if err != nil {
		return nil, err
	}
	if ch.Type != inbox.ChannelWebchat || ch.Disabled {
		return nil, inbox.ErrNotFound
	}
	src := l.source()
	if src == nil || visitorID == "" || src.Connected(ch.ID, visitorID) == 0 {
		return nil, inbox.ErrNotFound
	}
	conv, _, err := l.h.svc.StartConversation(ctx, actor, ch, visitorID, "", text)
	return conv, err
}
