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
//
// Agents attach files by uploading them first (POST /api/v1/uploads) and
// naming the upload ids in a reply. Each file gets a public link signed
// with the server key (GET /files/<workspaceId>/<id>/<hmac>) that the
// widget shows and providers fetch. The files live in the data directory
// of the instance that received them, on MongoDB too: run one instance or
// share the data directory between instances (GridFS is future work).
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
	// Channels is the hub's channel administration (nil: channels cannot
	// be created or changed, as in some tests).
	Channels Channels
	// Visitors are the live web chat visitors (nil: none).
	Visitors Visitors
	// Uploads store the files agents attach (nil: uploads refused).
	Uploads Uploads
	// FileKey signs the public links of uploads (GET /files/...).
	FileKey []byte
	// PublicURL is the absolute base URL of those links, without a
	// trailing slash.
	PublicURL string
}

// API holds the handlers' dependencies.
type API struct {
	svc        *inbox.Service
	store      inbox.Store
	feed       Feed
	log        *slog.Logger
	sessionTTL time.Duration
	ready      func() error
	channels   Channels
	presence   *presence
	visitors   Visitors
	throttle   *loginThrottle
	uploads    Uploads
	fileKey    []byte
	publicURL  string
	frames     frameCache
}

// New returns the API.
func New(o Options) *API {
	if o.SessionTTL <= 0 {
		o.SessionTTL = 12 * time.Hour
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &API{svc: o.Service, store: o.Service.Store(), feed: o.Feed, log: o.Logger, sessionTTL: o.SessionTTL, ready: o.Ready, channels: o.Channels,
		presence: newPresence(o.Service, o.Logger), visitors: o.Visitors, throttle: newLoginThrottle(),
		uploads: o.Uploads, fileKey: o.FileKey, publicURL: o.PublicURL}
}

func (a *API) now() time.Time { return a.svc.Now() }

// Routes registers every route on app. Authentication is attached per
// route, not to the /api/v1 prefix, because the web chat adapter's visitor
// routes live under the same prefix with their own tokens.
func (a *API) Routes(app fiber.Router) {
	app.Get("/healthz", a.healthz)
	app.Get("/readyz", a.readyz)

	app.Post("/api/v1/auth/login", a.login)
	app.Get("/files/:ws/:id/:sig", a.serveFile)
	app.Get("/ws/agent", a.authenticate(true), a.agentSocket())

	agent := a.authenticate(false)
	admin := []fiber.Handler{agent, requireAdmin}
	route := func(method, path string, handlers ...fiber.Handler) {
		app.Add(method, "/api/v1"+path, handlers...)
	}
	route("GET", "/auth/me", agent, a.me)
	route("POST", "/auth/logout", agent, a.logout)

	route("GET", "/conversations/counts", agent, a.counts)
	route("GET", "/conversations", agent, a.listConversations)
	route("GET", "/conversations/:id", agent, a.getConversation)
	route("GET", "/conversations/:id/messages", agent, a.listMessages)
	route("POST", "/conversations/:id/messages", agent, a.postMessage)
	route("GET", "/conversations/:id/events", agent, a.listEvents)
	for action, handler := range a.conversationActions() {
		route("POST", "/conversations/:id/"+action, agent, handler)
	}

	route("GET", "/agents", agent, a.listAgents)
	route("GET", "/teams", agent, a.listTeams)
	route("POST", "/agents", append(admin, a.createAgent)...)
	route("PATCH", "/agents/:id", append(admin, a.updateAgent)...)
	route("POST", "/teams", append(admin, a.createTeam)...)
	route("PATCH", "/teams/:id", append(admin, a.updateTeam)...)
	route("DELETE", "/teams/:id", append(admin, a.deleteTeam)...)
	route("GET", "/channels", append(admin, a.listChannels)...)
	route("POST", "/channels", append(admin, a.createChannel)...)
	route("GET", "/channels/:id", append(admin, a.getChannel)...)
	route("PATCH", "/channels/:id", append(admin, a.updateChannel)...)
	route("DELETE", "/channels/:id", append(admin, a.deleteChannel)...)
	route("GET", "/channels/:id/health", append(admin, a.channelHealth)...)
	for path, handler := range a.reportRoutes() {
		route("GET", path, append(admin, handler)...)
	}
	route("GET", "/conversations/:id/messages/:mid/attachments/:n", agent, a.openAttachment)
	route("POST", "/uploads", agent, a.upload)

	route("PATCH", "/agents/me/status", agent, a.setMyStatus)
	route("GET", "/canned", agent, a.listCanned)
	route("POST", "/canned", append(admin, a.createCanned)...)
	route("PATCH", "/canned/:id", append(admin, a.updateCanned)...)
	route("DELETE", "/canned/:id", append(admin, a.deleteCanned)...)
	route("GET", "/contacts/:id", agent, a.getContact)
	route("PATCH", "/contacts/:id", agent, a.updateContact)
	route("GET", "/visitors", agent, a.liveVisitors)
	route("POST", "/visitors/:id/chat", agent, a.startChat)
	route("GET", "/queue", agent, a.queue)
	route("GET", "/chat/rooms", agent, a.chatRooms)
	route("GET", "/chat/rooms/:room/messages", agent, a.chatMessages)
	route("POST", "/chat/rooms/:room/messages", agent, a.postChat)

	route("GET", "/bot/rules", append(admin, a.listBotRules)...)
	route("POST", "/bot/rules", append(admin, a.createBotRule)...)
	// Before the /:id routes, so "export" and "import" are never read as ids.
	route("GET", "/bot/rules/export", append(admin, a.exportBotRules)...)
	route("POST", "/bot/rules/import", append(admin, a.importBotRules)...)
	route("PATCH", "/bot/rules/:id", append(admin, a.updateBotRule)...)
	route("DELETE", "/bot/rules/:id", append(admin, a.deleteBotRule)...)
	route("POST", "/bot/dry-run", append(admin, a.dryRun)...)
	route("GET", "/settings", append(admin, a.getSettings)...)
	route("PATCH", "/settings", append(admin, a.patchSettings)...)
	route("GET", "/wrapup-topics", agent, a.listTopics)
	route("PUT", "/wrapup-topics", append(admin, a.putTopics)...)
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
