package api

import (
	"context"
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"hub/bot"
	"hub/inbox"
)

// Moving bot rules between workspaces (a hotel's answers to its sister
// hotel) without a developer: the admin downloads
// GET /api/v1/bot/rules/export and uploads the file to
// POST /api/v1/bot/rules/import in the other workspace. The document's
// format and validation are the bot's (bot.ExportRules, bot.ParseRules).

// importWarning is something an import changed rather than refused.
type importWarning struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// codeTeamNotFound warns that a rule's team was dropped on import.
const codeTeamNotFound = "team_not_found"

// exportBotRules answers the workspace's rules as a bot rules document, as
// a file to download, listed in the order the bot tries them.
func (a *API) exportBotRules(c *fiber.Ctx) error {
	rules, err := a.svc.ListBotRules(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	data, err := bot.ExportRules(rules)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="bot-rules.json"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(data)
}

// importBotRules appends the rules of a bot rules document (the body) to
// the workspace and answers 201 {"items": [created rules], "warnings": [...]}.
//
// Every rule is checked before the first one is stored, so a refused
// document stores nothing: a 400 names the field with the rule's index
// ("rules[3].patterns[0]"). Rules get new ids and are created in the
// document's order, after the workspace's existing rules, so rules of equal
// priority keep their relative order.
//
// A teamId that is not a team of this workspace (every team id of another
// workspace: ids are never shared) is dropped with a warning
// {"field": "rules[i].teamId", "code": "team_not_found"}, and the rule hands
// off to the workspace queue instead. Refusing would make every export
// that mentions a team unimportable in another hotel, whose teams
// necessarily have other ids; the admin sets the team afterwards.
//
// Each rule is saved through the service like a rule created by hand,
// which drops the hub's compiled copy of the workspace's rules, so the bot
// uses the imported rules from the next message on. Should the store fail
// part way, the rules already created are deleted again (best effort: the
// store has no multi-document transactions).
func (a *API) importBotRules(c *fiber.Ctx) error {
	act := actor(c)
	ctx := c.UserContext()
	rules, err := bot.ParseRules(c.Body())
	if err != nil {
		var invalid *inbox.InvalidError
		if errors.As(err, &invalid) && invalid.Code == bot.CodeDocumentTooLarge {
			return errBodyTooLarge
		}
		return err
	}
	teams, err := a.store.ListTeams(ctx, act.WorkspaceID)
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(teams))
	for _, t := range teams {
		known[t.ID] = true
	}
	warnings := []importWarning{}
	for i := range rules {
		if id := rules[i].TeamID; id != "" && !known[id] {
			rules[i].TeamID = ""
			warnings = append(warnings, importWarning{
				Field: fmt.Sprintf("rules[%d].teamId", i), Code: codeTeamNotFound,
				Message: "not a team of this workspace: the rule hands off to the workspace queue; choose its team after the import",
			})
		}
	}
	created := make([]inbox.BotRule, 0, len(rules))
	for i, r := range rules {
		saved, err := a.svc.SaveBotRule(ctx, act, r)
		if err != nil {
			a.undoImport(ctx, act, created)
			var invalid *inbox.InvalidError
			if errors.As(err, &invalid) {
				// A team deleted meanwhile: name it in the document.
				return &Error{Status: fiber.StatusBadRequest, Code: invalid.Code, Message: invalid.Error(),
					Field: fmt.Sprintf("rules[%d].%s", i, invalid.Field)}
			}
			return err
		}
		created = append(created, *ruleView(saved))
	}
	if len(created) > 0 {
		a.log.Info("bot rules imported", "workspace", act.WorkspaceID, "agent", act.AgentID, "rules", len(created), "warnings", len(warnings))
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"items": created, "warnings": warnings})
}

// undoImport deletes the rules a failed import created. It runs even when
// the request was cancelled, since a half import is what it repairs.
func (a *API) undoImport(ctx context.Context, act inbox.Actor, created []inbox.BotRule) {
	ctx = context.WithoutCancel(ctx)
	for _, r := range created {
		if err := a.svc.DeleteBotRule(ctx, act, r.ID); err != nil {
			a.log.Error("bot rules import: could not delete a rule of the failed import", "workspace", act.WorkspaceID, "rule", r.ID, "err", err)
		}
	}
}
