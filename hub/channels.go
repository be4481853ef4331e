package hub

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"maps"
	"strings"
	"time"

	"hub/adapters"
	"hub/hub/api"
	"hub/inbox"
)

// channelAdmin is the API's channel administration: it asks each type's
// adapter which settings exist, which are secret and whether values are
// good, so the API stays free of provider knowledge.
type channelAdmin struct{ h *Hub }

func (a channelAdmin) adapter(t inbox.ChannelType) (adapters.Adapter, error) {
	ad, ok := a.h.adapters[string(t)]
	if !ok {
		return nil, inbox.InvalidCode("unsupported_channel_type", "type", "this hub has no %s adapter", t)
	}
	return ad, nil
}

// Prepare merges a settings patch over the stored settings, fills
// generated values, asks the adapter to check the result and splits it
// into config and secrets.
func (a channelAdmin) Prepare(t inbox.ChannelType, old *inbox.Channel, patch map[string]*string) (map[string]string, map[string]string, error) {
	ad, err := a.adapter(t)
	if err != nil {
		return nil, nil, err
	}
	conf, ok := ad.(adapters.Configurable)
	if !ok {
		if len(patch) > 0 {
			return nil, nil, inbox.InvalidCode("invalid_config", "config", "%s channels have no settings", t)
		}
		return nil, nil, nil
	}
	fields := map[string]adapters.Field{}
	for _, f := range conf.Fields() {
		fields[f.Key] = f
	}
	cur := map[string]string{}
	if old != nil {
		if cur, err = a.h.svc.ChannelSettings(old); err != nil {
			return nil, nil, err
		}
	}
	for k, v := range patch {
		f, known := fields[k]
		switch {
		case !known:
			return nil, nil, inbox.InvalidCode("invalid_config", "config."+k, "%s channels have no setting %q", t, k)
		case v == nil || strings.TrimSpace(*v) == "":
			delete(cur, k)
		case f.Secret && *v == maskSecret(cur[k]):
			// The console sent back the masked value it was shown.
		default:
			cur[k] = strings.TrimSpace(*v)
		}
	}
	for _, f := range fields {
		if f.Generated && cur[f.Key] == "" {
			cur[f.Key] = randomToken()
		}
	}
	if err := conf.ValidateConfig(cur); err != nil {
		var fe *adapters.FieldError
		if errors.As(err, &fe) {
			return nil, nil, inbox.InvalidCode("invalid_config", "config."+fe.Field, "%s", fe.Reason)
		}
		return nil, nil, inbox.InvalidCode("invalid_config", "config", "%s", err.Error())
	}
	config, secrets := map[string]string{}, map[string]string{}
	for k, v := range cur {
		if fields[k].Secret {
			secrets[k] = v
		} else {
			config[k] = v
		}
	}
	return config, secrets, nil
}

func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Describe shows every setting, secrets masked, and the webhook URLs.
func (a channelAdmin) Describe(ch *inbox.Channel) api.ChannelDetails {
	d := api.ChannelDetails{Config: maps.Clone(ch.Config), WebhookURLs: map[string]string{}}
	if d.Config == nil {
		d.Config = map[string]string{}
	}
	ad, ok := a.h.adapters[string(ch.Type)]
	if !ok {
		return d
	}
	conf, ok := ad.(adapters.Configurable)
	if !ok {
		return d
	}
	plain, err := a.h.svc.ChannelSettings(ch)
	for k := range ch.Secrets {
		d.Config[k] = "••••"
		if err == nil {
			d.Config[k] = maskSecret(plain[k])
		}
	}
	for _, f := range conf.Fields() {
		d.Fields = append(d.Fields, api.ChannelField{Key: f.Key, Label: f.Label, Required: f.Required, Secret: f.Secret, Generated: f.Generated})
	}
	d.WebhookURLs = conf.WebhookURLs(adapters.Channel{ID: ch.ID, WorkspaceID: ch.WorkspaceID, Type: string(ch.Type), Name: ch.Name})
	return d
}

// Changed lets the adapter react (register a webhook, start polling) in
// the background: a slow provider must not hold the admin's request.
func (a channelAdmin) Changed(_ context.Context, ch *inbox.Channel, removed bool) {
	w, ok := a.h.adapters[string(ch.Type)].(adapters.ChannelWatcher)
	if !ok {
		return
	}
	ac := adapters.Channel{ID: ch.ID, WorkspaceID: ch.WorkspaceID, Type: string(ch.Type), Name: ch.Name, Disabled: ch.Disabled}
	if !removed {
		var err error
		if ac, err = a.h.adapterChannel(ch); err != nil {
			a.h.log.Error("channel settings unreadable", "channel", ch.ID, "err", err)
			return
		}
	}
	a.h.goBackground(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := w.ChannelChanged(ctx, ac, removed); err != nil {
			a.h.log.Warn("channel change not applied by its adapter", "channel", ch.ID, "err", err)
		}
	})
}

// Health asks the provider, when the adapter can.
func (a channelAdmin) Health(ctx context.Context, ch *inbox.Channel) (any, error) {
	hc, ok := a.h.adapters[string(ch.Type)].(adapters.HealthChecker)
	if !ok {
		return adapters.Health{OK: !ch.Disabled, CheckedAt: time.Now().UTC()}, nil
	}
	ac, err := a.h.adapterChannel(ch)
	if err != nil {
		return nil, err
	}
	return hc.Health(ctx, ac)
}

// FetchMedia opens a provider-held attachment with the channel's credentials.
func (a channelAdmin) FetchMedia(ctx context.Context, ch *inbox.Channel, att inbox.Attachment) (io.ReadCloser, string, int64, error) {
	mf, ok := a.h.adapters[string(ch.Type)].(adapters.MediaFetcher)
	if !ok {
		return nil, "", 0, adapters.Errorf(404, "attachment_not_found", "this channel keeps no files")
	}
	ac, err := a.h.adapterChannel(ch)
	if err != nil {
		return nil, "", 0, err
	}
	m, err := mf.FetchMedia(ctx, ac, toAdapterAttachments([]inbox.Attachment{att})[0])
	if err != nil {
		return nil, "", 0, err
	}
	return m.Body, m.ContentType, m.Size, nil
}
