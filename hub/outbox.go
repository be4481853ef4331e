package hub

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"hub/adapters"
	"hub/inbox"
)

// Outbox sends stored outbound messages through their channel's adapter.
//
// Decisions:
//   - The queue is the store: a message is stored "queued" before any send,
//     and the dispatcher claims due messages with a lease (ClaimOutbound),
//     so several hub instances never send one message twice and a restart
//     picks up where the last run stopped. Attempts and the next attempt
//     time are stored too, so backoff survives restarts.
//   - Only the oldest queued message of a conversation is claimed: a
//     customer gets replies in order, one at a time.
//   - A send that fails for now is retried with exponential backoff (1 s,
//     2 s, 4 s ... capped at 10 min, up to 30 attempts, about 3.5 h); a
//     provider's retry-after is honoured as is and is not counted as an
//     attempt; a permanent error fails the message at once with the reason,
//     which agents see.
//   - Delivery is at least once: if the process dies between the provider
//     accepting a message and the store recording it, the message is sent
//     again after the lease ends. Partners get an Idempotency-Key (the
//     message id) to drop the copy.
//   - Sends are paced per channel and per chat (pacing.go) by the limits
//     the adapter declares.
type Outbox struct {
	h    *Hub
	kick chan struct{}
	pace *pacer
	now  func() time.Time
	// held bounds the messages claimed and not yet finished, sending the
	// messages being handed to their adapter. A message waiting for its
	// pacing turn holds only the first: a burst of new Telegram chats, each
	// waiting a second between the greeting and the answer, must not keep
	// other channels' replies from being sent.
	held    chan struct{}
	sending chan struct{}
	wg      sync.WaitGroup
	timer   *time.Timer
	mu      sync.Mutex
	// wake is the earliest time a timer is set for, to avoid piling timers.
	wake time.Time
}

const (
	outboxBatch       = 100
	outboxLease       = 30 * time.Second
	outboxMaxWait     = 10 * time.Second // longest pacing wait held under a lease
	outboxPoll        = time.Second      // messages queued by other instances
	outboxGather      = 5 * time.Millisecond
	outboxConcurrency = 64   // sends in progress
	outboxHeld        = 1024 // claimed messages, most of them waiting for pacing
	outboxMaxAttempts = 30
	outboxMaxBackoff  = 10 * time.Minute
	outboxSendTimeout = 60 * time.Second
)

func newOutbox(h *Hub) *Outbox {
	return &Outbox{h: h, kick: make(chan struct{}, 1), pace: newPacer(), now: time.Now,
		held: make(chan struct{}, outboxHeld), sending: make(chan struct{}, outboxConcurrency)}
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

// kickAt wakes the dispatcher at t (a retry coming due).
func (o *Outbox) kickAt(t time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.wake.IsZero() && !t.Before(o.wake) && o.wake.After(o.now()) {
		return
	}
	o.wake = t
	if o.timer != nil {
		o.timer.Stop()
	}
	o.timer = time.AfterFunc(time.Until(t), o.Kick)
}

// Run dispatches until ctx is done, then waits for sends in flight.
func (o *Outbox) Run(ctx context.Context) {
	poll := time.NewTicker(outboxPoll)
	defer poll.Stop()
	sweep := time.NewTicker(time.Minute)
	defer sweep.Stop()
	for {
		if err := o.Dispatch(ctx); err != nil && ctx.Err() == nil {
			o.h.log.Error("outbox: claiming messages failed", "err", err)
		}
		select {
		case <-ctx.Done():
			o.wg.Wait()
			return
		case <-o.kick:
			// Replies are queued in bursts (a bot turn, a busy minute):
			// gather what comes within a moment into one claim, each of
			// which is a write transaction.
			if !sleepUntil(ctx, o.now().Add(outboxGather)) {
				continue
			}
			select {
			case <-o.kick:
			default:
			}
		case <-poll.C:
		case now := <-sweep.C:
			o.pace.forget(now)
		}
	}
}

// Dispatch claims the messages that are due and starts sending them. It
// returns once they are handed to senders, not sent.
func (o *Outbox) Dispatch(ctx context.Context) error {
	for ctx.Err() == nil {
		now := o.now()
		msgs, err := o.h.store.ClaimOutbound(ctx, now, now.Add(outboxLease), outboxBatch)
		if err != nil {
			return err
		}
		for i := range msgs {
			m := msgs[i]
			select {
			case o.held <- struct{}{}:
			case <-ctx.Done():
				o.release(&m, m.Attempts, o.now(), m.DeliveryError)
				continue
			}
			o.wg.Add(1)
			go func() {
				defer func() { <-o.held; o.wg.Done() }()
				o.deliver(ctx, &m)
			}()
		}
		if len(msgs) < outboxBatch {
			return nil
		}
	}
	return nil
}

// deliver sends one claimed message and records the outcome.
func (o *Outbox) deliver(ctx context.Context, m *inbox.Message) {
	ch, conv, ad, reason := o.target(ctx, m)
	if reason != "" {
		o.finish(m, inbox.DeliveryFailed, reason, "")
		return
	}
	out, err := o.h.adapterChannel(ch)
	if err != nil {
		o.finish(m, inbox.DeliveryFailed, "the channel's settings cannot be read: "+err.Error(), "")
		return
	}
	var pacing adapters.Pacing
	if p, ok := ad.(adapters.Pacer); ok {
		pacing = p.Pacing(out)
	}
	// The pacing turns are waited for holding no send slot: a burst of
	// replies to one busy channel (or to chats waiting a second between
	// two messages) must not keep every other channel's replies waiting.
	// Only when every slot is busy sending can sends bunch up; a provider
	// that then answers "too many requests" is retried after its delay.
	chatKey := "chat:" + conv.ID
	if !o.waitTurn(ctx, m, chatKey, pacing.PerChat) || !o.waitTurn(ctx, m, "channel:"+ch.ID, pacing.PerChannel) {
		return
	}
	select {
	case o.sending <- struct{}{}:
	case <-ctx.Done():
		o.release(m, m.Attempts, o.now(), m.DeliveryError)
		return
	}
	defer func() { <-o.sending }()
	sendCtx, cancel := context.WithTimeout(ctx, outboxSendTimeout)
	res, err := ad.Send(sendCtx, adapters.Outbound{
		MessageID:      m.ID,
		ConversationID: m.ConversationID,
		Channel:        out,
		ContactHandle:  conv.ContactHandle,
		AuthorType:     string(m.Author.Type),
		AuthorName:     m.Author.Name,
		Text:           m.Text,
		Attachments:    toAdapterAttachments(m.Attachments),
		Buttons:        m.Buttons,
		Kind:           m.Kind,
		CreatedAt:      m.CreatedAt,
		ThreadRef:      conv.ThreadRef,
		Attempt:        m.Attempts + 1,
	})
	cancel()
	o.pace.sent(chatKey, pacing.PerChat, o.now())
	o.outcome(ctx, m, res, err, chatKey)
}

// waitTurn reserves the next send of key and waits for it. When the turn
// is too far off (or ctx ends) the message is put back for later and
// waitTurn reports false.
func (o *Outbox) waitTurn(ctx context.Context, m *inbox.Message, key string, interval time.Duration) bool {
	at, ok := o.pace.reserve(key, interval, o.now(), outboxMaxWait)
	if !ok {
		o.release(m, m.Attempts, at, m.DeliveryError)
		return false
	}
	if !sleepUntil(ctx, at) {
		o.release(m, m.Attempts, o.now(), m.DeliveryError)
		return false
	}
	return true
}

// sleepUntil waits until t; false when ctx ended first.
func sleepUntil(ctx context.Context, t time.Time) bool {
	wait := time.Until(t)
	if wait <= 0 {
		return true
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// target finds where m goes; a non-empty reason means it cannot go at all.
func (o *Outbox) target(ctx context.Context, m *inbox.Message) (*inbox.Channel, *inbox.Conversation, adapters.Adapter, string) {
	ch, err := o.h.store.GetChannel(ctx, m.WorkspaceID, m.ChannelID)
	switch {
	case err != nil || ch.Deleted:
		return nil, nil, nil, "not sent: the channel was removed"
	case ch.Disabled:
		return nil, nil, nil, "not sent: the channel is disabled"
	}
	ad, ok := o.h.adapters[string(ch.Type)]
	if !ok {
		return nil, nil, nil, "not sent: this hub has no adapter for " + string(ch.Type) + " channels"
	}
	conv, err := o.h.store.GetConversation(ctx, m.WorkspaceID, m.ConversationID)
	if err != nil {
		return nil, nil, nil, "not sent: the conversation no longer exists"
	}
	if conv.OptedOut {
		return nil, nil, nil, inbox.ErrOptedOutReason
	}
	return ch, conv, ad, ""
}

func (o *Outbox) outcome(ctx context.Context, m *inbox.Message, res adapters.SendResult, err error, chatKey string) {
	switch {
	case err == nil && res.Delivered:
		o.h.metrics.OutboxDelivered.Add(1)
		o.finish(m, inbox.DeliveryDelivered, "", res.ExternalID)
	case err == nil:
		o.h.metrics.OutboxSent.Add(1)
		o.finish(m, inbox.DeliverySent, "", res.ExternalID)
	case adapters.IsPermanent(err):
		o.h.metrics.OutboxFailed.Add(1)
		o.finish(m, inbox.DeliveryFailed, err.Error(), "")
	case ctx.Err() != nil:
		// Shutting down: not the provider's fault, not an attempt.
		o.release(m, m.Attempts, o.now(), m.DeliveryError)
	default:
		if after, ok := adapters.RetryAfter(err); ok {
			until := o.now().Add(after)
			o.pace.block(chatKey, until)
			o.h.metrics.OutboxRetries.Add(1)
			o.release(m, m.Attempts, until, err.Error())
			return
		}
		attempts := m.Attempts + 1
		if attempts >= outboxMaxAttempts {
			o.h.metrics.OutboxFailed.Add(1)
			o.finish(m, inbox.DeliveryFailed, fmt.Sprintf("gave up after %d attempts: %v", attempts, err), "")
			return
		}
		o.h.metrics.OutboxRetries.Add(1)
		o.h.log.Warn("outbox: send failed, will retry", "message", m.ID, "channel", m.ChannelID, "attempt", attempts, "err", err)
		o.release(m, attempts, o.now().Add(backoff(attempts)), err.Error())
	}
}

// backoff is the wait after the n-th failed attempt: 1 s, 2 s, 4 s, ...
func backoff(n int) time.Duration {
	if n > 20 {
		return outboxMaxBackoff
	}
	return min(time.Second<<(n-1), outboxMaxBackoff)
}

// finish records a final (or provider-confirmed) state. It uses its own
// context: the outcome of a send that happened must be stored even while
// the hub shuts down.
func (o *Outbox) finish(m *inbox.Message, d inbox.Delivery, reason, externalID string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// Provider ids of sent messages need not be unique (Telegram numbers
	// messages per chat), so recording one never conflicts.
	_, err := o.h.svc.SetDelivery(ctx, m, d, reason, externalID)
	if err != nil {
		o.h.log.Error("outbox: recording delivery failed", "message", m.ID, "err", err)
	}
	o.Kick() // the conversation's next message may go now
}

// release puts a message back in the queue, due at next.
func (o *Outbox) release(m *inbox.Message, attempts int, next time.Time, reason string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := o.h.store.RetryOutbound(ctx, m.WorkspaceID, m.ID, attempts, next, reason)
	if err != nil && !errors.Is(err, inbox.ErrConflict) {
		o.h.log.Error("outbox: requeueing failed", "message", m.ID, "err", err)
	}
	o.kickAt(next)
}
