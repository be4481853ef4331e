package api

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"hub/inbox"
)

func (a *API) listAgents(c *fiber.Ctx) error {
	agents, err := a.store.ListAgents(c.UserContext(), actor(c).WorkspaceID)
	if err != nil {
		return err
	}
	views := make([]agentJSON, 0, len(agents))
	for i := range agents {
		views = append(views, agentView(&agents[i]))
	}
	return c.JSON(fiber.Map{"items": views})
}

type agentRequest struct {
	Email    *string     `json:"email"`
	Name     *string     `json:"name"`
	Role     *inbox.Role `json:"role"`
	Disabled *bool       `json:"disabled"`
	Password *string     `json:"password"`
	MaxOpen  *int        `json:"maxOpen"`
}

func (r agentRequest) input() (inbox.AgentInput, error) {
	in := inbox.AgentInput{Email: r.Email, Name: r.Name, Role: r.Role, Disabled: r.Disabled, MaxOpen: r.MaxOpen}
	if r.Password != nil {
		hash, err := HashPassword(*r.Password)
		if err != nil {
			return in, err
		}
		in.PasswordHash = &hash
	}
	return in, nil
}

func emailTaken(err error) error {
	if errors.Is(err, inbox.ErrDuplicate) {
		return apiError(fiber.StatusConflict, "email_taken", "an agent with this email already exists")
	}
	return err
}

func (a *API) createAgent(c *fiber.Ctx) error {
	var req agentRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if req.Password == nil {
		return inbox.Invalid("password", "a password is required")
	}
	in, err := req.input()
	if err != nil {
		return err
	}
	agent, err := a.svc.CreateAgent(c.UserContext(), actor(c), in)
	if err != nil {
		return emailTaken(err)
	}
	return c.Status(fiber.StatusCreated).JSON(agentView(agent))
}

func (a *API) updateAgent(c *fiber.Ctx) error {
	var req agentRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	in, err := req.input()
	if err != nil {
		return err
	}
	agent, err := a.svc.UpdateAgent(c.UserContext(), actor(c), c.Params("id"), in)
	if err != nil {
		return orNotFound(emailTaken(err), "agent")
	}
	return c.JSON(agentView(agent))
}

func (a *API) listTeams(c *fiber.Ctx) error {
	teams, err := a.store.ListTeams(c.UserContext(), actor(c).WorkspaceID)
	if err != nil {
		return err
	}
	if teams == nil {
		teams = []inbox.Team{}
	}
	return c.JSON(fiber.Map{"items": teams})
}

type teamRequest struct {
	Name     *string   `json:"name"`
	AgentIDs *[]string `json:"agentIds"`
}

func (a *API) createTeam(c *fiber.Ctx) error {
	var req teamRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	team, err := a.svc.CreateTeam(c.UserContext(), actor(c), inbox.TeamInput{Name: req.Name, AgentIDs: req.AgentIDs})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(team)
}

func (a *API) updateTeam(c *fiber.Ctx) error {
	var req teamRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	team, err := a.svc.UpdateTeam(c.UserContext(), actor(c), c.Params("id"), inbox.TeamInput{Name: req.Name, AgentIDs: req.AgentIDs})
	if err != nil {
		return orNotFound(err, "team")
	}
	return c.JSON(team)
}

func (a *API) deleteTeam(c *fiber.Ctx) error {
	if err := a.svc.DeleteTeam(c.UserContext(), actor(c), c.Params("id")); err != nil {
		return orNotFound(err, "team")
	}
	return c.SendStatus(fiber.StatusNoContent)
}
