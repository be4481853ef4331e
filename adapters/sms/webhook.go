package sms

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hub/adapters"
)

// emptyTwiML tells Twilio to send nothing itself.
const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`

// Routes registers the inbound and status webhooks on r.
func (a *Adapter) Routes(r fiber.Router) {
	r.Post("/hooks/sms/:channelId", a.handleInbound)
	r.Post("/hooks/sms/:channelId/status", a.handleStatus)
}

// webhook is an authenticated Twilio request.
type webhook struct {
	ch    adapters.Channel
	form  url.Values
	query url.Values
}

// authenticate resolves the channel, parses the form and checks the
// signature and the account. Nothing of the request is trusted before it
// returns without error.
func (a *Adapter) authenticate(c *fiber.Ctx) (webhook, error) {
	ch, err := adapters.LookupChannel(c.UserContext(), a.dir, strings.Clone(c.Params("channelId")), ChannelType)
	if err != nil {
		return webhook{}, err
	}
	s, err := parseSettings(ch.Config)
	if err != nil {
		// The hub validated the config when it was saved; a channel that
		// fails now cannot check signatures, so nothing gets in.
		a.log.Error("sms: channel configuration invalid", "channel", ch.ID, "err", err)
		return webhook{}, adapters.Errorf(http.StatusServiceUnavailable, "channel_misconfigured", "SMS channel configuration is invalid")
	}
	if !isFormContentType(c.Get(fiber.HeaderContentType)) {
		return webhook{}, errInvalidRequest("body must be application/x-www-form-urlencoded")
	}
	form, err := url.ParseQuery(string(c.Body()))
	if err != nil {
		return webhook{}, errInvalidRequest("body is not a valid form")
	}
	rawURL := strings.Clone(c.OriginalURL())
	base := a.cfg.PublicURL
	if base == "" {
		base = c.BaseURL()
	}
	sig := c.Get("X-Twilio-Signature")
	if !ValidSignature(s.authToken, base+rawURL, form, sig) {
		a.log.Info("sms: webhook refused, bad signature", "channel", ch.ID, "signed", sig != "")
		return webhook{}, adapters.Errorf(http.StatusForbidden, "signature_invalid", "X-Twilio-Signature is missing or invalid")
	}
	if !strings.EqualFold(form.Get("AccountSid"), s.accountSID) {
		a.log.Info("sms: webhook refused, account mismatch", "channel", ch.ID)
		return webhook{}, adapters.Errorf(http.StatusForbidden, "account_mismatch", "AccountSid is not this channel's account")
	}
	var query url.Values
	if _, q, ok := strings.Cut(rawURL, "?"); ok {
		query, _ = url.ParseQuery(q) // a bad query only loses its own fields
	}
	return webhook{ch: ch, form: form, query: query}, nil
}

// isFormContentType accepts a form body, or none declared.
func isFormContentType(ct string) bool {
	if strings.TrimSpace(ct) == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

func errInvalidRequest(msg string) error {
	return adapters.Errorf(http.StatusBadRequest, "invalid_request", "%s", msg)
}

// replyEmpty answers 200 with an empty TwiML response.
func replyEmpty(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/xml")
	return c.Status(http.StatusOK).SendString(emptyTwiML)
}

// sinkError turns a sink failure into the webhook's answer: an
// *adapters.HTTPError as it is, anything else 500 so that Twilio retries.
func (a *Adapter) sinkError(ch adapters.Channel, what string, err error) error {
	var he *adapters.HTTPError
	if errors.As(err, &he) {
		return he
	}
	a.log.Warn("sms: "+what+" failed, Twilio will retry", "channel", ch.ID, "err", err)
	return adapters.Errorf(http.StatusInternalServerError, "internal_error", "could not store the webhook, retry later")
}
