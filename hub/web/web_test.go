package web

import (
	"io"
	"io/fs"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func newApp() *fiber.App {
	app := fiber.New()
	Register(app)
	return app
}

func get(t *testing.T, app *fiber.App, target string, headers ...string) (int, map[string]string, string) {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := app.Test(req)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", target, err)
	}
	h := map[string]string{}
	for k := range res.Header {
		h[k] = res.Header.Get(k)
	}
	return res.StatusCode, h, string(body)
}

func TestRoutes_ServeFilesWithContentTypes(t *testing.T) {
	app := newApp()
	cases := []struct {
		path, contentType, contains string
	}{
		{"/", "text/html", `src="/static/app/main.js"`},
		{"/demo", "text/html", `src="/static/demo.js"`},
		{"/widget.js", "application/javascript", "HubWidget"},
		{"/static/app.css", "text/css", ".conv-row.waiting"},
		{"/static/app/main.js", "application/javascript", "import"},
		{"/static/demo.js", "application/javascript", "data-channel"},
		{"/static/demo.css", "text/css", ".hero"},
		{"/static/index.html", "text/html", "login-email"},
	}
	for _, tc := range cases {
		code, h, body := get(t, app, tc.path)
		if code != 200 {
			t.Errorf("GET %s: status %d, want 200", tc.path, code)
			continue
		}
		if ct := h["Content-Type"]; !strings.HasPrefix(ct, tc.contentType) {
			t.Errorf("GET %s: Content-Type %q, want %s", tc.path, ct, tc.contentType)
		}
		if cc := h["Cache-Control"]; cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", tc.path, cc)
		}
		if !strings.Contains(body, tc.contains) {
			t.Errorf("GET %s: body lacks %q", tc.path, tc.contains)
		}
	}
}

func TestWidget_LoadableFromAnyOrigin(t *testing.T) {
	code, h, _ := get(t, newApp(), "/widget.js", "Origin", "https://hotel.example")
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	if got := h["Access-Control-Allow-Origin"]; got != "*" {
		t.Errorf("Access-Control-Allow-Origin %q, want *", got)
	}
	if got := h["Cross-Origin-Resource-Policy"]; got != "cross-origin" {
		t.Errorf("Cross-Origin-Resource-Policy %q, want cross-origin", got)
	}
}

func TestStatic_UnknownOrEscapingPathsAre404(t *testing.T) {
	app := newApp()
	for _, p := range []string{
		"/static/nope.js", "/static/", "/static/app", "/static/../web.go",
		"/static/app/../../web.go", "/static/%2e%2e/web.go", "/static//app.css",
	} {
		if code, _, _ := get(t, app, p); code != 404 {
			t.Errorf("GET %s: status %d, want 404", p, code)
		}
	}
}

func TestStatic_ETagRevalidation(t *testing.T) {
	app := newApp()
	_, h, _ := get(t, app, "/static/app.css")
	etag := h["Etag"]
	if etag == "" {
		t.Fatal("no ETag")
	}
	if code, _, _ := get(t, app, "/static/app.css", "If-None-Match", etag); code != 304 {
		t.Errorf("If-None-Match %s: status %d, want 304", etag, code)
	}
	if code, _, _ := get(t, app, "/static/app.css", "If-None-Match", `"other"`); code != 200 {
		t.Errorf("stale If-None-Match: status %d, want 200", code)
	}
}

// embedded returns every embedded file with the given extension.
func embedded(t *testing.T, ext string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(static, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ext {
			return err
		}
		b, err := static.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no %s files embedded", ext)
	}
	return out
}

var (
	scriptTag    = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script\s*>`)
	tagRe        = regexp.MustCompile(`(?s)<[a-zA-Z][^>]*>`)
	handlerAttr  = regexp.MustCompile(`(?i)\son[a-z]+\s*=`)
	styleAttr    = regexp.MustCompile(`(?i)\sstyle\s*=`)
	jsURL        = regexp.MustCompile(`(?i)javascript:`)
	forbiddenAPI = regexp.MustCompile(`\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write(ln)?|eval\s*\(|new\s+Function\s*\()`)
)

// The server enforces a CSP without 'unsafe-inline': no inline scripts, no
// inline event handlers, no style attributes, no javascript: URLs.
func TestHTML_CompatibleWithStrictCSP(t *testing.T) {
	for name, html := range embedded(t, ".html") {
		for _, m := range scriptTag.FindAllStringSubmatch(html, -1) {
			if strings.TrimSpace(m[2]) != "" {
				t.Errorf("%s: inline <script> with a body: %.60q", name, m[0])
			}
			if !strings.Contains(m[1], "src=") {
				t.Errorf("%s: <script> without src: %q", name, m[0])
			}
		}
		for _, tag := range tagRe.FindAllString(html, -1) {
			if handlerAttr.MatchString(tag) {
				t.Errorf("%s: inline event handler in %q", name, tag)
			}
			if styleAttr.MatchString(tag) {
				t.Errorf("%s: style attribute in %q", name, tag)
			}
		}
		if jsURL.MatchString(html) {
			t.Errorf("%s: javascript: URL", name)
		}
	}
}

// Message text is user data: it must only ever be rendered as text.
func TestJS_NoMarkupInjectionAPIs(t *testing.T) {
	for name, js := range embedded(t, ".js") {
		for _, m := range forbiddenAPI.FindAllString(js, -1) {
			t.Errorf("%s: uses %s", name, m)
		}
	}
}

// Every local script, stylesheet and ES module import resolves to an
// embedded file.
func TestReferences_Resolve(t *testing.T) {
	exists := func(p string) bool {
		_, err := fs.Stat(static, p)
		return err == nil
	}
	ref := regexp.MustCompile(`(?:src|href)="(/static/[^"]+)"`)
	for name, html := range embedded(t, ".html") {
		for _, m := range ref.FindAllStringSubmatch(html, -1) {
			if !exists(strings.TrimPrefix(m[1], "/")) {
				t.Errorf("%s references missing %s", name, m[1])
			}
		}
	}
	imp := regexp.MustCompile(`(?m)^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'`)
	for name, js := range embedded(t, ".js") {
		for _, m := range imp.FindAllStringSubmatch(js, -1) {
			spec := m[1] + m[2]
			if !strings.HasPrefix(spec, "./") && !strings.HasPrefix(spec, "../") {
				t.Errorf("%s: import %q is not a relative path", name, spec)
				continue
			}
			if target := path.Join(path.Dir(name), spec); !exists(target) {
				t.Errorf("%s: import %q: %s not embedded", name, spec, target)
			}
		}
	}
}

// The widget runs on customers' pages: one classic script, no imports.
func TestWidget_SelfContained(t *testing.T) {
	js := embedded(t, ".js")["static/widget.js"]
	if regexp.MustCompile(`(?m)^\s*(import|export)\b`).MatchString(js) {
		t.Error("widget.js must not use import/export")
	}
	for _, id := range []string{"hub-launcher", "hub-panel", "hub-input", "hub-send", "hub-message", "attachShadow"} {
		if !strings.Contains(js, id) {
			t.Errorf("widget.js lacks %q", id)
		}
	}
}
