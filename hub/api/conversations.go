package api

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"hub/inbox"
)

func (a *API) listConversations(c *fiber.Ctx) error {
	statuses, err := inbox.ParseStatusFilter(c.Query("status"))
	if err != nil {
		return err
	}
	f := inbox.ConversationFilter{
		Statuses:   statuses,
		AssigneeID: c.Query("assignee"),
		TeamID:     c.Query("team"),
		Query:      c.Query("q"),
		Cursor:     c.Query("cursor"),
	}
	if f.Cursor != "" {
		if _, err := inbox.DecodeCursor(f.Cursor); err != nil {
			return err
		}
	}
	ctx := c.UserContext()
	items, next, err := a.svc.ListConversations(ctx, actor(c), f)
	if err != nil {
		return err
	}
	names := newChannelNames(a.store)
	views := make([]conversationView, 0, len(items))
	for i := range items {
		views = append(views, names.conversation(ctx, &items[i]))
	}
	return c.JSON(fiber.Map{"items": views, "next": next})
}

func (a *API) conversationJSON(c *fiber.Ctx, conv *inbox.Conversation) error {
	return c.JSON(newChannelNames(a.store).conversation(c.UserContext(), conv))
}

func (a *API) getConversation(c *fiber.Ctx) error {
	conv, err := a.svc.GetConversation(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return orNotFound(err, "conversation")
	}
	return a.conversationJSON(c, conv)
}

func (a *API) listMessages(c *fiber.Ctx) error {
	msgs, err := a.svc.ListMessages(c.UserContext(), actor(c), c.Params("id"), c.Query("after"))
	if err != nil {
		return orNotFound(err, "conversation")
	}
	views := make([]messageView, 0, len(msgs))
	for i := range msgs {
		views = append(views, messageJSON(&msgs[i]))
	}
	return c.JSON(fiber.Map{"items": views})
}

func (a *API) listEvents(c *fiber.Ctx) error {
	events, err := a.svc.ListEvents(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return orNotFound(err, "conversation")
	}
	if events == nil {
		events = []inbox.Event{}
	}
	return c.JSON(fiber.Map{"items": events})
}

type postMessageRequest struct {
	Text        string          `json:"text"`
	Private     bool            `json:"private"`
	Attachments []attachmentRef `json:"attachments"`
}

func (a *API) postMessage(c *fiber.Ctx) error {
	var req postMessageRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	act := actor(c)
	atts, err := a.resolveAttachments(c.UserContext(), act.WorkspaceID, req.Attachments)
	if err != nil {
		return err
	}
	msg, _, err := a.svc.Reply(c.UserContext(), act, c.Params("id"), inbox.ReplyInput{Text: req.Text, Private: req.Private, Attachments: atts})
	if err != nil {
		return orNotFound(err, "conversation")
	}
	return c.Status(fiber.StatusCreated).JSON(messageJSON(msg))
}

type assignRequest struct {
	AgentID string `json:"agentId"`
}

type transferRequest struct {
	AgentID string `json:"agentId"`
	TeamID  string `json:"teamId"`
}

type snoozeRequest struct {
	Until      *time.Time `json:"until"`
	UntilReply bool       `json:"untilReply"`
	// Preset: 1h, tonight, tomorrow, next_week (workspace time zone).
	Preset string `json:"preset"`
}

type closeRequest struct {
	Topic  string `json:"topic"`
	Mood   string `json:"mood"`
	Unsure bool   `json:"unsure"`
	// Survey defaults to true: a close sends the satisfaction survey
	// unless the agent turns it off.
	Survey *bool `json:"survey"`
}

type noBody struct{}

type action func(c *fiber.Ctx, who inbox.Actor, id string) (*inbox.Conversation, error)

// withoutBody adapts a service call that takes no input; the body must
// then be empty or {}.
func withoutBody(call func(context.Context, inbox.Actor, string) (*inbox.Conversation, error)) action {
	return func(c *fiber.Ctx, who inbox.Actor, id string) (*inbox.Conversation, error) {
		if err := decode(c, &noBody{}); err != nil {
			return nil, err
		}
		return call(c.UserContext(), who, id)
	}
}

// conversationActions maps each POST /conversations/{id}/{action} to the
// service call it makes. Every action answers with the updated conversation.
func (a *API) conversationActions() map[string]fiber.Handler {
	actions := map[string]action{
		"assign": func(c *fiber.Ctx, who inbox.Actor, id string) (*inbox.Conversation, error) {
			var req assignRequest
			if err := decode(c, &req); err != nil {
				return nil, err
			}
			return a.svc.Assign(c.UserContext(), who, id, req.AgentID)
		},
		"release": withoutBody(a.svc.Release),
		"transfer": func(c *fiber.Ctx, who inbox.Actor, id string) (*inbox.Conversation, error) {
			var req transferRequest
			if err := decode(c, &req); err != nil {
				return nil, err
			}
			return a.svc.Transfer(c.UserContext(), who, id, inbox.TransferInput{AgentID: req.AgentID, TeamID: req.TeamID})
		},
		"invite": func(c *fiber.Ctx, who inbox.Actor, id string) (*inbox.Conversation, error) {
			var req assignRequest
			if err := decode(c, &req); err != nil {
				return nil, err
			}
			if req.AgentID == "" {
				return nil, inbox.Invalid("agentId", "agentId is required")
			}
			return a.svc.Invite(c.UserContext(), who, id, req.AgentID)
		},
		"leave": withoutBody(a.svc.Leave),
		"snooze": func(c *fiber.Ctx, who inbox.Actor, id string) (*inbox.Conversation, error) {
			var req snoozeRequest
			if err := decode(c, &req); err != nil {
				return nil, err
			}
			return a.svc.Snooze(c.UserContext(), who, id, inbox.SnoozeInput{Until: req.Until, UntilReply: req.UntilReply, Preset: req.Preset})
		},
		"close": func(c *fiber.Ctx, who inbox.Actor, id string) (*inbox.Conversation, error) {
			var req closeRequest
			if err := decode(c, &req); err != nil {
				return nil, err
			}
			survey := req.Survey == nil || *req.Survey
			return a.svc.Close(c.UserContext(), who, id, inbox.CloseInput{Topic: req.Topic, Mood: req.Mood, Unsure: req.Unsure, Survey: survey})
		},
		"accept":         withoutBody(a.accept),
		"decline":        withoutBody(a.decline),
		"end-conference": withoutBody(a.svc.EndConference),
		"reopen":         withoutBody(a.svc.Reopen),
		"spam":           withoutBody(a.svc.MarkSpam),
		"not-spam":       withoutBody(a.svc.NotSpam),
	}
	handlers := make(map[string]fiber.Handler, len(actions))
	for name, act := range actions {
		handlers[name] = func(c *fiber.Ctx) error {
			conv, err := act(c, actor(c), c.Params("id"))
			if err != nil {
				return orNotFound(err, "conversation")
			}
			return a.conversationJSON(c, conv)
		}
	}
	return handlers
}

// accept takes an offer made to the actor (routing or a transfer), or else
// joins a conference the actor was invited to.
func (a *API) accept(ctx context.Context, who inbox.Actor, id string) (*inbox.Conversation, error) {
	conv, err := a.svc.GetConversation(ctx, who, id)
	if err != nil {
		return nil, err
	}
	if conv.Offer == nil || conv.Offer.AgentID != who.AgentID {
		for _, inv := range conv.Invites {
			if inv.AgentID == who.AgentID {
				return a.svc.AcceptInvite(ctx, who, id)
			}
		}
	}
	return a.svc.AcceptOffer(ctx, who, id)
}

// decline turns down an offer made to the actor.
func (a *API) decline(ctx context.Context, who inbox.Actor, id string) (*inbox.Conversation, error) {
	return a.svc.DeclineOffer(ctx, who, id)
}
