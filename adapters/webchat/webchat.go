// Package webchat is the web chat channel: the widget a hotel or shop puts
// on its site with one <script> tag.
//
// # Visitors and tokens
//
// A visitor has no account. POST /api/v1/widget/{channelId}/session gives
// the widget a visitor token, which it keeps in localStorage and sends with
// every later request (Authorization: Bearer on REST, ?token= on the
// WebSocket, since browsers cannot set headers there). The token is
//
//	base64url(channelId + "|" + visitorId + "|" + expiryUnix) + "." +
//	base64url(HMAC-SHA256(secret, channelId + "|" + visitorId + "|" + expiryUnix))
//
// (unpadded base64url), checked in constant time. Nothing is stored on the
// server for a visitor: the visitor id is the contact handle the hub files
// the conversation under. Presenting a still valid token for the same
// channel to the session route renews it (same visitor id, new expiry), so
// history survives page reloads and returning visits; an expired, forged or
// other channel's token silently yields a new visitor.
//
// # Live delivery and reconnects
//
// The widget holds a WebSocket on GET /ws/widget. Send writes the message
// to every socket the visitor has open (one per tab); with none open it
// reports SendResult{Delivered: false} and no error, because the message
// is already stored by the hub. The widget never relies on the socket for
// completeness: after every (re)connect it fetches
// GET /api/v1/widget/{channelId}/messages?after=<last id it has seen> and
// merges by message id, so nothing sent while it was offline is lost and a
// frame that arrives twice is shown once. When the socket is down the widget
// posts messages over REST instead (same validation, same deduplication).
//
// Messages a visitor writes carry an optional clientId chosen by the widget.
// It becomes part of the Inbound's ExternalID (scoped to the visitor), so a
// message retried after a lost answer is stored once; the retry answers 200
// instead of 201. A message from one tab is echoed to the visitor's other
// tabs as a "message" frame with direction "in".
//
// An idle socket costs one goroutine, its reader: frames are written by
// whoever has them (Send, the reader answering), one at a time per socket,
// each within a deadline; a socket that cannot keep up is dropped rather
// than slowing Send down further (the widget reconnects and catches up).
// One loop per adapter sends WebSocket pings to every socket, and the
// server expects any frame (the widget's own {"type":"ping"} every 25 s,
// or the browser's automatic pong) within 60 s, so dead sockets go away. A frame the server
// cannot use (not JSON, a wrong type, an unknown "type", an invalid
// message or page) is answered with an error frame
// {"type":"error","code":...} and the socket stays open; only a frame
// larger than a maximal message could ever be (12 bytes per character of
// MaxTextChars, plus 4 KiB) closes it, with 1009 (message too big).
//
// # Live visitors
//
// The widget opens its socket as soon as the page loads, not only when the
// visitor opens the chat, and reports where the visitor is with a
// {"type":"page","url":...,"title":...} frame on connect and whenever the
// page's address or title changes. The adapter keeps, per channel, the
// visitors with at least one socket open: their page and its title, when
// they connected, since when they are on that page and when their last frame
// came (Visitors). A visitor with several tabs shows the page they moved to
// last. A visitor whose last socket closes leaves the list at once, but one
// who comes back within a short moment (the next page of a site without
// client-side routing, a dropped connection) keeps their "connected since",
// and "on page since" when it is the same page. Agents use the list to start
// a chat: the hub stores the conversation and the agent's message goes out
// through Send like any reply.
//
// Page addresses may carry personal data (an e-mail address in a query
// string): they are only kept in memory, stripped of user:password, and
// never logged above debug level.
//
// The widget runs on the customer's own site, so the REST routes answer
// CORS preflights for any origin; no cookies are involved, only the bearer
// visitor token. Message text and tokens are never logged above debug level.
package webchat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"hub/adapters"
)

// ChannelType is the channel type this adapter serves.
const ChannelType = "webchat"

const (
	defaultTokenTTL     = 90 * 24 * time.Hour
	defaultMaxTextChars = 10000
	maxNameChars        = 128
	maxClientIDLen      = 64
)

// Backend is what the hub gives the adapter besides the Sink.
type Backend interface {
	// Channel returns the channel; adapters.ErrChannelNotFound if unknown.
	Channel(ctx context.Context, id string) (adapters.Channel, error)
	// History returns the public messages of the visitor's conversation on
	// the channel, ordered, those with id > afterID.
	History(ctx context.Context, channelID, visitorID, afterID string) ([]Message, error)
}

// Message is the widget's JSON view of a message.
type Message struct {
	ID             string                `json:"id"`
	ConversationID string                `json:"conversationId"`
	Direction      string                `json:"direction"` // in|out
	Author         Author                `json:"author"`
	Text           string                `json:"text"`
	Attachments    []adapters.Attachment `json:"attachments"`
	Buttons        []string              `json:"buttons,omitempty"`
	// Kind "survey" asks for a star rating.
	Kind      string    `json:"kind,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	Delivery  string    `json:"delivery,omitempty"`
}

// Author is who wrote a message: type contact, agent, bot or system.
type Author struct {
	Type string `json:"type"`
	Name string `json:"name,omitempty"`
}

// Config tunes the adapter. Zero values get defaults.
type Config struct {
	// Secret signs visitor tokens. When empty, New picks a random one and
	// logs a warning: tokens then do not survive a restart.
	Secret []byte
	// TokenTTL is how long a visitor token is valid; default 90 days.
	TokenTTL time.Duration
	// MaxTextChars is the longest visitor message in characters (runes);
	// default 10000.
	MaxTextChars int
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger receives operational logs; default slog.Default().
	Logger *slog.Logger
	// MaxNewSessionsPerMinute limits new visitors per client address;
	// default 60 (see limits.go).
	MaxNewSessionsPerMinute int
	// MaxMessagesPerMinute limits each visitor's messages; default 60.
	MaxMessagesPerMinute int
}

// Adapter is the web chat channel. It is safe for concurrent use.
type Adapter struct {
	cfg     Config
	sink    adapters.Sink
	backend Backend
	log     *slog.Logger

	mu sync.Mutex
	// conns holds the open sockets: channel id → visitor id → sockets.
	conns map[string]map[string]map[*client]struct{}
	// left remembers visitors whose last socket closed a moment ago.
	left    map[string]departure // key: connKey
	pruned  time.Time            // last sweep of left
	pageSeq uint64               // orders page frames across sockets
	// pingNext is the ping slice of the next socket (client.pingSlot).
	pingNext uint8
	stopped  bool
	live     sync.WaitGroup // socket handlers still running

	newSessions *window // per client address
	messages    *window // per channel and visitor
}

// New builds the adapter.
func New(cfg Config, sink adapters.Sink, backend Backend) *Adapter {
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = defaultTokenTTL
	}
	if cfg.MaxTextChars <= 0 {
		cfg.MaxTextChars = defaultMaxTextChars
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxNewSessionsPerMinute <= 0 {
		cfg.MaxNewSessionsPerMinute = defaultNewSessionsPerMinute
	}
	if cfg.MaxMessagesPerMinute <= 0 {
		cfg.MaxMessagesPerMinute = defaultMessagesPerMinute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if len(cfg.Secret) == 0 {
		cfg.Secret = make([]byte, 32)
		_, _ = rand.Read(cfg.Secret)
		cfg.Logger.Warn("webchat: no token secret configured; using a random one, visitor tokens will not survive a restart")
	} else {
		cfg.Secret = append([]byte(nil), cfg.Secret...)
	}
	return &Adapter{
		cfg:         cfg,
		sink:        sink,
		backend:     backend,
		log:         cfg.Logger.With("adapter", ChannelType),
		newSessions: newWindow(cfg.MaxNewSessionsPerMinute),
		messages:    newWindow(cfg.MaxMessagesPerMinute),
		conns:       make(map[string]map[string]map[*client]struct{}),
		left:        make(map[string]departure),
	}
}

// Type returns "webchat".
func (a *Adapter) Type() string { return ChannelType }

// Capabilities of the widget: long texts, media and quick-reply buttons.
func (a *Adapter) Capabilities() adapters.Capabilities {
	return adapters.Capabilities{MaxTextLen: defaultMaxTextChars, Media: true, Buttons: true}
}

// Routes registers the widget's REST and WebSocket routes on r.
func (a *Adapter) Routes(r fiber.Router) {
	r.Use("/api/v1/widget", a.cors)
	r.Post("/api/v1/widget/:channelId/session", a.handleSession)
	r.Post("/api/v1/widget/:channelId/messages", a.handlePostMessage)
	r.Get("/api/v1/widget/:channelId/messages", a.handleListMessages)
	r.Get("/ws/widget", a.handleSocketUpgrade, a.socketHandler())
}

// channel returns the web chat channel id, or 404 channel_not_found when it
// is unknown, of another type or disabled. Other lookup errors pass through.
func (a *Adapter) channel(ctx context.Context, id string) (adapters.Channel, error) {
	if id == "" {
		return adapters.Channel{}, errChannelNotFound()
	}
	ch, err := a.backend.Channel(ctx, id)
	if errors.Is(err, adapters.ErrChannelNotFound) {
		return adapters.Channel{}, errChannelNotFound()
	}
	if err != nil {
		return adapters.Channel{}, err
	}
	if ch.Type != ChannelType || ch.Disabled {
		return adapters.Channel{}, errChannelNotFound()
	}
	return ch, nil
}

func errChannelNotFound() error {
	return adapters.Errorf(http.StatusNotFound, "channel_not_found", "web chat channel not found")
}

func errTokenInvalid() error {
	return adapters.Errorf(http.StatusUnauthorized, "visitor_token_invalid", "visitor token missing, invalid or expired")
}

// randomHex returns n random bytes, hex encoded.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// now is the injected clock, in UTC.
func (a *Adapter) now() time.Time { return a.cfg.Now().UTC() }
