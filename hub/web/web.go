// Package web serves the hub's browser-facing static files: the agent inbox
// (index.html and the ES modules under static/app), the embeddable chat
// widget script (/widget.js) that customers put on their own site, and a demo
// hotel page (/demo) that loads the widget.
//
// Everything is embedded with go:embed and written by hand in plain ES
// modules and CSS: there is no build step and no third-party code. The pages
// are compatible with a strict Content-Security-Policy (script-src 'self',
// no inline scripts, no inline event handlers, no style attributes), and no
// script builds HTML from strings: server data is always rendered as text.
//
// Caching: every file is sent with "Cache-Control: no-cache" and a strong
// ETag derived from its content, so browsers revalidate on every load and get
// a 304 when nothing changed (a new binary is picked up immediately).
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
)

//go:embed static
var static embed.FS

// asset is one embedded file, ready to send.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

var (
	loadOnce sync.Once
	assets   map[string]asset // key: path below static/, e.g. "app/main.js"
	loadErr  error
)

// contentTypes maps the extensions used under static/ to their media type.
// Text types carry an explicit charset so a page in another encoding (a
// customer's site loading widget.js) cannot mis-decode them.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".js":    "application/javascript; charset=utf-8",
	".json":  "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".txt":   "text/plain; charset=utf-8",
	".woff2": "font/woff2",
}

func load() {
	assets = make(map[string]asset)
	loadErr = fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := static.ReadFile(p)
		if err != nil {
			return err
		}
		ct, ok := contentTypes[path.Ext(p)]
		if !ok {
			ct = "application/octet-stream"
		}
		sum := sha256.Sum256(body)
		assets[strings.TrimPrefix(p, "static/")] = asset{
			body:        body,
			contentType: ct,
			etag:        `"` + hex.EncodeToString(sum[:12]) + `"`,
		}
		return nil
	})
}

// Register mounts the UI routes on app:
//
//	GET /           the agent inbox (static/index.html)
//	GET /static/*   files under static/
//	GET /widget.js  the chat widget, loadable from any origin
//	GET /demo       the demo hotel page; it reads ?channel=<id>
//
// fiber also answers HEAD on each of them.
func Register(app fiber.Router) {
	app.Get("/", file("index.html"))
	app.Get("/demo", file("demo.html"))
	app.Get("/widget.js", func(c *fiber.Ctx) error {
		// Customers embed the widget on their own domains.
		c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
		c.Set("Cross-Origin-Resource-Policy", "cross-origin")
		return send(c, "widget.js")
	})
	app.Get("/static/*", func(c *fiber.Ctx) error {
		name := c.Params("*")
		if name == "" || !fs.ValidPath(name) || path.Clean(name) != name {
			return fiber.ErrNotFound
		}
		return send(c, name)
	})
}

func file(name string) fiber.Handler {
	return func(c *fiber.Ctx) error { return send(c, name) }
}

func send(c *fiber.Ctx, name string) error {
	loadOnce.Do(load)
	if loadErr != nil {
		return fiber.ErrInternalServerError
	}
	a, ok := assets[name]
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, a.contentType)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderETag, a.etag)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" && etagMatch(inm, a.etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	return c.Send(a.body)
}

// etagMatch reports whether an If-None-Match header value lists etag.
func etagMatch(header, etag string) bool {
	for _, v := range strings.Split(header, ",") {
		v = strings.TrimPrefix(strings.TrimSpace(v), "W/")
		if v == etag || v == "*" {
			return true
		}
	}
	return false
}
