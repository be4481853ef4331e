package api

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"hub/inbox"
)

// Visitors are the people on the workspace's web sites right now (web
// chat widgets connected), which the hub learns from the web chat adapter.
type Visitors interface {
	// Live lists the visitors on the workspace's web chat channels.
	Live(ctx context.Context, workspaceID string) ([]Visitor, error)
	// Start opens a chat with a visitor: the agent's first message shows
	// in their widget (proactive chat).
	Start(ctx context.Context, actor inbox.Actor, channelID, visitorID, text string) (*inbox.Conversation, error)
}

// Visitor is one person on the site.
type Visitor struct {
	ID        string `json:"id"`
	ChannelID string `json:"channelId"`
	// Page is the URL they are on, Title its title.
	Page  string    `json:"page"`
	Title string    `json:"title"`
	Since time.Time `json:"since"`
	// OnPageSince is when they arrived on Page.
	OnPageSince time.Time `json:"onPageSince"`
	// ConversationID is their conversation, if they have one.
	ConversationID string `json:"conversationId,omitempty"`
}

func (a *API) liveVisitors(c *fiber.Ctx) error {
	if a.visitors == nil {
		return c.JSON(fiber.Map{"items": []Visitor{}})
	}
	list, err := a.visitors.Live(c.UserContext(), actor(c).WorkspaceID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []Visitor{}
	}
	return c.JSON(fiber.Map{"items": list})
}

type startChatRequest struct {
	ChannelID string `json:"channelId"`
	Text      string `json:"text"`
}

func (a *API) startChat(c *fiber.Ctx) error {
	var req startChatRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if a.visitors == nil {
		return notFound("visitor")
	}
	conv, err := a.visitors.Start(c.UserContext(), actor(c), req.ChannelID, c.Params("id"), req.Text)
	if err != nil {
		return orNotFound(err, "visitor")
	}
	return a.conversationJSON(c.Status(fiber.StatusCreated), conv)
}
