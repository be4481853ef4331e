package api

import (
	"mime"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// openAttachment streams a message's attachment to an agent of the
// workspace. Provider-held media (Twilio MMS, Telegram files) are fetched
// with the channel's credentials, which never reach the browser; other
// attachments are plain links and redirect to their URL.
func (a *API) openAttachment(c *fiber.Ctx) error {
	ctx := c.UserContext()
	act := actor(c)
	conv, err := a.svc.GetConversation(ctx, act, c.Params("id"))
	if err != nil {
		return orNotFound(err, "conversation")
	}
	msg, err := a.store.GetMessage(ctx, act.WorkspaceID, c.Params("mid"))
	if err != nil || msg.ConversationID != conv.ID {
		return notFound("message")
	}
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil || n < 0 || n >= len(msg.Attachments) {
		return notFound("attachment")
	}
	att := msg.Attachments[n]
	if !att.Proxied {
		if !strings.HasPrefix(att.URL, "https://") && !strings.HasPrefix(att.URL, "http://") {
			return notFound("attachment")
		}
		return c.Redirect(att.URL, fiber.StatusFound)
	}
	ch, err := a.store.GetChannel(ctx, act.WorkspaceID, msg.ChannelID)
	if err != nil || ch.Deleted || a.channels == nil {
		return apiError(fiber.StatusGone, "channel_removed", "the channel that received this file was removed")
	}
	body, contentType, size, err := a.channels.FetchMedia(ctx, ch, att)
	if err != nil {
		return err
	}
	if contentType == "" {
		contentType = att.ContentType
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	// Customer files are shown, never run: no scripts even in an SVG.
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
	c.Set(fiber.HeaderCacheControl, "private, max-age=3600")
	if att.Name != "" {
		c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("inline", map[string]string{"filename": att.Name}))
	}
	return c.SendStream(body, int(size))
}
