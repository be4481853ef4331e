package adapters

import (
	"context"
	"errors"
	"net/http"
)

// LookupChannel resolves the channel a webhook names: a 404
// channel_not_found *HTTPError when id is empty, unknown or a channel of
// another type than channelType, a 403 channel_disabled one when the
// channel is switched off. Other lookup errors are returned as they are,
// for the caller to log or map.
func LookupChannel(ctx context.Context, dir Directory, id, channelType string) (Channel, error) {
	if id == "" {
		return Channel{}, errNoChannel(channelType)
	}
	ch, err := dir.Channel(ctx, id)
	if errors.Is(err, ErrChannelNotFound) {
		return Channel{}, errNoChannel(channelType)
	}
	if err != nil {
		return Channel{}, err
	}
	if ch.Type != channelType {
		return Channel{}, errNoChannel(channelType)
	}
	if ch.Disabled {
		return Channel{}, Errorf(http.StatusForbidden, "channel_disabled", "this %s channel is disabled", channelType)
	}
	return ch, nil
}

func errNoChannel(channelType string) *HTTPError {
	return Errorf(http.StatusNotFound, "channel_not_found", "no %s channel with this id", channelType)
}
