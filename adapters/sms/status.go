package sms

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"hub/adapters"
)

// handleStatus takes a delivery report for a message the hub sent.
func (a *Adapter) handleStatus(c *fiber.Ctx) error {
	w, err := a.authenticate(c)
	if err != nil {
		return err
	}
	sid := w.form.Get("MessageSid")
	status := strings.ToLower(strings.TrimSpace(w.form.Get("MessageStatus")))
	if sid == "" || status == "" {
		return errInvalidRequest("MessageSid and MessageStatus are required")
	}
	update, ok := deliveryUpdate(status, w.form.Get("ErrorCode"))
	if !ok {
		a.log.Debug("sms: status ignored", "channel", w.ch.ID, "sid", sid, "status", status)
		return replyEmpty(c)
	}
	update.ChannelID = w.ch.ID
	update.ExternalID = sid
	update.MessageID = w.query.Get("message")
	err = a.sink.UpdateDelivery(c.UserContext(), update)
	switch {
	case errors.Is(err, adapters.ErrMessageNotFound):
		a.log.Debug("sms: status for an unknown message", "channel", w.ch.ID, "sid", sid, "message", update.MessageID)
	case err != nil:
		return a.sinkError(w.ch, "delivery update", err)
	default:
		a.log.Debug("sms: delivery updated", "channel", w.ch.ID, "sid", sid, "message", update.MessageID, "status", update.Status)
	}
	return replyEmpty(c)
}

// deliveryUpdate maps Twilio's MessageStatus (lower case) to the hub's
// delivery states; false for intermediate states the hub does not track.
func deliveryUpdate(status, errorCode string) (adapters.DeliveryUpdate, bool) {
	switch status {
	case "sent", "delivered", "read":
		return adapters.DeliveryUpdate{Status: status}, true
	case "failed", "undelivered":
		return adapters.DeliveryUpdate{Status: "failed", Error: failureText(status, errorCode)}, true
	case "canceled":
		return adapters.DeliveryUpdate{Status: "failed", Error: "canceled"}, true
	default:
		// queued, accepted, scheduled, sending, receiving, received, and
		// whatever Twilio adds later.
		return adapters.DeliveryUpdate{}, false
	}
}

// failureText explains a failed delivery: "Twilio 30003: unreachable
// destination handset", "Twilio 12345" for codes not in the table.
func failureText(status, errorCode string) string {
	code, err := strconv.Atoi(strings.TrimSpace(errorCode))
	if err != nil || code <= 0 {
		return "Twilio: message " + status
	}
	return codeText(code, "")
}
