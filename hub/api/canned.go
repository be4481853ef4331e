package api

import (
	"github.com/gofiber/fiber/v2"

	"hub/bot"
	"hub/inbox"
)

type cannedView struct {
	inbox.CannedAnswer
	// Filled is Text with the conversation's variables filled in, when the
	// list was asked for a conversation.
	Filled string `json:"filled,omitempty"`
}

// listCanned gives agents the canned answers; with ?conversationId= each
// comes with its variables filled for that conversation's customer.
func (a *API) listCanned(c *fiber.Ctx) error {
	act := actor(c)
	list, err := a.svc.ListCanned(c.UserContext(), act)
	if err != nil {
		return err
	}
	contactName, workspaceName := "", ""
	if id := c.Query("conversationId"); id != "" {
		conv, err := a.svc.GetConversation(c.UserContext(), act, id)
		if err != nil {
			return orNotFound(err, "conversation")
		}
		ws, err := a.svc.Workspace(c.UserContext(), act)
		if err != nil {
			return err
		}
		contactName, workspaceName = conv.ContactName, ws.Name
	}
	items := make([]cannedView, 0, len(list))
	for _, ca := range list {
		v := cannedView{CannedAnswer: ca}
		if c.Query("conversationId") != "" {
			v.Filled = bot.Fill(ca.Text, contactName, workspaceName)
		}
		items = append(items, v)
	}
	return c.JSON(fiber.Map{"items": items})
}

type cannedRequest struct {
	Shortcut *string `json:"shortcut"`
	Text     *string `json:"text"`
}

func (a *API) createCanned(c *fiber.Ctx) error {
	var req cannedRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	in := inbox.CannedAnswer{}
	if req.Shortcut != nil {
		in.Shortcut = *req.Shortcut
	}
	if req.Text != nil {
		in.Text = *req.Text
	}
	saved, err := a.svc.SaveCanned(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(saved)
}

func (a *API) updateCanned(c *fiber.Ctx) error {
	var req cannedRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	act := actor(c)
	list, err := a.svc.ListCanned(c.UserContext(), act)
	if err != nil {
		return err
	}
	for _, ca := range list {
		if ca.ID != c.Params("id") {
			continue
		}
		if req.Shortcut != nil {
			ca.Shortcut = *req.Shortcut
		}
		if req.Text != nil {
			ca.Text = *req.Text
		}
		saved, err := a.svc.SaveCanned(c.UserContext(), act, ca)
		if err != nil {
			return orNotFound(err, "canned_answer")
		}
		return c.JSON(saved)
	}
	return notFound("canned_answer")
}

func (a *API) deleteCanned(c *fiber.Ctx) error {
	if err := a.svc.DeleteCanned(c.UserContext(), actor(c), c.Params("id")); err != nil {
		return orNotFound(err, "canned_answer")
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// counts feeds the tabs' live counts.
func (a *API) counts(c *fiber.Ctx) error {
	n, err := a.svc.CountByStatus(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	out := fiber.Map{}
	all := 0
	for _, s := range []inbox.Status{inbox.StatusBot, inbox.StatusOpen, inbox.StatusPending, inbox.StatusClosed, inbox.StatusSpam} {
		out[string(s)] = n[s]
		all += n[s]
	}
	out["all"] = all
	return c.JSON(out)
}

func (a *API) getContact(c *fiber.Ctx) error {
	ct, err := a.svc.GetContact(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return orNotFound(err, "contact")
	}
	return c.JSON(ct)
}

type contactRequest struct {
	Name  *string `json:"name"`
	Email *string `json:"email"`
	Phone *string `json:"phone"`
	Notes *string `json:"notes"`
}

func (a *API) updateContact(c *fiber.Ctx) error {
	var req contactRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	ct, err := a.svc.UpdateContact(c.UserContext(), actor(c), c.Params("id"), inbox.ContactInput{Name: req.Name, Email: req.Email, Phone: req.Phone, Notes: req.Notes})
	if err != nil {
		return orNotFound(err, "contact")
	}
	return c.JSON(ct)
}
