package webchat

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// sessionResponse is the answer to POST .../session.
type sessionResponse struct {
	VisitorToken string    `json:"visitorToken"`
	VisitorID    string    `json:"visitorId"`
	ExpiresAt    time.Time `json:"expiresAt"`
}

// cors lets the widget, which runs on the customer's own site, call the
// widget routes cross-origin. No cookies are involved (the visitor token is
// a bearer header), so any origin may call.
func (a *Adapter) cors(c *fiber.Ctx) error {
	c.Set("Access-Control-Allow-Origin", "*")
	c.Set("Vary", "Origin")
	if c.Method() == fiber.MethodOptions {
		c.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		c.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
		c.Set("Access-Control-Max-Age", "86400")
		return c.SendStatus(http.StatusNoContent)
	}
	return c.Next()
}

// handleSession issues or renews a visitor token.
func (a *Adapter) handleSession(c *fiber.Ctx) error {
	ch, err := a.channel(c.UserContext(), strings.Clone(c.Params("channelId")))
	if err != nil {
		return err
	}
	var body struct {
		VisitorToken string `json:"visitorToken"`
		Name         string `json:"name"`
	}
	if err := decodeJSON(c.Body(), &body, true); err != nil {
		return err
	}
	visitorID := ""
	if v, ok := a.verifyToken(body.VisitorToken, ch.ID); ok {
		visitorID = v.visitorID
	} else {
		if ok, wait := a.newSessions.allow(c.IP(), time.Now()); !ok {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait/time.Second)+1))
			return errRateLimited(wait)
		}
		visitorID = randomHex(16)
		a.log.Debug("webchat: new visitor", "channel", ch.ID, "visitor", visitorID)
	}
	expiresAt := a.now().Add(a.cfg.TokenTTL).Truncate(time.Second)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(sessionResponse{
		VisitorToken: a.issueToken(ch.ID, visitorID, expiresAt),
		VisitorID:    visitorID,
		ExpiresAt:    expiresAt,
	})
}

// authenticate resolves the channel in the path and the visitor from the
// bearer token: 404 channel_not_found, then 401 visitor_token_invalid.
func (a *Adapter) authenticate(c *fiber.Ctx) (string, visitor, error) {
	ch, err := a.channel(c.UserContext(), strings.Clone(c.Params("channelId")))
	if err != nil {
		return "", visitor{}, err
	}
	v, ok := a.verifyToken(bearerToken(c.Get(fiber.HeaderAuthorization)), ch.ID)
	if !ok {
		return "", visitor{}, errTokenInvalid()
	}
	return ch.ID, v, nil
}

// handlePostMessage stores a visitor's message: 201 when new, 200 when it
// is a retry of one already stored.
func (a *Adapter) handlePostMessage(c *fiber.Ctx) error {
	channelID, v, err := a.authenticate(c)
	if err != nil {
		return err
	}
	var in incoming
	if err := decodeJSON(c.Body(), &in, false); err != nil {
		return err
	}
	msg, dup, err := a.deliver(c.UserContext(), channelID, v.visitorID, in)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if dup {
		status = http.StatusOK
	} else {
		a.broadcast(channelID, v.visitorID, messageFrame(msg), nil)
	}
	return c.Status(status).JSON(msg)
}

// handleListMessages returns the visitor's history after ?after=.
func (a *Adapter) handleListMessages(c *fiber.Ctx) error {
	channelID, v, err := a.authenticate(c)
	if err != nil {
		return err
	}
	items, err := a.backend.History(c.UserContext(), channelID, v.visitorID, strings.Clone(c.Query("after")))
	if err != nil {
		return err
	}
	if items == nil {
		items = []Message{}
	}
	for i := range items {
		items[i] = normalizeMessage(items[i])
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"items": items})
}
