package partner

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"hub/adapters"
)

// EventTypeMessage is the only event type the hub stores.
const EventTypeMessage = "message"

const (
	maxIDChars          = 128
	maxNameChars        = 128
	maxContentTypeChars = 127
	maxFileNameChars    = 255
)

// inboundEvent is what a partner posts. Unknown fields are ignored.
type inboundEvent struct {
	EventID         string              `json:"eventId"`
	Type            string              `json:"type"`
	ConversationRef string              `json:"conversationRef"`
	Guest           inboundGuest        `json:"guest"`
	Text            string              `json:"text"`
	Attachments     []inboundAttachment `json:"attachments"`
	SentAt          string              `json:"sentAt"`
}

type inboundGuest struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type inboundAttachment struct {
	URL         string `json:"url"`
	ContentType string `json:"contentType"`
	Name        string `json:"name"`
	Size        int64  `json:"size"`
}

// inboundResponse is the 200 answer.
type inboundResponse struct {
	Status         string `json:"status"`
	MessageID      string `json:"messageId,omitempty"`
	ConversationID string `json:"conversationId,omitempty"`
	Duplicate      *bool  `json:"duplicate,omitempty"`
}

// handleInbound receives a guest message. Checks run in this order, and
// each refusal stores nothing: channel, body size, signature, JSON, type,
// fields. Only then is the message handed to the Sink.
func (a *Adapter) handleInbound(c *fiber.Ctx) error {
	ctx := c.UserContext()
	ch, err := a.channel(ctx, strings.Clone(c.Params("channelId")))
	if err != nil {
		return err
	}
	// The raw bytes as received: the signature covers them, and fiber's
	// c.Body() would decode a Content-Encoding first.
	body := c.Request().Body()
	if len(body) > a.cfg.MaxBodyBytes {
		return adapters.Errorf(http.StatusRequestEntityTooLarge, "body_too_large",
			"request body is %d bytes, at most %d allowed", len(body), a.cfg.MaxBodyBytes)
	}
	if err := Verify(channelSecrets(ch), c.Get(HeaderTimestamp), c.Get(HeaderSignature), body, a.now()); err != nil {
		a.log.Info("partner: webhook refused", "channel", ch.ID, "reason", err.Error())
		return signatureError(err)
	}

	var ev inboundEvent
	if err := json.Unmarshal(body, &ev); err != nil {
		return adapters.Errorf(http.StatusBadRequest, "invalid_json", "request body is not valid JSON of the documented shape")
	}
	switch ev.Type {
	case EventTypeMessage:
	case "":
		return adapters.Errorf(http.StatusBadRequest, "type_required", "type is required")
	default:
		a.log.Debug("partner: event ignored", "channel", ch.ID, "type", ev.Type, "event", ev.EventID)
		return c.JSON(inboundResponse{Status: "ignored"})
	}

	in, err := a.toInbound(ch.ID, ev)
	if err != nil {
		return err
	}
	receipt, err := a.sink.Deliver(ctx, in)
	if err != nil {
		var he *adapters.HTTPError
		if errors.As(err, &he) {
			a.log.Info("partner: message refused by the hub", "channel", ch.ID, "event", in.ExternalID, "status", he.Status, "code", he.Code)
			return err
		}
		a.log.Error("partner: storing message failed", "channel", ch.ID, "event", in.ExternalID, "err", err)
		return errInternal()
	}
	a.log.Debug("partner: message received", "channel", ch.ID, "event", in.ExternalID,
		"message", receipt.MessageID, "duplicate", receipt.Duplicate)
	dup := receipt.Duplicate
	return c.JSON(inboundResponse{
		Status:         "accepted",
		MessageID:      receipt.MessageID,
		ConversationID: receipt.ConversationID,
		Duplicate:      &dup,
	})
}

// signatureError maps Verify's sentinels to 401 answers.
func signatureError(err error) error {
	switch {
	case errors.Is(err, ErrMissingSignature):
		return adapters.Errorf(http.StatusUnauthorized, "signature_missing", "%s and %s headers are required", HeaderTimestamp, HeaderSignature)
	case errors.Is(err, ErrBadTimestamp):
		return adapters.Errorf(http.StatusUnauthorized, "timestamp_invalid", "%s must be unix seconds", HeaderTimestamp)
	case errors.Is(err, ErrStale):
		return adapters.Errorf(http.StatusUnauthorized, "timestamp_stale", "%s is more than 5 minutes from our clock; sign each attempt anew", HeaderTimestamp)
	default:
		return adapters.Errorf(http.StatusUnauthorized, "signature_invalid", "%s does not match the body", HeaderSignature)
	}
}

// toInbound validates ev and builds the envelope. Every failure is an
// *adapters.HTTPError whose message names the field.
func (a *Adapter) toInbound(channelID string, ev inboundEvent) (adapters.Inbound, error) {
	if err := checkID("eventId", "event_id", ev.EventID); err != nil {
		return adapters.Inbound{}, err
	}
	if err := checkID("guest.id", "guest_id", ev.Guest.ID); err != nil {
		return adapters.Inbound{}, err
	}
	name := strings.TrimSpace(ev.Guest.Name)
	if utf8.RuneCountInString(name) > maxNameChars {
		return adapters.Inbound{}, badRequest("guest_name_too_long", "guest.name is longer than %d characters", maxNameChars)
	}
	ref := strings.TrimSpace(ev.ConversationRef)
	if utf8.RuneCountInString(ref) > maxIDChars {
		return adapters.Inbound{}, badRequest("conversation_ref_too_long", "conversationRef is longer than %d characters", maxIDChars)
	}
	receivedAt, err := a.sentAt(ev.SentAt)
	if err != nil {
		return adapters.Inbound{}, err
	}
	text := strings.TrimSpace(ev.Text)
	if n := utf8.RuneCountInString(text); n > a.cfg.MaxTextChars {
		return adapters.Inbound{}, adapters.Errorf(http.StatusRequestEntityTooLarge, "text_too_long",
			"text is %d characters, at most %d allowed", n, a.cfg.MaxTextChars)
	}
	atts, err := a.attachments(ev.Attachments)
	if err != nil {
		return adapters.Inbound{}, err
	}
	if text == "" && len(atts) == 0 {
		return adapters.Inbound{}, badRequest("empty_message", "text or at least one attachment is required")
	}
	return adapters.Inbound{
		ChannelID:     channelID,
		ExternalID:    ev.EventID,
		ContactHandle: ev.Guest.ID,
		ContactName:   name,
		Text:          text,
		Attachments:   atts,
		ReceivedAt:    receivedAt,
		ThreadRef:     ref,
	}, nil
}

// checkID requires a non-blank id of at most 128 characters. Ids are opaque
// and kept exactly as sent.
func checkID(field, code, v string) error {
	if strings.TrimSpace(v) == "" {
		return badRequest(code+"_required", "%s is required", field)
	}
	if utf8.RuneCountInString(v) > maxIDChars {
		return badRequest(code+"_too_long", "%s is longer than %d characters", field, maxIDChars)
	}
	return nil
}

// sentAt parses the optional RFC 3339 time; empty means now, and a time
// ahead of our clock is clamped to now.
func (a *Adapter) sentAt(v string) (time.Time, error) {
	now := a.now()
	if v == "" {
		return now, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, badRequest("invalid_sent_at", "sentAt must be an RFC 3339 time such as 2026-11-21T10:00:00Z")
	}
	if t = t.UTC(); t.After(now) {
		return now, nil
	}
	return t, nil
}

// attachments validates the list: count, then each entry in order.
func (a *Adapter) attachments(in []inboundAttachment) ([]adapters.Attachment, error) {
	if len(in) == 0 {
		return nil, nil
	}
	if len(in) > a.cfg.MaxAttachments {
		return nil, badRequest("too_many_attachments", "attachments has %d entries, at most %d allowed", len(in), a.cfg.MaxAttachments)
	}
	out := make([]adapters.Attachment, len(in))
	for i, at := range in {
		u := strings.TrimSpace(at.URL)
		if len(u) > maxURLBytes || !isHTTPURL(u) {
			return nil, badRequest("invalid_attachment", "attachments[%d].url must be an absolute http or https URL of at most %d bytes", i, maxURLBytes)
		}
		ct, name := strings.TrimSpace(at.ContentType), strings.TrimSpace(at.Name)
		if utf8.RuneCountInString(ct) > maxContentTypeChars {
			return nil, badRequest("invalid_attachment", "attachments[%d].contentType is longer than %d characters", i, maxContentTypeChars)
		}
		if utf8.RuneCountInString(name) > maxFileNameChars {
			return nil, badRequest("invalid_attachment", "attachments[%d].name is longer than %d characters", i, maxFileNameChars)
		}
		if at.Size < 0 {
			return nil, badRequest("invalid_attachment", "attachments[%d].size must not be negative", i)
		}
		if at.Size > a.cfg.MaxAttachmentBytes {
			return nil, adapters.Errorf(http.StatusRequestEntityTooLarge, "attachment_too_large",
				"attachments[%d].size is %d bytes, at most %d allowed", i, at.Size, a.cfg.MaxAttachmentBytes)
		}
		out[i] = adapters.Attachment{URL: u, ContentType: ct, Name: name, Size: at.Size}
	}
	return out, nil
}

func badRequest(code, format string, args ...any) error {
	return adapters.Errorf(http.StatusBadRequest, code, format, args...)
}
