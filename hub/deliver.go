package hub

import (
	"context"
	"errors"
	"net/http"

	"hub/adapters"
	"hub/inbox"
)

// Deliver is the adapters' Sink: it stores an inbound customer message,
// lets the bot answer when the conversation is with the bot, and returns
// once both are durable. Sending replies and notifying agents follow
// asynchronously.
func (h *Hub) Deliver(ctx context.Context, in adapters.Inbound) (adapters.Receipt, error) {
	ch, err := h.store.FindChannel(ctx, in.ChannelID)
	if errors.Is(err, inbox.ErrNotFound) || (err == nil && ch.Disabled) {
		return adapters.Receipt{}, adapters.Errorf(http.StatusNotFound, "channel_not_found", "no such channel")
	}
	if err != nil {
		return adapters.Receipt{}, err
	}
	res, err := h.svc.Ingest(ctx, ch, inbox.IngestInput{
		ExternalID:    in.ExternalID,
		ContactHandle: in.ContactHandle,
		ContactName:   in.ContactName,
		Text:          in.Text,
		Attachments:   toInboxAttachments(in.Attachments),
		ReceivedAt:    in.ReceivedAt,
		ThreadRef:     in.ThreadRef,
		OptOut:        inbox.OptOut(in.OptOut),
	})
	var invalid *inbox.InvalidError
	if errors.As(err, &invalid) {
		// A message that can never be stored: tell the provider so, or it
		// would retry it for a day.
		status := http.StatusBadRequest
		if invalid.Code == "text_too_long" {
			status = http.StatusRequestEntityTooLarge
		}
		return adapters.Receipt{}, adapters.Errorf(status, invalid.Code, "%s", invalid.Error())
	}
	if err != nil {
		return adapters.Receipt{}, err
	}
	if res.Duplicate {
		h.metrics.DuplicatesIn.Add(1)
	} else {
		h.metrics.MessagesIn.Add(1)
	}
	if res.RunBot() {
		// A new message, or a retry of one whose bot turn a crash (or the
		// still running original) left unfinished: the turn is safe to
		// run again (runBot), and the retry is still a duplicate for the
		// provider and the metrics.
		//
		// The customer's message is stored whatever the bot does; a bot
		// failure is logged, not returned, so the provider does not retry
		// a message we already have.
		if err := h.runBot(ctx, ch, res); err != nil {
			h.log.Error("bot failed", "conversation", res.Conversation.ID, "err", err)
		}
	}
	return adapters.Receipt{MessageID: res.Message.ID, ConversationID: res.Conversation.ID, Duplicate: res.Duplicate}, nil
}

func toInboxAttachments(in []adapters.Attachment) []inbox.Attachment {
	if len(in) == 0 {
		return nil
	}
	out := make([]inbox.Attachment, len(in))
	for i, a := range in {
		out[i] = inbox.Attachment{URL: a.URL, ContentType: a.ContentType, Name: a.Name, Size: a.Size, Proxied: a.Proxied}
	}
	return out
}

func toAdapterAttachments(in []inbox.Attachment) []adapters.Attachment {
	if len(in) == 0 {
		return nil
	}
	out := make([]adapters.Attachment, len(in))
	for i, a := range in {
		out[i] = adapters.Attachment{URL: a.URL, ContentType: a.ContentType, Name: a.Name, Size: a.Size, Proxied: a.Proxied}
	}
	return out
}
