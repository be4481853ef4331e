package webchat

import (
	"context"
	"errors"
	"time"

	"github.com/gofiber/contrib/websocket"

	"hub/adapters"
)

const shutdownWait = 5 * time.Second

func connKey(channelID, visitorID string) string { return channelID + "\x00" + visitorID }

// register adds cl to the registry; false once Run has shut down.
func (a *Adapter) register(cl *client) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.stopped {
		return false
	}
	k := connKey(cl.channelID, cl.visitorID)
	set := a.conns[k]
	if set == nil {
		set = make(map[*client]struct{})
		a.conns[k] = set
	}
	set[cl] = struct{}{}
	a.live.Add(1)
	return true
}

func (a *Adapter) unregister(cl *client) {
	a.mu.Lock()
	defer a.mu.Unlock()
	k := connKey(cl.channelID, cl.visitorID)
	if set := a.conns[k]; set != nil {
		delete(set, cl)
		if len(set) == 0 {
			delete(a.conns, k)
		}
	}
}

func (a *Adapter) clients(channelID, visitorID string) []*client {
	a.mu.Lock()
	defer a.mu.Unlock()
	set := a.conns[connKey(channelID, visitorID)]
	out := make([]*client, 0, len(set))
	for cl := range set {
		out = append(out, cl)
	}
	return out
}

func (a *Adapter) isStopped() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stopped
}

// Connected is the number of live sockets of the visitor on the channel.
func (a *Adapter) Connected(channelID, visitorID string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.conns[connKey(channelID, visitorID)])
}

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
	for _, set := range a.conns {
		for cl := range set {
			all = append(all, cl)
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
