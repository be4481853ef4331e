package api

import (
	"context"
	"io"
	"time"

	"github.com/gofiber/fiber/v2"

	"hub/inbox"
)

// Channels is the channel administration only the hub can do, because it
// knows the adapters: which settings a type has, which are secret, how to
// check them, the webhook URLs, the provider's view of a channel's health
// and how to open provider-held media.
type Channels interface {
	// Prepare checks settings for a channel of type t. On update, old is
	// the stored channel and cfg a patch: a key left out keeps its value,
	// a null clears it. It returns the non-secret config and the secrets
	// (plain) to store; errors are *inbox.InvalidError naming the key.
	Prepare(t inbox.ChannelType, old *inbox.Channel, cfg map[string]*string) (config, secrets map[string]string, err error)
	// Describe is what an admin sees of a channel's settings.
	Describe(ch *inbox.Channel) ChannelDetails
	// Changed tells the channel's adapter, which may register a webhook
	// or start polling. Errors are logged by the hub and shown by Health.
	Changed(ctx context.Context, ch *inbox.Channel, removed bool)
	// Health asks the provider how the channel is doing.
	Health(ctx context.Context, ch *inbox.Channel) (any, error)
	// FetchMedia opens a provider-held (Proxied) attachment.
	FetchMedia(ctx context.Context, ch *inbox.Channel, a inbox.Attachment) (body io.ReadCloser, contentType string, size int64, err error)
}

// ChannelField describes one setting of a channel type.
type ChannelField struct {
	Key       string `json:"key"`
	Label     string `json:"label"`
	Required  bool   `json:"required"`
	Secret    bool   `json:"secret"`
	Generated bool   `json:"generated"`
}

// ChannelDetails are the admin's view of a channel's settings.
type ChannelDetails struct {
	// Config holds every setting; secrets masked ("••••abcd").
	Config      map[string]string `json:"config"`
	WebhookURLs map[string]string `json:"webhookUrls"`
	Fields      []ChannelField    `json:"fields"`
}

type channelJSON struct {
	ID         string            `json:"id"`
	Type       inbox.ChannelType `json:"type"`
	Name       string            `json:"name"`
	BotEnabled bool              `json:"botEnabled"`
	Disabled   bool              `json:"disabled"`
	CreatedAt  time.Time         `json:"createdAt"`
	ChannelDetails
}

func (a *API) channelView(ch *inbox.Channel) channelJSON {
	v := channelJSON{ID: ch.ID, Type: ch.Type, Name: ch.Name, BotEnabled: ch.BotEnabled, Disabled: ch.Disabled, CreatedAt: ch.CreatedAt}
	if a.channels != nil {
		v.ChannelDetails = a.channels.Describe(ch)
	}
	if v.Config == nil {
		v.Config = map[string]string{}
	}
	if v.WebhookURLs == nil {
		v.WebhookURLs = map[string]string{}
	}
	if v.Fields == nil {
		v.Fields = []ChannelField{}
	}
	return v
}

func (a *API) listChannels(c *fiber.Ctx) error {
	channels, err := a.store.ListChannels(c.UserContext(), actor(c).WorkspaceID)
	if err != nil {
		return err
	}
	views := make([]channelJSON, 0, len(channels))
	for i := range channels {
		if !channels[i].Deleted {
			views = append(views, a.channelView(&channels[i]))
		}
	}
	return c.JSON(fiber.Map{"items": views})
}

func (a *API) channel(c *fiber.Ctx) (*inbox.Channel, error) {
	ch, err := a.svc.GetChannel(c.UserContext(), actor(c).WorkspaceID, c.Params("id"))
	return ch, orNotFound(err, "channel")
}

func (a *API) getChannel(c *fiber.Ctx) error {
	ch, err := a.channel(c)
	if err != nil {
		return err
	}
	return c.JSON(a.channelView(ch))
}

type createChannelRequest struct {
	Type       inbox.ChannelType  `json:"type"`
	Name       string             `json:"name"`
	BotEnabled *bool              `json:"botEnabled"`
	Disabled   bool               `json:"disabled"`
	Config     map[string]*string `json:"config"`
}

func (a *API) prepare(t inbox.ChannelType, old *inbox.Channel, cfg map[string]*string) (map[string]string, map[string]string, error) {
	if a.channels == nil {
		return nil, nil, inbox.InvalidCode("unsupported_channel_type", "type", "channels cannot be configured on this hub")
	}
	return a.channels.Prepare(t, old, cfg)
}

// createChannel connects a channel. The answer shows the webhook URLs to
// paste into the provider's console; secrets come back masked.
func (a *API) createChannel(c *fiber.Ctx) error {
	var req createChannelRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if !req.Type.Valid() {
		return inbox.Invalid("type", "type must be webchat, sms, telegram or partner")
	}
	cfg, secrets, err := a.prepare(req.Type, nil, req.Config)
	if err != nil {
		return err
	}
	ch, err := a.svc.CreateChannel(c.UserContext(), actor(c).WorkspaceID, inbox.ChannelInput{
		Type: req.Type, Name: req.Name, BotEnabled: req.BotEnabled == nil || *req.BotEnabled,
		Disabled: req.Disabled, Config: cfg, Secrets: secrets,
	})
	if err != nil {
		return err
	}
	a.channels.Changed(c.UserContext(), ch, false)
	return c.Status(fiber.StatusCreated).JSON(a.channelView(ch))
}

type updateChannelRequest struct {
	Name       *string            `json:"name"`
	BotEnabled *bool              `json:"botEnabled"`
	Disabled   *bool              `json:"disabled"`
	Config     map[string]*string `json:"config"`
}

// updateChannel changes some of a channel's settings; disabling one is
// {"disabled": true}. Nothing is stored when any value is refused.
func (a *API) updateChannel(c *fiber.Ctx) error {
	var req updateChannelRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	ch, err := a.channel(c)
	if err != nil {
		return err
	}
	cfg, secrets, err := a.prepare(ch.Type, ch, req.Config)
	if err != nil {
		return err
	}
	in := inbox.ChannelInput{Name: ch.Name, BotEnabled: ch.BotEnabled, Disabled: ch.Disabled, Config: cfg, Secrets: secrets}
	if req.Name != nil {
		in.Name = *req.Name
	}
	if req.BotEnabled != nil {
		in.BotEnabled = *req.BotEnabled
	}
	if req.Disabled != nil {
		in.Disabled = *req.Disabled
	}
	ch, err = a.svc.UpdateChannel(c.UserContext(), actor(c).WorkspaceID, ch.ID, in)
	if err != nil {
		return orNotFound(err, "channel")
	}
	a.channels.Changed(c.UserContext(), ch, false)
	return c.JSON(a.channelView(ch))
}

// deleteChannel removes a channel; its conversations keep their history.
func (a *API) deleteChannel(c *fiber.Ctx) error {
	ch, err := a.svc.DeleteChannel(c.UserContext(), actor(c).WorkspaceID, c.Params("id"))
	if err != nil {
		return orNotFound(err, "channel")
	}
	if a.channels != nil {
		a.channels.Changed(c.UserContext(), ch, true)
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// channelHealth asks the provider (Telegram's getWebhookInfo, the poller's
// last error). A provider that cannot be reached is a 502, not our 500.
func (a *API) channelHealth(c *fiber.Ctx) error {
	ch, err := a.channel(c)
	if err != nil {
		return err
	}
	if a.channels == nil {
		return c.JSON(fiber.Map{"ok": true, "checkedAt": a.now()})
	}
	h, err := a.channels.Health(c.UserContext(), ch)
	if err != nil {
		a.log.Warn("channel health check failed", "channel", ch.ID, "err", err)
		return apiError(fiber.StatusBadGateway, "provider_unreachable", "the provider did not answer: "+err.Error())
	}
	return c.JSON(h)
}
