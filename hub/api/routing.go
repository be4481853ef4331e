package api

import (
	"github.com/gofiber/fiber/v2"

	"hub/inbox"
)

type statusRequest struct {
	Status inbox.AgentStatus `json:"status"`
}

// setMyStatus is an agent switching between available, away and offline;
// a RONA agent comes back with available.
func (a *API) setMyStatus(c *fiber.Ctx) error {
	var req statusRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	agent, err := a.svc.SetMyStatus(c.UserContext(), actor(c), req.Status)
	if err != nil {
		return err
	}
	return c.JSON(agentView(agent))
}

// queue lists a queue (the workspace's, or ?team=) in the order it is served.
func (a *API) queue(c *fiber.Ctx) error {
	act := actor(c)
	team := c.Query("team")
	if team != "" {
		if _, err := a.store.GetTeam(c.UserContext(), act.WorkspaceID, team); err != nil {
			return orNotFound(err, "team")
		}
	}
	convs, err := a.store.ListQueue(c.UserContext(), act.WorkspaceID, team, 200)
	if err != nil {
		return err
	}
	names := newChannelNames(a.store)
	items := make([]conversationView, 0, len(convs))
	for i := range convs {
		items = append(items, names.conversation(c.UserContext(), &convs[i]))
	}
	return c.JSON(fiber.Map{"items": items})
}

func (a *API) chatRooms(c *fiber.Ctx) error {
	rooms, err := a.svc.ChatRooms(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	if rooms == nil {
		rooms = []string{}
	}
	return c.JSON(fiber.Map{"items": rooms})
}

func (a *API) chatMessages(c *fiber.Ctx) error {
	msgs, err := a.svc.ListChat(c.UserContext(), actor(c), c.Params("room"), c.Query("after"))
	if err != nil {
		return orNotFound(err, "room")
	}
	if msgs == nil {
		msgs = []inbox.ChatMessage{}
	}
	return c.JSON(fiber.Map{"items": msgs})
}

type chatRequest struct {
	Text string `json:"text"`
}

func (a *API) postChat(c *fiber.Ctx) error {
	var req chatRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	m, err := a.svc.SendChat(c.UserContext(), actor(c), c.Params("room"), req.Text)
	if err != nil {
		return orNotFound(err, "room")
	}
	return c.Status(fiber.StatusCreated).JSON(m)
}
