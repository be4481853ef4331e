package telegram

import (
	"context"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"hub/adapters"
)

// Health reports how a channel receives. Webhook mode asks Telegram
// (getWebhookInfo): OK when the webhook points here and its last delivery
// error, if any, is older than the last update this hub accepted. Polling
// mode reports the channel's poller: OK when its last getUpdates
// succeeded. Failing to ask Telegram is reported as a not-OK Health, not
// an error; an error is returned only when ctx ends.
func (a *Adapter) Health(ctx context.Context, ch adapters.Channel) (adapters.Health, error) {
	now := a.now().UTC()
	h := adapters.Health{Mode: a.mode(), CheckedAt: now}
	s, err := parseSettings(ch)
	if err != nil {
		h.LastError, h.LastErrorAt = err.Error(), &now
		return h, nil
	}
	if a.webhookMode {
		return a.webhookHealth(ctx, s, h)
	}
	return a.pollingHealth(s, h), nil
}

func (a *Adapter) webhookHealth(ctx context.Context, s settings, h adapters.Health) (adapters.Health, error) {
	info, err := a.webhookInfo(ctx, s)
	if err != nil {
		err = classify("getWebhookInfo", err)
		if ctx.Err() != nil {
			return h, err
		}
		now := h.CheckedAt
		h.LastError, h.LastErrorAt = errText(err), &now
		return h, nil
	}
	return a.webhookState(s, h, info), nil
}

// webhookInfo asks Telegram about the bot's webhook.
func (a *Adapter) webhookInfo(ctx context.Context, s settings) (tgbotapi.WebhookInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	bot, err := a.bot(ctx, s)
	if err != nil {
		return tgbotapi.WebhookInfo{}, err
	}
	info, err := bot.GetWebhookInfo()
	return info, scrub(err, s.token)
}

// webhookState judges Telegram's webhook info against what this hub knows.
func (a *Adapter) webhookState(s settings, h adapters.Health, info tgbotapi.WebhookInfo) adapters.Health {
	want := a.webhookURL(s.channelID)
	a.mu.Lock()
	lastOK := a.hookOK[s.channelID]
	regErr, hasRegErr := a.regErr[s.channelID]
	a.mu.Unlock()

	url := info.URL
	h.WebhookURL, h.Pending = url, info.PendingUpdateCount
	recovered := true
	if info.LastErrorDate != 0 {
		at := time.Unix(int64(info.LastErrorDate), 0).UTC()
		h.LastError, h.LastErrorAt = info.LastErrorMessage, &at
		recovered = lastOK.After(at)
	}
	h.OK = url == want && recovered
	if url != want {
		switch {
		case hasRegErr:
			at := regErr.at
			h.LastError, h.LastErrorAt = "webhook registration failed: "+regErr.msg, &at
		case url == "":
			h.LastError = "no webhook is set with Telegram yet"
		default:
			h.LastError = "the bot's webhook points to another address: " + url
		}
	}
	return h
}

func (a *Adapter) pollingHealth(s settings, h adapters.Health) adapters.Health {
	a.mu.Lock()
	p := a.pollers[s.channelID]
	a.mu.Unlock()
	if p == nil {
		h.LastError = "not polling: the channel is disabled or the hub is not running"
		return h
	}
	ok, f := p.state()
	h.OK = ok
	if f.msg != "" {
		at := f.at
		h.LastError, h.LastErrorAt = f.msg, &at
	}
	return h
}
