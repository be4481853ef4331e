// Package hub wires the product together: it receives customer messages
// from the adapters (Deliver), stores them through the inbox service, lets
// the bot answer, sends replies through the outbox, fans changes out to
// agents over the event bus, runs the scheduled jobs and assembles the one
// HTTP server (API, webhooks, widget, UI).
//
// Decisions:
//   - The bot runs inside Deliver, after the customer message is stored, so
//     the bot's answer is queued in the store before the webhook's 2xx.
//     Sending it is asynchronous (the outbox), and survives a restart.
//   - The outbox is the set of stored outbound messages whose delivery is
//     "queued"; the dispatcher claims them with a lease, paces them per
//     channel and per chat, and retries with backoff (outbox.go).
//   - Channel secrets (provider tokens, HMAC keys) are sealed with
//     AES-256-GCM under a key derived from the server key before they
//     reach the store, and only ever shown masked (sealer.go, channels.go).
package hub

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"hub/adapters"
	"hub/bot"
	"hub/config"
	"hub/hub/api"
	"hub/inbox"
)

// Options are what New needs.
type Options struct {
	Config config.Config
	Store  inbox.Store
	Logger *slog.Logger
	// Clock defaults to the system clock.
	Clock inbox.Clock
	// SecretKey is the server key channel secrets are encrypted with (see
	// LoadSecret). Empty: a random key, good for one process only (tests).
	SecretKey []byte
}

// Hub is the running product.
type Hub struct {
	cfg      config.Config
	log      *slog.Logger
	store    inbox.Store
	svc      *inbox.Service
	bus      *Bus
	metrics  Metrics
	api      *api.API
	outbox   *Outbox
	adapters map[string]adapters.Adapter
	rules    ruleCache
	router   *router
	runners  []adapters.Runner
	appOnce  sync.Once
	app      *fiber.App
	wg       sync.WaitGroup
}

// New builds a hub on a store. Adapters are added with Register before Run.
func New(o Options) *Hub {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = inbox.SystemClock{}
	}
	svc := inbox.NewService(o.Store, o.Clock, inbox.Limits{MaxTextChars: o.Config.MaxMessageChars})
	if len(o.SecretKey) == 0 {
		o.SecretKey = []byte(randomToken())
	}
	svc.UseSealer(newSealer(o.SecretKey))
	svc.UseSpamRules(inbox.SpamRules{
		Check: func(s inbox.WorkspaceSettings, text string, recent []time.Time, repeats int) (bool, string) {
			return bot.CheckSpam(bot.SpamInput{Text: text, Settings: s, RecentInbound: recent, RepeatCount: repeats})
		},
		RepeatKey: bot.RepeatKey,
	})
	h := &Hub{
		cfg:      o.Config,
		log:      o.Logger,
		store:    o.Store,
		svc:      svc,
		bus:      NewBus(),
		adapters: map[string]adapters.Adapter{},
	}
	svc.OnChange(h.bus.Publish)
	svc.OnRulesChanged(h.rules.drop)
	h.router = newRouter(h)
	svc.OnChange(h.router.notice)
	h.outbox = newOutbox(h)
	svc.OnChange(h.outbox.notice)
	h.api = api.New(api.Options{
		Service:    svc,
		Feed:       h.bus,
		Logger:     o.Logger,
		SessionTTL: o.Config.SessionTTL,
		Ready:      func() error { return o.Store.Ping(context.Background()) },
		Channels:   channelAdmin{h},
		Visitors:   liveVisitors{h},
		Uploads:    newBlobStore(filepath.Join(o.Config.DataDir, "uploads"), o.Clock),
		FileKey:    fileKey(o.SecretKey),
		PublicURL:  o.Config.PublicBaseURL(),
	})
	return h
}

// fileKey derives the key that signs uploads' public links from the
// server key, so the links share no key with anything else.
func fileKey(secret []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("hub/files/v1"))
	return m.Sum(nil)
}

// Service returns the inbox service (tests and the command line use it).
func (h *Hub) Service() *inbox.Service { return h.svc }

// Metrics returns the hub's counters.
func (h *Hub) Metrics() *Metrics { return &h.metrics }

// Bus returns the event bus.
func (h *Hub) Bus() *Bus { return h.bus }

// Outbox returns the outbound dispatcher.
func (h *Hub) Outbox() *Outbox { return h.outbox }

// Register adds a channel adapter. Its webhook routes and background work
// are picked up by App and Run.
func (h *Hub) Register(a adapters.Adapter) {
	h.adapters[a.Type()] = a
	if max := a.Capabilities().MaxTextLen; max > 0 {
		h.svc.LimitChannelText(inbox.ChannelType(a.Type()), max)
	}
	if r, ok := a.(adapters.Runner); ok {
		h.runners = append(h.runners, r)
	}
}
