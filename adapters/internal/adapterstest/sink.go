package adapterstest

import (
	"context"
	"fmt"
	"sync"

	"hub/adapters"
)

// Sink is an adapters.Sink that keeps what it stores. Like the hub, it
// answers a message delivered again (same ChannelID and ExternalID) with
// the first receipt, marked Duplicate. Messages get the ids m1, m2, ...
// in order and the conversation "c-" + ContactHandle. The zero value is
// ready to use.
type Sink struct {
	mu   sync.Mutex
	ins  []adapters.Inbound
	seen map[string]adapters.Receipt
	err  error
}

// Deliver stores in, or fails with the error set by SetErr.
func (s *Sink) Deliver(_ context.Context, in adapters.Inbound) (adapters.Receipt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return adapters.Receipt{}, s.err
	}
	s.ins = append(s.ins, in)
	key := in.ChannelID + "\x00" + in.ExternalID
	if r, ok := s.seen[key]; ok {
		r.Duplicate = true
		return r, nil
	}
	if s.seen == nil {
		s.seen = make(map[string]adapters.Receipt)
	}
	r := adapters.Receipt{MessageID: fmt.Sprintf("m%d", len(s.seen)+1), ConversationID: "c-" + in.ContactHandle}
	s.seen[key] = r
	return r, nil
}

// SetErr makes every later Deliver fail with err (none when nil).
func (s *Sink) SetErr(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
}

// Inbounds returns the messages delivered so far, duplicates included.
func (s *Sink) Inbounds() []adapters.Inbound {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]adapters.Inbound(nil), s.ins...)
}

var _ adapters.Sink = (*Sink)(nil)
