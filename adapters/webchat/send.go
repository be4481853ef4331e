package webchat

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/contrib/websocket"

	"hub/adapters"
)

const shutdownWait = 5 * time.Second

// broadcast writes data to every socket of the visitor but except, one
// after the other (see client.write).
func (a *Adapter) broadcast(channelID, visitorID string, data []byte, except *client) {
	for _, cl := range a.clients(channelID, visitorID) {
		if cl != except {
			_ = cl.write(data)
		}
	}
}

// Send writes out to every socket the visitor has open on the channel,
// one after the other, and reports Delivered when at least one write
// succeeded. With no socket open (or none taking the frame) it returns
// SendResult{} and no error: the message is stored, and the widget fetches
// it with GET .../messages?after= when it reconnects, so a retry could not
// do better. ctx is only checked before the writes: each is bounded by
// writeWait instead, since a frame cut off halfway would leave the socket
// unusable anyway.
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

	delivered := false
	for _, cl := range a.clients(out.Channel.ID, out.ContactHandle) {
		if cl.write(data) == nil {
			delivered = true
		}
	}
	if delivered {
		a.log.Debug("webchat: message sent", "channel", out.Channel.ID, "visitor", out.ContactHandle, "message", out.MessageID)
	}
	return adapters.SendResult{Delivered: delivered}, nil
}

// Run pings the open sockets (pingLoop) until ctx is done, then closes
// every socket (the widgets reconnect to another instance or after the
// restart), waits briefly for their handlers to finish and returns nil.
// Sockets opened afterwards are refused.
func (a *Adapter) Run(ctx context.Context) error {
	a.pingLoop(ctx.Done())
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
	// One deadline for all close frames: a few stuck sockets must not add
	// up to a long shutdown.
	deadline := time.Now().Add(controlWait)
	for _, cl := range all {
		cl.stopBy(websocket.CloseGoingAway, deadline)
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
