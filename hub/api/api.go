// Package api is the hub's REST and WebSocket surface (DESIGN.md §5):
// authentication, the conversation routes, admin routes, health checks and
// the agents' live feed. Handlers return errors; ErrorHandler turns every
// one of them into {"error": {"code", "message"}} with the right status,
// using the catalogue in errors.go and the domain's typed errors.
//
// Every route under /api (but login) and /ws/agent requires a session: a
// bearer token or the HttpOnly session cookie set at login. Every query is
// scoped to the caller's workspace, so another workspace's ids read as
// not found.
package api

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"hub/inbox"
)

// Feed is the live stream of changes the agents' WebSocket relays. The
// hub's event bus implements it.
type Feed interface {
	// Subscribe returns changes of one workspace until cancel is called.
	Subscribe(workspaceID string) (changes <-chan inbox.Change, cancel func())
}

// Options configure the API.
type Options struct {
	Service    *inbox.Service
	Feed       Feed
	Logger     *slog.Logger
	SessionTTL time.Duration
	// Ready reports whether the store is reachable (GET /readyz).
	Ready func() error
}

// API holds the handlers' dependencies.
type API struct {
	svc        *inbox.Service
	store      inbox.Store
	feed       Feed
	log        *slog.Logger
	sessionTTL time.Duration
	ready      func() error
}

// New returns the API.
func New(o Options) *API {
	if o.SessionTTL <= 0 {
		o.SessionTTL = 12 * time.Hour
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &API{svc: o.Service, store: o.Service.Store(), feed: o.Feed, log: o.Logger, sessionTTL: o.SessionTTL, ready: o.Ready}
}

func (a *API) now() time.Time { return a.svc.Now() }

// Routes registers every route on app.
func (a *API) Routes(app fiber.Router) {
	app.Get("/healthz", a.healthz)
	app.Get("/readyz", a.readyz)

	app.Post("/api/v1/auth/login", a.login)
	app.Post("/api/v1/auth/logout", a.logout)
	app.Get("/ws/agent", a.authenticate(true), a.agentSocket())

	v1 := app.Group("/api/v1", a.authenticate(false))
	v1.Get("/auth/me", a.me)

	v1.Get("/conversations", a.listConversations)
	v1.Get("/conversations/:id", a.getConversation)
	v1.Get("/conversations/:id/messages", a.listMessages)
	v1.Post("/conversations/:id/messages", a.postMessage)
	v1.Get("/conversations/:id/events", a.listEvents)
	for action, handler := range a.conversationActions() {
		v1.Post("/conversations/:id/"+action, handler)
	}

	v1.Get("/agents", a.listAgents)
	v1.Get("/teams", a.listTeams)
	admin := v1.Group("", requireAdmin)
	admin.Post("/agents", a.createAgent)
	admin.Patch("/agents/:id", a.updateAgent)
	admin.Post("/teams", a.createTeam)
	admin.Patch("/teams/:id", a.updateTeam)
	admin.Delete("/teams/:id", a.deleteTeam)
	admin.Get("/channels", a.listChannels)
	admin.Post("/channels", a.createChannel)
}

// NotFound is the app's last handler: unknown routes answer in the API's
// error shape.
func NotFound(c *fiber.Ctx) error { return errRouteNotFound }

func (a *API) healthz(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) }

func (a *API) readyz(c *fiber.Ctx) error {
	if a.ready != nil {
		if err := a.ready(); err != nil {
			a.log.Warn("store not ready", "err", err)
			return apiError(fiber.StatusServiceUnavailable, "store_unavailable", "the store is not reachable")
		}
	}
	return c.JSON(fiber.Map{"status": "ready"})
}
