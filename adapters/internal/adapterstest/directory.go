// Package adapterstest holds what the adapters' tests share: a channel
// Directory, the hub's way of rendering errors and a few HTTP and JSON
// helpers. It is imported by tests only.
package adapterstest

import (
	"context"
	"sync"

	"hub/adapters"
)

// Directory is an adapters.Directory over channels kept in memory. The
// zero value is an empty directory.
type Directory struct {
	mu       sync.Mutex
	channels map[string]adapters.Channel
	err      error
}

// NewDirectory returns a directory holding chs, by their ID.
func NewDirectory(chs ...adapters.Channel) *Directory {
	d := &Directory{}
	for _, ch := range chs {
		d.Put(ch)
	}
	return d
}

// Put adds ch, or replaces the channel with its ID.
func (d *Directory) Put(ch adapters.Channel) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.channels == nil {
		d.channels = make(map[string]adapters.Channel)
	}
	d.channels[ch.ID] = ch
}

// Remove deletes the channel with that id.
func (d *Directory) Remove(id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.channels, id)
}

// SetErr makes every later lookup fail with err (none when nil), as a
// store that is down.
func (d *Directory) SetErr(err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.err = err
}

// Channel returns the channel with that id, adapters.ErrChannelNotFound
// when there is none.
func (d *Directory) Channel(_ context.Context, id string) (adapters.Channel, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err != nil {
		return adapters.Channel{}, d.err
	}
	ch, ok := d.channels[id]
	if !ok {
		return adapters.Channel{}, adapters.ErrChannelNotFound
	}
	return ch, nil
}

// Channels returns the enabled channels of a type, in no particular order.
func (d *Directory) Channels(_ context.Context, channelType string) ([]adapters.Channel, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err != nil {
		return nil, d.err
	}
	var out []adapters.Channel
	for _, ch := range d.channels {
		if ch.Type == channelType && !ch.Disabled {
			out = append(out, ch)
		}
	}
	return out, nil
}

var _ adapters.Directory = (*Directory)(nil)
