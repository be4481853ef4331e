package hub

import (
	"context"
	"errors"

	"hub/adapters"
	"hub/inbox"
)

// adapterChannel is the channel as adapters see it: settings with the
// secrets decrypted.
func (h *Hub) adapterChannel(ch *inbox.Channel) (adapters.Channel, error) {
	cfg, err := h.svc.ChannelSettings(ch)
	if err != nil {
		return adapters.Channel{}, err
	}
	return adapters.Channel{ID: ch.ID, WorkspaceID: ch.WorkspaceID, Type: string(ch.Type), Name: ch.Name, Disabled: ch.Disabled, Config: cfg}, nil
}

// Directory gives adapters the configured channels.
func (h *Hub) Directory() adapters.Directory { return directory{h} }

type directory struct{ h *Hub }

func (d directory) Channel(ctx context.Context, id string) (adapters.Channel, error) {
	ch, err := d.h.store.FindChannel(ctx, id)
	if errors.Is(err, inbox.ErrNotFound) || (err == nil && ch.Deleted) {
		return adapters.Channel{}, adapters.ErrChannelNotFound
	}
	if err != nil {
		return adapters.Channel{}, err
	}
	return d.h.adapterChannel(ch)
}

func (d directory) Channels(ctx context.Context, channelType string) ([]adapters.Channel, error) {
	chs, err := d.h.store.ListChannelsOfType(ctx, inbox.ChannelType(channelType))
	if err != nil {
		return nil, err
	}
	out := make([]adapters.Channel, 0, len(chs))
	for i := range chs {
		if chs[i].Disabled || chs[i].Deleted {
			continue
		}
		ac, err := d.h.adapterChannel(&chs[i])
		if err != nil {
			// One unreadable channel must not stop the others.
			d.h.log.Error("channel settings unreadable", "channel", chs[i].ID, "err", err)
			continue
		}
		out = append(out, ac)
	}
	return out, nil
}

// UpdateDelivery is the adapters' StatusSink: provider delivery reports
// move a message's state forward (never back: reports arrive out of order).
func (h *Hub) UpdateDelivery(ctx context.Context, u adapters.DeliveryUpdate) error {
	var d inbox.Delivery
	switch u.Status {
	case "sent":
		d = inbox.DeliverySent
	case "delivered":
		d = inbox.DeliveryDelivered
	case "read":
		d = inbox.DeliveryRead
	case "failed":
		d = inbox.DeliveryFailed
	default:
		return nil
	}
	msg, err := h.findSent(ctx, u)
	if err != nil {
		return err
	}
	ext := ""
	if msg.ExternalID == "" {
		// The report came before the send's own answer was recorded.
		// Replies' provider ids need not be unique, so this cannot clash
		// with another message's.
		ext = u.ExternalID
	}
	_, err = h.svc.SetDelivery(ctx, msg, d, u.Error, ext)
	return err
}

// findSent finds the reply a delivery report is about: by our message id
// when the provider echoes it, otherwise by the provider's id among the
// channel's outbound messages (an inbound message may carry the same id).
func (h *Hub) findSent(ctx context.Context, u adapters.DeliveryUpdate) (*inbox.Message, error) {
	var (
		msg *inbox.Message
		err error
	)
	if u.MessageID != "" {
		var ch *inbox.Channel
		if ch, err = h.store.FindChannel(ctx, u.ChannelID); err == nil {
			msg, err = h.store.GetMessage(ctx, ch.WorkspaceID, u.MessageID)
		}
	} else {
		msg, err = h.store.FindSentMessageByExternalID(ctx, u.ChannelID, u.ExternalID)
	}
	if errors.Is(err, inbox.ErrNotFound) || (err == nil && (msg.ChannelID != u.ChannelID || msg.Direction != inbox.DirectionOut)) {
		return nil, adapters.ErrMessageNotFound
	}
	return msg, err
}
