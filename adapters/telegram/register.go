package telegram

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// registration is a webhook as it was set with Telegram.
type registration struct {
	botKey string
	url    string
	secret string
}

// ensureWebhook sets the channel's webhook unless this very registration
// (token, API base, URL, secret) succeeded before. A failure is kept for
// Health and returned; the next sweep tries again.
func (a *Adapter) ensureWebhook(ctx context.Context, s settings) error {
	a.regMu.Lock()
	defer a.regMu.Unlock()
	want := registration{botKey: s.botKey(), url: a.webhookURL(s.channelID), secret: s.secret}
	a.mu.Lock()
	done := a.registered[s.channelID] == want
	a.mu.Unlock()
	if done {
		return nil
	}
	if s.secret == "" {
		err := errNoSecret
		a.noteRegistration(s.channelID, registration{}, err)
		return err
	}
	_, err := a.call(ctx, s, "setWebhook", tgbotapi.Params{
		"url":             want.url,
		"secret_token":    s.secret,
		"allowed_updates": allowedUpdatesJSON,
	})
	if err != nil {
		err = classify("setWebhook", err)
		a.noteRegistration(s.channelID, registration{}, err)
		a.log.Warn("telegram: webhook registration failed; retrying at the next sweep", "channel", s.channelID, "err", errText(err))
		return err
	}
	a.noteRegistration(s.channelID, want, nil)
	a.log.Info("telegram: webhook registered", "channel", s.channelID, "url", want.url)
	return nil
}

// noteRegistration records the outcome of a setWebhook.
func (a *Adapter) noteRegistration(channelID string, r registration, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err != nil {
		delete(a.registered, channelID)
		a.regErr[channelID] = failure{msg: errText(err), at: a.now().UTC()}
		return
	}
	a.registered[channelID] = r
	delete(a.regErr, channelID)
}

// forgetRegistration drops what is known of a channel's webhook (channel
// removed or disabled), so it is registered again if it comes back.
func (a *Adapter) forgetRegistration(channelID string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.registered, channelID)
	delete(a.regErr, channelID)
}
