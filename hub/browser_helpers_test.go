package hub_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// browserStepTimeout bounds every browser step: a failure is an error that
// says what was awaited, never a hang.
const browserStepTimeout = 30 * time.Second

// chromiumPath returns the browser to drive: $HUB_CHROMIUM, else Debian's
// /usr/bin/chromium. A missing browser fails the test: CI installs it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	name := os.Getenv("HUB_CHROMIUM")
	if name == "" {
		name = "/usr/bin/chromium"
	}
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("chromium not found (%v): install it (apt-get install -y chromium) or set HUB_CHROMIUM to its path", err)
	}
	return path
}

// lockedBuffer collects the browser's own output, shown when a test fails.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write keeps the output but D-Bus complaints, which a container without a
// bus produces by the dozen.
func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, line := range bytes.SplitAfter(p, []byte("\n")) {
		if !bytes.Contains(line, []byte("dbus")) {
			b.buf.Write(line)
		}
	}
	return len(p), nil
}

func (b *lockedBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return s
}

// newBrowser starts one headless Chromium for the test and stops it at the
// end. Tabs come from newTab.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	out := &lockedBuffer{}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(out),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		if t.Failed() {
			t.Logf("chromium output:\n%s", out.tail(3000))
		}
	})
	startWithin(t, ctx, cancel, "starting chromium")
	return ctx
}

// startWithin runs the first, browser-binding action on ctx: it cannot carry
// a deadline itself, so a watchdog cancels it instead.
func startWithin(t *testing.T, ctx context.Context, cancel func(), what string) {
	t.Helper()
	timer := time.AfterFunc(browserStepTimeout, cancel)
	err := chromedp.Do(ctx)
	if !timer.Stop() {
		t.Fatalf("%s: no answer within %s", what, browserStepTimeout)
	}
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// tab is one page in its own browser context (its own cookies and storage,
// as if on another machine), with what it logged and the dialogs it opened.
type tab struct {
	t    *testing.T
	name string
	ctx  context.Context

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
	dialogs []string
}

func newTab(t *testing.T, browser context.Context, name string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	startWithin(t, ctx, cancel, "opening the "+name+" tab")
	tb := &tab{t: t, name: name, ctx: ctx}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.console = append(tb.console, m)
			tb.mu.Unlock()
		}
	}()
	err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			tb.mu.Lock()
			tb.dialogs = append(tb.dialogs, string(ev.Type)+": "+ev.Message)
			tb.mu.Unlock()
			// A dialog blocks the page: dismiss it (not from the listener).
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	})
	if err != nil {
		t.Fatalf("listening to the %s tab: %v", name, err)
	}
	return tb
}

// do runs steps within browserStepTimeout.
func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, browserStepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("%s tab: %s: %v", tb.name, what, err)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func eval[T any](tb *tab, what, expr string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, browserStepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("%s tab: %s: %v", tb.name, what, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it holds. Unlike chromedp.Poll,
// an exception (an element not there yet) counts as false rather than
// ending the wait, and a timeout reports what the page showed.
func (tb *tab) waitFor(what, cond string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, browserStepTimeout)
	defer cancel()
	var last error
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(`+cond+`)`))
		if err == nil && ok {
			return
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			tb.t.Fatalf("%s tab: waiting for %s: not within %s (last error: %v)\npage: %s", tb.name, what, browserStepTimeout, last, tb.snapshot())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// snapshot describes the page for a failure message: its URL and the
// messages shown in the widget and in the inbox.
func (tb *tab) snapshot() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const host = document.querySelector('hub-chat');
		const widget = host && host.shadowRoot ? [...host.shadowRoot.querySelectorAll('[data-testid=hub-message]')] : [];
		const inbox = [...document.querySelectorAll('[data-testid=message]')];
		return JSON.stringify({
			url: location.href,
			widget: widget.map((m) => m.dataset.author + '/' + m.dataset.state + ': ' + m.querySelector('.bubble').textContent),
			inbox: inbox.map((m) => m.dataset.author + ': ' + m.textContent),
			rows: [...document.querySelectorAll('[data-testid=conv-row]')].map((r) => r.dataset.status + ': ' + r.textContent),
		});
	})()`))
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return s
}

// clickShadow clicks, with the mouse, the centre of the element with this
// data-testid inside the widget's shadow root, after checking that nothing
// covers it there.
func (tb *tab) clickShadow(testID string) {
	tb.t.Helper()
	tb.waitFor(testID+" to be shown", shadowJS(fmt.Sprintf(`{
		const el = q(%q);
		return !!el && el.getClientRects().length > 0;
	}`, testID)))
	pt := eval[struct {
		X, Y float64
		Hit  bool
	}](tb, "locating "+testID, shadowJS(fmt.Sprintf(`{
		const el = q(%q);
		el.scrollIntoView({block: 'center'});
		const r = el.getBoundingClientRect();
		const x = r.left + r.width / 2, y = r.top + r.height / 2;
		const hit = root.elementFromPoint(x, y);
		return {x, y, hit: !!hit && el.contains(hit)};
	}`, testID)))
	if !pt.Hit {
		tb.t.Fatalf("%s tab: %s is covered at (%.0f, %.0f)", tb.name, testID, pt.X, pt.Y)
	}
	tb.do("clicking "+testID, chromedp.MouseClickXY(pt.X, pt.Y))
}

// shadowJS wraps a function body that sees the widget's shadow root as root
// and q(testid) / qa(testid) to query it.
func shadowJS(body string) string {
	return `(() => {
		const host = document.querySelector('hub-chat');
		const root = host && host.shadowRoot;
		if (!root) return null;
		const q = (id) => root.querySelector('[data-testid="' + id + '"]');
		const qa = (id) => [...root.querySelectorAll('[data-testid="' + id + '"]')];
		` + body + `
	})()`
}

// testID selects elements by their data-testid.
func testID(id string) chromedp.CSS {
	return chromedp.CSS(fmt.Sprintf(`[data-testid=%q]`, id))
}

// pressEnter presses and releases Enter on the focused element, as a
// keyboard does when the page handles the keydown: no character is typed.
func pressEnter() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
			_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, input.DispatchKeyEventParams{
				Type: typ, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13,
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// dialogsOpened returns the JavaScript dialogs (alert, confirm, ...) seen.
func (tb *tab) dialogsOpened() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.dialogs...)
}

// waitForDialog waits until a JavaScript dialog with this message opened.
func (tb *tab) waitForDialog(message string) {
	tb.t.Helper()
	deadline := time.Now().Add(browserStepTimeout)
	for !slices.ContainsFunc(tb.dialogsOpened(), func(d string) bool { return strings.HasSuffix(d, ": "+message) }) {
		if time.Now().After(deadline) {
			tb.t.Fatalf("%s tab: no dialog %q within %s", tb.name, message, browserStepTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// consoleSince returns the console messages from index from on, and the
// index to continue from.
func (tb *tab) consoleSince(from int) ([]chromedp.ConsoleMessage, int) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]chromedp.ConsoleMessage(nil), tb.console[from:]...), len(tb.console)
}

// cspViolations filters the console messages about the Content Security
// Policy.
func cspViolations(msgs []chromedp.ConsoleMessage) []string {
	var out []string
	for _, m := range msgs {
		if strings.Contains(m.Text, "Content Security Policy") {
			out = append(out, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
		}
	}
	return out
}

// waitForConsole waits for a console message, from index from on, that
// matches.
func (tb *tab) waitForConsole(what string, from int, match func(chromedp.ConsoleMessage) bool) {
	tb.t.Helper()
	deadline := time.Now().Add(browserStepTimeout)
	for {
		msgs, _ := tb.consoleSince(from)
		for _, m := range msgs {
			if match(m) {
				return
			}
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("%s tab: waiting for %s: not within %s", tb.name, what, browserStepTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// jsTexts is a JavaScript expression: the textContent of every element that
// matches the CSS selector, in document order.
func jsTexts(selector string) string {
	return `[...document.querySelectorAll(` + jsString(selector) + `)].map((e) => e.textContent)`
}
