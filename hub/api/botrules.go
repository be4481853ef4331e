package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"hub/bot"
	"hub/inbox"
)

// botRuleRequest is a rule as admins write it. On PATCH, fields left out
// keep their value.
type botRuleRequest struct {
	Name     *string   `json:"name"`
	Keywords *[]string `json:"keywords"`
	Phrases  *[]string `json:"phrases"`
	Patterns *[]string `json:"patterns"`
	Language *string   `json:"language"`
	Answer   *string   `json:"answer"`
	Buttons  *[]string `json:"buttons"`
	Handoff  *bool     `json:"handoff"`
	TeamID   *string   `json:"teamId"`
	Priority *int      `json:"priority"`
	Enabled  *bool     `json:"enabled"`
}

func (r botRuleRequest) apply(rule *inbox.BotRule) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	list := func(dst *[]string, v *[]string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&rule.Name, r.Name)
	list(&rule.Keywords, r.Keywords)
	list(&rule.Phrases, r.Phrases)
	list(&rule.Patterns, r.Patterns)
	set(&rule.Language, r.Language)
	set(&rule.Answer, r.Answer)
	list(&rule.Buttons, r.Buttons)
	set(&rule.TeamID, r.TeamID)
	if r.Handoff != nil {
		rule.Handoff = *r.Handoff
	}
	if r.Priority != nil {
		rule.Priority = *r.Priority
	}
	if r.Enabled != nil {
		rule.Enabled = *r.Enabled
	}
}

func ruleView(r *inbox.BotRule) *inbox.BotRule {
	for _, l := range []*[]string{&r.Keywords, &r.Phrases, &r.Patterns, &r.Buttons} {
		if *l == nil {
			*l = []string{}
		}
	}
	return r
}

func (a *API) listBotRules(c *fiber.Ctx) error {
	rules, err := a.svc.ListBotRules(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	for i := range rules {
		ruleView(&rules[i])
	}
	if rules == nil {
		rules = []inbox.BotRule{}
	}
	return c.JSON(fiber.Map{"items": rules})
}

func (a *API) createBotRule(c *fiber.Ctx) error {
	var req botRuleRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	rule := inbox.BotRule{Enabled: true}
	req.apply(&rule)
	return a.saveBotRule(c, rule, fiber.StatusCreated)
}

func (a *API) updateBotRule(c *fiber.Ctx) error {
	var req botRuleRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	rule, err := a.svc.GetBotRule(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return orNotFound(err, "bot_rule")
	}
	req.apply(rule)
	return a.saveBotRule(c, *rule, fiber.StatusOK)
}

// saveBotRule checks a rule with the bot's own validation (a bad regular
// expression or a rule without a trigger is a 400 naming the field) and
// stores it.
func (a *API) saveBotRule(c *fiber.Ctx, rule inbox.BotRule, status int) error {
	if err := bot.ValidateRule(rule); err != nil {
		return err
	}
	saved, err := a.svc.SaveBotRule(c.UserContext(), actor(c), rule)
	if err != nil {
		return orNotFound(err, "bot_rule")
	}
	return c.Status(status).JSON(ruleView(saved))
}

func (a *API) deleteBotRule(c *fiber.Ctx) error {
	if err := a.svc.DeleteBotRule(c.UserContext(), actor(c), c.Params("id")); err != nil {
		return orNotFound(err, "bot_rule")
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type dryRunRequest struct {
	Text string `json:"text"`
	// First asks as if this were the conversation's first message.
	First bool `json:"first"`
	// LastButtons are the buttons of the bot's previous message, to try a
	// numbered choice.
	LastButtons []string `json:"lastButtons"`
	// At is the time to try (business hours); default now.
	At *time.Time `json:"at"`
}

// dryRun shows what the bot would do with a message, changing nothing.
func (a *API) dryRun(c *fiber.Ctx) error {
	var req dryRunRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	act := actor(c)
	if err := a.svc.ValidateText(req.Text, 0); err != nil {
		return err
	}
	ws, err := a.svc.Workspace(c.UserContext(), act)
	if err != nil {
		return err
	}
	rules, err := a.svc.ListBotRules(c.UserContext(), act)
	if err != nil {
		return err
	}
	now := a.now()
	if req.At != nil {
		now = *req.At
	}
	return c.JSON(bot.Explain(bot.Input{
		Conversation:  inbox.Conversation{Status: inbox.StatusBot, LastButtons: req.LastButtons},
		Message:       inbox.Message{Text: req.Text, Direction: inbox.DirectionIn},
		First:         req.First,
		Rules:         rules,
		Settings:      ws.Settings,
		ContactName:   act.Name,
		WorkspaceName: ws.Name,
		LastButtons:   req.LastButtons,
		Now:           now,
	}))
}
