package hub

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"hub/adapters"
	"hub/hub/api"
	"hub/hub/web"
	"hub/inbox"
)

// contentSecurityPolicy allows only our own scripts and styles: no inline
// script can run, so a message that smuggles markup stays text.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; " +
	"connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// App assembles the one HTTP server: API, agent feed, adapters' webhooks
// and widget routes, the UI. It is built once per hub, on first use, after
// every adapter is registered.
func (h *Hub) App() *fiber.App {
	h.appOnce.Do(h.buildApp)
	return h.app
}

func (h *Hub) buildApp() {
	app := fiber.New(fiber.Config{
		AppName:               "hub",
		ErrorHandler:          api.ErrorHandler(h.log),
		BodyLimit:             max(h.cfg.MaxBodyBytes, uploadBodyLimit),
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           2 * time.Minute,
		// Most connections are widget sockets idle for hours: release the
		// server's per-connection read and write buffers between requests
		// instead of keeping 4 KB each for the life of the connection.
		ReduceMemoryUsage: true,
	})
	app.Use(recover.New())
	app.Use(securityHeaders)
	app.Use(h.bodyLimit)
	h.api.Routes(app)
	for _, a := range h.adapters {
		if r, ok := a.(adapters.WebhookReceiver); ok {
			r.Routes(app)
		}
	}
	app.Get("/metrics", h.metrics.handler)
	app.Get("/demo", h.demoRedirect)
	web.Register(app)
	app.Use(api.NotFound)
	h.app = app
}

// uploadBodyLimit is the largest body of an upload: the file and the
// multipart framing. The server accepts bodies this large; bodyLimit keeps
// every other route to the configured MaxBodyBytes.
const uploadBodyLimit = api.MaxUploadBytes + 64<<10

func (h *Hub) bodyLimit(c *fiber.Ctx) error {
	if c.Path() != "/api/v1/uploads" && len(c.Request().Body()) > h.cfg.MaxBodyBytes {
		return fiber.ErrRequestEntityTooLarge
	}
	return c.Next()
}

func securityHeaders(c *fiber.Ctx) error {
	// A WebSocket handshake's answer has no content to protect, and what
	// is set here stays with the connection for as long as it is open
	// (hours, for a widget), so it gets nothing.
	if strings.EqualFold(c.Get(fiber.HeaderUpgrade), "websocket") {
		return c.Next()
	}
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	// The widget script and its API are used from customers' own sites;
	// every other page is ours alone and may not be framed.
	p := c.Path()
	if p != "/widget.js" && !strings.HasPrefix(p, "/api/v1/widget/") {
		c.Set("Content-Security-Policy", contentSecurityPolicy)
		c.Set("X-Frame-Options", "DENY")
	}
	return c.Next()
}

// demoRedirect sends /demo to the demo page of the first web chat channel,
// so a newcomer can be the customer in one tab.
func (h *Hub) demoRedirect(c *fiber.Ctx) error {
	if c.Query("channel") != "" {
		return c.Next()
	}
	ctx := c.UserContext()
	workspaces, err := h.store.ListWorkspaces(ctx)
	if err != nil {
		return err
	}
	for _, w := range workspaces {
		channels, err := h.store.ListChannels(ctx, w.ID)
		if err != nil {
			return err
		}
		for _, ch := range channels {
			if ch.Type == inbox.ChannelWebchat && !ch.Disabled {
				return c.Redirect("/demo?channel="+ch.ID, fiber.StatusFound)
			}
		}
	}
	return c.Next()
}

// Run serves on ln and runs the background work (scheduled jobs, outbox,
// adapters) until ctx is done, then shuts down gracefully: it stops
// accepting, lets in-flight requests finish (up to the configured
// timeout), closes live sockets and waits for the background work.
func (h *Hub) Run(ctx context.Context, ln net.Listener) error {
	app := h.App()
	ln = &freshConns{Listener: ln, waiting: map[*freshConn]struct{}{}}
	bg, stopBackground := context.WithCancel(context.Background())
	defer stopBackground()

	sched := NewScheduler(h.log)
	if err := sched.Every("release-holds", h.cfg.HoldReleaseInterval, h.releaseHolds); err != nil {
		return err
	}
	if err := sched.Every("close-idle-bot-conversations", time.Minute, h.closeIdleBot); err != nil {
		return err
	}
	if err := sched.Every("expire-offers", time.Second, h.expireOffers); err != nil {
		return err
	}
	if err := sched.Every("close-idle-conversations", time.Minute, h.closeIdle); err != nil {
		return err
	}
	sched.Start()
	h.goBackground(func() { h.outbox.Run(bg) })
	h.goBackground(func() { h.router.Run(bg) })
	for _, r := range h.runners {
		h.goBackground(func() {
			if err := r.Run(bg); err != nil && bg.Err() == nil {
				h.log.Error("adapter stopped", "err", err)
			}
		})
	}

	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	select {
	case err := <-served:
		sched.Stop()
		stopBackground()
		h.wg.Wait()
		return err
	case <-ctx.Done():
	}
	h.log.Info("shutting down")
	// Live sockets would hold the shutdown open: end the agents' feeds and
	// let the adapters close their sockets first.
	h.bus.Close()
	stopBackground()
	err := app.ShutdownWithTimeout(h.cfg.ShutdownTimeout)
	// A signal that came before the server took the listener found
	// nothing to shut down; closing the listener ends that server at once
	// (otherwise a no-op: the shutdown closed it).
	_ = ln.Close()
	sched.Stop()
	h.wg.Wait()
	if serveErr := <-served; serveErr != nil && err == nil && !errors.Is(serveErr, net.ErrClosed) {
		err = serveErr
	}
	return err
}

// freshConns is ln remembering the connections that have not sent a byte
// yet. fasthttp counts such a connection as busy reading its first request,
// so one a client opened and never used (a spare connection, a browser's
// preconnect, a TCP health check) held the graceful shutdown for the whole
// timeout and made it fail. Closing the listener closes them too: they
// carry no request.
type freshConns struct {
	net.Listener
	mu      sync.Mutex
	closed  bool
	waiting map[*freshConn]struct{}
}

func (l *freshConns) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		_ = c.Close()
		return nil, net.ErrClosed
	}
	fc := &freshConn{Conn: c, l: l}
	l.waiting[fc] = struct{}{}
	return fc, nil
}

func (l *freshConns) Close() error {
	err := l.Listener.Close()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	for c := range l.waiting {
		c.dropped = true
		_ = c.Conn.Close()
	}
	clear(l.waiting)
	return err
}

// freshConn is an accepted connection; once its first bytes are read it is
// the server's alone.
type freshConn struct {
	net.Conn
	l       *freshConns
	started atomic.Bool
	dropped bool // closed unused by the listener's Close; guarded by l.mu
}

func (c *freshConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if c.started.Load() {
		return n, err
	}
	c.l.mu.Lock()
	defer c.l.mu.Unlock()
	if c.dropped {
		// Closed unused, maybe as these bytes arrived: they are not read,
		// as if they had come after, and the server sees the connection
		// end rather than an error to answer and log.
		return 0, io.EOF
	}
	if n > 0 {
		c.started.Store(true)
		delete(c.l.waiting, c)
	}
	return n, err
}

func (c *freshConn) Close() error {
	c.l.mu.Lock()
	delete(c.l.waiting, c)
	c.l.mu.Unlock()
	return c.Conn.Close()
}

func (h *Hub) goBackground(fn func()) {
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		fn()
	}()
}

// releaseHolds is the scheduled job: every due hold back to open.
func (h *Hub) releaseHolds(ctx context.Context) error {
	n, err := h.svc.ReleaseDueHolds(ctx)
	h.metrics.HoldsReleased.Add(int64(n))
	if err != nil {
		h.metrics.ScheduledFailure.Add(1)
	}
	if n > 0 {
		h.log.Info("holds released", "count", n)
	}
	return err
}

// closeIdleBot closes the conversations the bot handled alone once their
// customer has gone quiet (counted as automated in the reports).
func (h *Hub) closeIdleBot(ctx context.Context) error {
	n, err := h.svc.CloseIdleBotConversations(ctx)
	if err != nil {
		h.metrics.ScheduledFailure.Add(1)
	}
	if n > 0 {
		h.log.Info("idle bot conversations closed", "count", n)
	}
	return err
}
