package hub

import (
	"context"
	"errors"
	"sync"
	"time"

	"hub/adapters"
	"hub/inbox"
)

// Outbox sends stored outbound messages (delivery "queued") through their
// channel's adapter, retrying with exponential backoff. Because the queue
// is the store itself, messages queued before a crash are sent after the
// restart.
type Outbox struct {
	h    *Hub
	kick chan struct{}

	mu    sync.Mutex
	tries map[string]retryState
}

type retryState struct {
	attempts int
	next     time.Time
}

const (
	outboxBatch     = 200
	outboxRetryTick = 2 * time.Second
	outboxMaxTries  = 8
)

func newOutbox(h *Hub) *Outbox {
	return &Outbox{h: h, kick: make(chan struct{}, 1), tries: map[string]retryState{}}
}

// notice wakes the dispatcher when a message is queued.
func (o *Outbox) notice(c inbox.Change) {
	if c.Kind == inbox.MessageCreated && c.Message != nil && c.Message.Delivery == inbox.DeliveryQueued {
		o.Kick()
	}
}

// Kick asks the dispatcher to look at the queue now.
func (o *Outbox) Kick() {
	select {
	case o.kick <- struct{}{}:
	default:
	}
}

// Run drains the queue until ctx is done.
func (o *Outbox) Run(ctx context.Context) {
	tick := time.NewTicker(outboxRetryTick)
	defer tick.Stop()
	for {
		if err := o.Drain(ctx); err != nil && ctx.Err() == nil {
			o.h.log.Error("outbox drain failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-o.kick:
		case <-tick.C:
		}
	}
}

// Drain sends every queued message that is not waiting for a retry.
func (o *Outbox) Drain(ctx context.Context) error {
	msgs, err := o.h.store.ListQueuedMessages(ctx, outboxBatch)
	if err != nil {
		return err
	}
	now := time.Now()
	for i := range msgs {
		if ctx.Err() != nil {
			return nil
		}
		m := &msgs[i]
		o.mu.Lock()
		st := o.tries[m.ID]
		o.mu.Unlock()
		if now.Before(st.next) {
			continue
		}
		o.send(ctx, m, st)
	}
	return nil
}

func (o *Outbox) send(ctx context.Context, m *inbox.Message, st retryState) {
	d, reason := o.attempt(ctx, m)
	if d == "" {
		st.attempts++
		if st.attempts < outboxMaxTries {
			o.h.metrics.OutboxRetries.Add(1)
			st.next = time.Now().Add(time.Second << st.attempts)
			o.mu.Lock()
			o.tries[m.ID] = st
			o.mu.Unlock()
			return
		}
		d = inbox.DeliveryFailed
	}
	o.mu.Lock()
	delete(o.tries, m.ID)
	o.mu.Unlock()
	switch d {
	case inbox.DeliveryDelivered:
		o.h.metrics.OutboxDelivered.Add(1)
	case inbox.DeliverySent:
		o.h.metrics.OutboxSent.Add(1)
	default:
		o.h.metrics.OutboxFailed.Add(1)
	}
	if err := o.h.svc.SetDelivery(ctx, m, d, reason); err != nil {
		o.h.log.Error("outbox: recording delivery failed", "message", m.ID, "err", err)
	}
}

// attempt sends once. It returns the new delivery state, or "" to retry.
func (o *Outbox) attempt(ctx context.Context, m *inbox.Message) (inbox.Delivery, string) {
	ch, err := o.h.store.GetChannel(ctx, m.WorkspaceID, m.ChannelID)
	if err != nil {
		return inbox.DeliveryFailed, "the channel no longer exists"
	}
	ad, ok := o.h.adapters[string(ch.Type)]
	if !ok {
		return inbox.DeliveryFailed, "this hub has no adapter for " + string(ch.Type) + " channels"
	}
	conv, err := o.h.store.GetConversation(ctx, m.WorkspaceID, m.ConversationID)
	if err != nil {
		return inbox.DeliveryFailed, "the conversation no longer exists"
	}
	res, err := ad.Send(ctx, adapters.Outbound{
		MessageID:      m.ID,
		ConversationID: m.ConversationID,
		Channel:        adapterChannel(ch),
		ContactHandle:  conv.ContactHandle,
		AuthorType:     string(m.Author.Type),
		AuthorName:     m.Author.Name,
		Text:           m.Text,
		Attachments:    toAdapterAttachments(m.Attachments),
		Buttons:        m.Buttons,
		CreatedAt:      m.CreatedAt,
	})
	if err != nil {
		if adapters.IsPermanent(err) {
			return inbox.DeliveryFailed, err.Error()
		}
		if !errors.Is(err, context.Canceled) {
			o.h.log.Warn("outbox: send failed, will retry", "message", m.ID, "channel", ch.ID, "err", err)
		}
		return "", err.Error()
	}
	if res.Delivered {
		return inbox.DeliveryDelivered, ""
	}
	return inbox.DeliverySent, ""
}
