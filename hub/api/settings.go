package api

import (
	"bytes"
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"hub/bot"
	"hub/inbox"
)

func (a *API) getSettings(c *fiber.Ctx) error {
	ws, err := a.svc.Workspace(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(settingsView(ws.Settings))
}

func settingsView(s inbox.WorkspaceSettings) inbox.WorkspaceSettings {
	if s.BusinessHours == nil {
		s.BusinessHours = []inbox.OpeningHours{}
	}
	if s.WrapUpTopics == nil {
		s.WrapUpTopics = []string{}
	}
	if s.SpamBlocklist == nil {
		s.SpamBlocklist = []string{}
	}
	return s
}

// patchSettings changes the settings named in the body; the others keep
// their value. Nothing is stored when any value is refused.
func (a *API) patchSettings(c *fiber.Ctx) error {
	act := actor(c)
	ws, err := a.svc.Workspace(c.UserContext(), act)
	if err != nil {
		return err
	}
	settings := ws.Settings
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&settings); err != nil {
		return invalidJSON(err)
	}
	if err := bot.ValidateOpeningHours(settings.BusinessHours); err != nil {
		return err
	}
	ws, err = a.svc.UpdateSettings(c.UserContext(), act, settings)
	if err != nil {
		return err
	}
	return c.JSON(settingsView(ws.Settings))
}

// listTopics gives agents the wrap-up topics for the close dialog.
func (a *API) listTopics(c *fiber.Ctx) error {
	ws, err := a.svc.Workspace(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": settingsView(ws.Settings).WrapUpTopics, "moods": inbox.Moods})
}

type topicsRequest struct {
	Items []string `json:"items"`
}

// putTopics replaces the wrap-up topic list (admins).
func (a *API) putTopics(c *fiber.Ctx) error {
	var req topicsRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	act := actor(c)
	ws, err := a.svc.Workspace(c.UserContext(), act)
	if err != nil {
		return err
	}
	settings := ws.Settings
	settings.WrapUpTopics = req.Items
	if ws, err = a.svc.UpdateSettings(c.UserContext(), act, settings); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": settingsView(ws.Settings).WrapUpTopics, "moods": inbox.Moods})
}
