package webchat

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/contrib/websocket"

	"hub/adapters"
)

const shutdownWait = 5 * time.Second

// broadcast queues data on every socket of the visitor but except, without
// waiting for the writes.
func (a *Adapter) broadcast(channelID, visitorID string, data []byte, except *client) {
	for _, cl := range a.clients(channelID, visitorID) {
		if cl != except {
			cl.enqueue(frame{data: data})
		}
	}
}

// Send writes out to every socket the visitor has open on the channel and
// waits until one write succeeded (Delivered) or all failed. With no socket
// open it returns SendResult{} and no error: the message is stored, and the
// widget fetches it with GET .../messages?after= when it reconnects, so a
// retry could not do better. If ctx ends while writes are queued it returns
// what is known so far, also without error: the queued frames still go out.
func (a *Adapter) Send(ctx context.Context, out adapters.Outbound) (adapters.SendResult, error) {
	if err := ctx.Err(); err != nil {
		return adapters.SendResult{}, err
	}
	if out.Channel.ID == "" || out.ContactHandle == "" {
		return adapters.SendResult{}, &adapters.PermanentError{Err: errors.New("webchat: outbound without channel id or visitor id")}
	}
	created := out.CreatedAt
	if created.IsZero() {
		created = a.now()
	}
	data := messageFrame(Message{
		ID:             out.MessageID,
		ConversationID: out.ConversationID,
		Direction:      "out",
		Author:         Author{Type: out.AuthorType, Name: out.AuthorName},
		Text:           out.Text,
		Attachments:    out.Attachments,
		Buttons:        out.Buttons,
		Kind:           out.Kind,
		CreatedAt:      created,
	})

	type pending struct {
		cl     *client
		result chan error
	}
	var waits []pending
	for _, cl := range a.clients(out.Channel.ID, out.ContactHandle) {
		r := make(chan error, 1)
		if cl.enqueue(frame{data: data, result: r}) {
			waits = append(waits, pending{cl, r})
		}
	}
	for _, w := range waits {
		var err error
		select {
		case err = <-w.result:
		case <-w.cl.done:
			select {
			case err = <-w.result:
			default:
				err = errSocketClosed
			}
		case <-ctx.Done():
			return adapters.SendResult{}, nil
		}
		if err == nil {
			a.log.Debug("webchat: message sent", "channel", out.Channel.ID, "visitor", out.ContactHandle, "message", out.MessageID)
			return adapters.SendResult{Delivered: true}, nil
		}
	}
	return adapters.SendResult{}, nil
}

// Run closes every socket when ctx is done (the widgets reconnect to
// another instance or after the restart), waits briefly for their handlers
// to finish and returns nil. Sockets opened afterwards are refused.
func (a *Adapter) Run(ctx context.Context) error {
	<-ctx.Done()
	a.mu.Lock()
	a.stopped = true
	var all []*client
	for _, visitors := range a.conns {
		for _, set := range visitors {
			for cl := range set {
				all = append(all, cl)
			}
		}
	}
	a.mu.Unlock()
	for _, cl := range all {
		cl.stop(websocket.CloseGoingAway)
	}
	finished := make(chan struct{})
	go func() {
		a.live.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-time.After(shutdownWait):
		a.log.Warn("webchat: sockets still closing at shutdown", "count", len(all))
	}
	return nil
}
