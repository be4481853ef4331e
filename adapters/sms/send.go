package sms

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"hub/adapters"
)

// maxMediaURLs is how many media Twilio takes on one message.
const maxMediaURLs = 10

// Send sends out as one SMS (MMS when it carries media) through Twilio's
// Messages API. See the package documentation for how errors are
// classified. Twilio has no idempotency key: a send that timed out after
// Twilio accepted it may go out twice when the hub retries.
func (a *Adapter) Send(ctx context.Context, out adapters.Outbound) (adapters.SendResult, error) {
	if err := ctx.Err(); err != nil {
		return adapters.SendResult{}, err
	}
	s, err := parseSettings(out.Channel.Config)
	if err != nil {
		return adapters.SendResult{}, permanent(fmt.Errorf("sms: channel configuration: %w", err))
	}
	if out.ContactHandle == "" {
		return adapters.SendResult{}, permanent(errors.New("sms: no recipient number"))
	}
	buttons := out.Buttons
	if out.Kind == adapters.KindSurvey {
		// The question already asks for a number from 1 to 5.
		buttons = nil
	}
	body := composeBody(out.Text, buttons)
	if n := utf8.RuneCountInString(body); n > MaxTextLen {
		return adapters.SendResult{}, permanent(fmt.Errorf("sms: text is %d characters, at most %d fit in one SMS", n, MaxTextLen))
	}
	media := a.mediaURLs(out)
	if strings.TrimSpace(body) == "" && len(media) == 0 {
		return adapters.SendResult{}, permanent(errors.New("sms: nothing to send (no text and no public media)"))
	}

	params := &openapi.CreateMessageParams{}
	params.SetTo(out.ContactHandle)
	if s.serviceSID != "" {
		params.SetMessagingServiceSid(s.serviceSID)
	} else {
		params.SetFrom(s.from)
	}
	if body != "" {
		params.SetBody(body)
	}
	if len(media) > 0 {
		params.SetMediaUrl(media)
	}
	if cb := a.statusCallback(out); cb != "" {
		params.SetStatusCallback(cb)
	}

	msg, err := a.api(s).CreateMessage(params)
	if err != nil {
		err = classify(err, s.authToken)
		a.log.Warn("sms: send failed", "channel", out.Channel.ID, "message", out.MessageID,
			"attempt", out.Attempt, "permanent", adapters.IsPermanent(err), "err", err)
		return adapters.SendResult{}, err
	}
	var sid string
	if msg != nil && msg.Sid != nil {
		sid = *msg.Sid
	}
	if sid == "" {
		a.log.Warn("sms: Twilio accepted a message without returning its sid", "channel", out.Channel.ID, "message", out.MessageID)
	}
	a.log.Debug("sms: sent", "channel", out.Channel.ID, "message", out.MessageID, "sid", sid, "media", len(media))
	return adapters.SendResult{ExternalID: sid}, nil
}

func permanent(err error) error { return &adapters.PermanentError{Err: err} }

// composeBody appends the buttons, which SMS cannot show, as a numbered
// list the customer can answer with.
func composeBody(text string, buttons []string) string {
	var list []string
	for _, b := range buttons {
		if b = strings.TrimSpace(b); b != "" {
			list = append(list, strconv.Itoa(len(list)+1)+". "+b)
		}
	}
	if len(list) == 0 {
		return text
	}
	if strings.TrimSpace(text) == "" {
		return strings.Join(list, "\n")
	}
	return text + "\n\n" + strings.Join(list, "\n")
}

// mediaURLs are the attachments Twilio can fetch itself: absolute public
// http(s) URLs. Proxied ones need the hub's credentials and are left out.
func (a *Adapter) mediaURLs(out adapters.Outbound) []string {
	var urls []string
	skipped := 0
	for _, att := range out.Attachments {
		if att.Proxied || !isPublicURL(att.URL) {
			skipped++
			continue
		}
		urls = append(urls, att.URL)
	}
	if len(urls) > maxMediaURLs {
		skipped += len(urls) - maxMediaURLs
		urls = urls[:maxMediaURLs]
	}
	if skipped > 0 {
		a.log.Info("sms: attachments left out of the MMS", "channel", out.Channel.ID, "message", out.MessageID, "skipped", skipped)
	}
	return urls
}

func isPublicURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// statusCallback is where Twilio reports on the message, carrying the
// hub's message id; "" without a public URL (Twilio could not call it).
func (a *Adapter) statusCallback(out adapters.Outbound) string {
	if a.cfg.PublicURL == "" {
		return ""
	}
	cb := a.WebhookURLs(out.Channel)["status"]
	if out.MessageID != "" {
		cb += "?message=" + url.QueryEscape(out.MessageID)
	}
	return cb
}
