package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"hub/adapters"
)

// allowedUpdates are the update kinds the adapter asks Telegram for.
var allowedUpdates = []string{"message", "callback_query"}

// allowedUpdatesJSON is allowedUpdates as a form parameter.
const allowedUpdatesJSON = `["message","callback_query"]`

// botEntry is a channel's cached BotAPI (getMe already done).
type botEntry struct {
	key string // settings.botKey()
	api *tgbotapi.BotAPI
}

// ctxClient is the tgbotapi.HTTPClient each call runs with: it attaches
// the caller's context (the library builds requests without one) and
// takes the token out of transport errors, which quote the URL.
type ctxClient struct {
	ctx    context.Context
	client *http.Client
	token  string
}

func (c ctxClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.client.Do(req.WithContext(c.ctx))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			cp := *ue
			cp.URL = redact(cp.URL, c.token)
			err = &cp
		}
		return nil, scrub(err, c.token)
	}
	return resp, nil
}

// bot returns the channel's BotAPI, bound to ctx. It builds (and caches)
// one when the channel has none yet or its token or API base changed;
// building calls getMe.
func (a *Adapter) bot(ctx context.Context, s settings) (*tgbotapi.BotAPI, error) {
	a.mu.Lock()
	e := a.bots[s.channelID]
	a.mu.Unlock()
	if e == nil || e.key != s.botKey() {
		// The endpoint is a format string with two %s: escape any % in the base.
		endpoint := strings.ReplaceAll(s.base, "%", "%%") + "/bot%s/%s"
		api, err := tgbotapi.NewBotAPIWithClient(s.token, endpoint, ctxClient{ctx, a.cfg.HTTPClient, s.token})
		if err != nil {
			return nil, scrub(err, s.token)
		}
		api.Client = a.cfg.HTTPClient // the cache must not keep this call's context
		e = &botEntry{key: s.botKey(), api: api}
		a.mu.Lock()
		a.bots[s.channelID] = e
		a.mu.Unlock()
	}
	bound := *e.api // shallow copy: same token and endpoint, own client
	bound.Client = ctxClient{ctx, a.cfg.HTTPClient, s.token}
	bound.Debug = false
	return &bound, nil
}

// forgetBot drops a channel's cached BotAPI.
func (a *Adapter) forgetBot(channelID string) {
	a.mu.Lock()
	delete(a.bots, channelID)
	a.mu.Unlock()
}

// call runs one Bot API method with form params under callTimeout (unless
// ctx is shorter) and returns its result. Errors are scrubbed.
func (a *Adapter) call(ctx context.Context, s settings, method string, params tgbotapi.Params) (json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	return a.callNoTimeout(ctx, s, method, params)
}

func (a *Adapter) callNoTimeout(ctx context.Context, s settings, method string, params tgbotapi.Params) (json.RawMessage, error) {
	bot, err := a.bot(ctx, s)
	if err != nil {
		return nil, err
	}
	resp, err := bot.MakeRequest(method, params)
	if err != nil {
		return nil, scrub(err, s.token)
	}
	return resp.Result, nil
}

// request sends a library config (a Chattable) and returns the result.
func (a *Adapter) request(ctx context.Context, s settings, c tgbotapi.Chattable) (json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	bot, err := a.bot(ctx, s)
	if err != nil {
		return nil, err
	}
	resp, err := bot.Request(c)
	if err != nil {
		return nil, scrub(err, s.token)
	}
	return resp.Result, nil
}

// redact replaces the token in s.
func redact(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "<token>")
}

// scrub returns err, or when its text contains the token a redactedError
// with the same meaning for errors.Is but no way back to the original.
// *tgbotapi.Error values carry Telegram's description only and are kept.
func scrub(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return &redactedError{msg: redact(err.Error(), token), cause: err}
}

type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }

// Is lets errors.Is(err, context.Canceled) and the like see through.
func (e *redactedError) Is(target error) bool { return errors.Is(e.cause, target) }

// apiError is the Telegram error in err, if any.
func apiError(err error) (*tgbotapi.Error, bool) {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		return te, true
	}
	return nil, false
}

// errTokenRefused is the message for 401/404: the token is wrong or revoked.
const errTokenRefused = "the bot token was refused"

// classify turns a Bot API failure into the hub's error kinds: 429 →
// RetryAfterError; 403 → permanent (blocked, kicked); 401/404 → permanent
// (bad token); other 4xx → permanent with Telegram's description;
// everything else (5xx, network) → plain, retried. Context errors pass.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("telegram: %s: %w", op, err)
	}
	te, ok := apiError(err)
	if !ok {
		return fmt.Errorf("telegram: %s: %w", op, err)
	}
	desc := te.Message
	if desc == "" {
		desc = "no description"
	}
	switch {
	case te.Code == http.StatusTooManyRequests:
		after := time.Duration(te.RetryAfter) * time.Second
		if after <= 0 {
			after = time.Second
		}
		return &adapters.RetryAfterError{After: after, Err: fmt.Errorf("telegram: %s: %s", op, desc)}
	case te.Code == http.StatusForbidden:
		return &adapters.PermanentError{Err: fmt.Errorf("telegram: the customer blocked the bot (%s)", desc)}
	case te.Code == http.StatusUnauthorized || te.Code == http.StatusNotFound:
		return &adapters.PermanentError{Err: fmt.Errorf("telegram: %s (%d %s)", errTokenRefused, te.Code, desc)}
	case te.Code >= 400 && te.Code < 500:
		return &adapters.PermanentError{Err: fmt.Errorf("telegram: %s: %s", op, desc)}
	default:
		return fmt.Errorf("telegram: %s: %d %s", op, te.Code, desc)
	}
}

// tokenRefused reports whether err is Telegram refusing the token.
func tokenRefused(err error) bool {
	te, ok := apiError(err)
	return ok && (te.Code == http.StatusUnauthorized || te.Code == http.StatusNotFound)
}

// errText is err's text for logs and Health: scrubbed already, short.
func errText(err error) string {
	msg := err.Error()
	if len(msg) > 300 {
		msg = cutUTF8(msg, 300) + "…"
	}
	return msg
}
