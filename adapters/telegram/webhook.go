package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/gofiber/fiber/v2"

	"hub/adapters"
)

// secretHeader carries the webhook's secret_token on every update.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// answerTimeout bounds answerCallbackQuery, which the webhook waits for.
const answerTimeout = 5 * time.Second

// Routes registers POST /hooks/telegram/:channelId.
func (a *Adapter) Routes(r fiber.Router) {
	r.Post("/hooks/telegram/:channelId", a.handleWebhook)
}

// handleWebhook takes one update from Telegram: 404 unknown channel, 403
// disabled channel or bad secret, 400 malformed JSON, 200 once stored (or
// ignored), 500 when the hub failed (Telegram retries).
func (a *Adapter) handleWebhook(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id := strings.Clone(c.Params("channelId"))
	ch, err := adapters.LookupChannel(ctx, a.dir, id, ChannelType)
	if err != nil {
		return err
	}
	if !secretMatches(c.Get(secretHeader), ch.Config[keyWebhookSecret]) {
		a.log.Debug("telegram: webhook secret missing or wrong", "channel", id)
		return adapters.Errorf(http.StatusForbidden, "secret_invalid", "secret token missing or wrong")
	}
	s, err := parseSettings(ch)
	if err != nil {
		a.log.Error("telegram: channel misconfigured", "channel", id, "err", err)
		return adapters.Errorf(http.StatusInternalServerError, "channel_misconfigured", "the channel's configuration is invalid")
	}
	var u update
	if err := json.Unmarshal(c.Body(), &u); err != nil || u.UpdateID <= 0 {
		return adapters.Errorf(http.StatusBadRequest, "invalid_json", "body is not a Telegram update")
	}
	if err := a.handle(ctx, s, &u); err != nil {
		var he *adapters.HTTPError
		if errors.As(err, &he) {
			return he
		}
		a.log.Warn("telegram: storing an update failed; Telegram will retry", "channel", id, "update", u.UpdateID, "err", err)
		return adapters.Errorf(http.StatusInternalServerError, "deliver_failed", "the update could not be stored")
	}
	a.mu.Lock()
	a.hookOK[id] = a.now()
	a.mu.Unlock()
	return c.SendStatus(http.StatusOK)
}

// secretMatches compares in constant time (over hashes, so the length
// does not leak either). An empty secret never matches.
func secretMatches(got, want string) bool {
	if want == "" || got == "" {
		return false
	}
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// handle hands one update to the hub, then answers a button press. Both
// the webhook and the poller use it. Ignored updates return nil.
func (a *Adapter) handle(ctx context.Context, s settings, u *update) error {
	in, callbackID, ok := a.inbound(s.channelID, u)
	if !ok {
		a.log.Debug("telegram: update ignored", "channel", s.channelID, "update", u.UpdateID)
		return nil
	}
	receipt, err := a.sink.Deliver(ctx, in)
	if err != nil {
		return err
	}
	a.log.Debug("telegram: update stored", "channel", s.channelID, "update", u.UpdateID,
		"message", receipt.MessageID, "duplicate", receipt.Duplicate)
	if callbackID != "" {
		a.answerCallback(ctx, s, callbackID)
	}
	return nil
}

// answerCallback stops the spinner on the button the customer pressed.
// Failures are logged only: the press is stored already.
func (a *Adapter) answerCallback(ctx context.Context, s settings, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), answerTimeout)
	defer cancel()
	if _, err := a.request(ctx, s, tgbotapi.NewCallback(id, "")); err != nil {
		a.log.Warn("telegram: answerCallbackQuery failed", "channel", s.channelID, "err", errText(err))
	}
}
