package hub_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hub/inbox"
)

// arrowDownKey is chromedp's kb.ArrowDown (not imported: the package has a
// kb helper of its own).
const arrowDownKey = "\u0301"

// adminShotsDir is where the admin and reports tests leave their
// screenshots for the documentation (the package runs from hub/).
var adminShotsDir = filepath.Join("..", "docs", "screenshots")

// adminViewport sets the tab's viewport to the screenshots' 1280x800.
func (tb *tab) adminViewport() {
	tb.t.Helper()
	tb.do("sizing the viewport to 1280x800", chromedp.EmulateViewport(1280, 800))
}

// fullPageShot writes a full-page PNG of the tab, scrolled to the top, to
// docs/screenshots/name.
func (tb *tab) fullPageShot(name string) { tb.adminShot(name, true) }

// adminShot writes a PNG of the page (full, or the viewport) to
// docs/screenshots/name.
func (tb *tab) adminShot(name string, full bool) {
	tb.t.Helper()
	if err := os.MkdirAll(adminShotsDir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	eval[chromedp.Void](tb, "scrolling to the top", `void window.scrollTo(0, 0)`)
	ctx, cancel := context.WithTimeout(tb.ctx, browserStepTimeout)
	defer cancel()
	shot := chromedp.CaptureScreenshot()
	if full {
		shot = chromedp.FullScreenshot(100)
	}
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		tb.t.Fatalf("%s tab: screenshot %s: %v", tb.name, name, err)
	}
	if err := os.WriteFile(filepath.Join(adminShotsDir, name), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// noCSPViolations fails the test if the tab's console reported any.
func (tb *tab) noCSPViolations() {
	tb.t.Helper()
	msgs, _ := tb.consoleSince(0)
	if v := cspViolations(msgs); len(v) > 0 {
		tb.t.Errorf("%s tab: CSP violations:\n%s", tb.name, strings.Join(v, "\n"))
	}
	for _, m := range msgs {
		if m.IsException() {
			tb.t.Errorf("%s tab: uncaught exception: %s (%s:%d)", tb.name, m, m.URL, m.Line+1)
		}
	}
}

// TestBrowser_AdminCreatesSMSChannelAndSeesWebhookURL: the admin connects an
// SMS channel from Admin → Channels and is shown the webhook URL to paste
// into Twilio; the channel exists with its settings, the secret masked.
func TestBrowser_AdminCreatesSMSChannelAndSeesWebhookURL(t *testing.T) {
	th := startHub(t)
	tb := newTab(t, newBrowser(t), "admin")
	tb.adminViewport()
	signIn(tb, th.base)

	tb.do("opening Admin", chromedp.Click(testID("nav-admin")))
	tb.waitFor("the Channels page with the demo web chat", `location.hash === '#/admin/channels'
		&& document.querySelector('[data-testid=admin-title]').textContent === 'Channels'
		&& document.querySelector('[data-testid=channel-row][data-type=webchat]')
		&& document.querySelector('#app-view > .panes').hidden`)
	if cur := eval[string](tb, "reading the current menu entry", `document.querySelector('[data-testid=admin-nav-channels]').getAttribute('aria-current')`); cur != "page" {
		t.Errorf("Channels menu entry aria-current = %q, want page", cur)
	}

	tb.do("opening the connect dialog", chromedp.Click(testID("channel-add")), chromedp.WaitVisible(testID("dialog-channel")))
	tb.do("choosing SMS", chromedp.Click(testID("channel-type-sms")))
	tb.waitFor("the SMS settings", `document.querySelector('[data-testid=channel-config-accountSid]')`)
	sid := "AC" + strings.Repeat("0123456789abcdef", 2)
	const authToken = "secretToken123"
	tb.do("filling in the SMS channel",
		chromedp.SendKeys(testID("channel-name"), "Reception SMS"),
		chromedp.SendKeys(testID("channel-config-accountSid"), sid),
		chromedp.SendKeys(testID("channel-config-authToken"), authToken),
		chromedp.SendKeys(testID("channel-config-from"), "+33100000000"),
	)
	// Every control of the dialog has a label.
	if unlabelled := eval[[]string](tb, "finding unlabelled controls", `[...document.querySelectorAll('[data-testid=dialog-channel] input, [data-testid=dialog-channel] select, [data-testid=dialog-channel] textarea')]
		.filter((el) => !el.labels || el.labels.length === 0).map((el) => el.outerHTML)`); len(unlabelled) > 0 {
		t.Errorf("controls without a label: %q", unlabelled)
	}
	tb.do("creating the channel", chromedp.Click(testID("dialog-channel-submit")))
	tb.waitFor("the webhook URL", `document.querySelector('[data-testid=channel-webhook-url][data-key=inbound]')`)
	shown := eval[string](tb, "reading the webhook URL", `document.querySelector('[data-testid=channel-webhook-url][data-key=inbound]').value`)

	token := th.login("admin@hotel.test", adminPassword)
	var list struct {
		Items []struct {
			ID          string            `json:"id"`
			Type        string            `json:"type"`
			Name        string            `json:"name"`
			Config      map[string]string `json:"config"`
			WebhookURLs map[string]string `json:"webhookUrls"`
		} `json:"items"`
	}
	th.must(200, "GET", "/api/v1/channels", token, nil).json(t, &list)
	id := ""
	for _, ch := range list.Items {
		if ch.Type != "sms" {
			continue
		}
		id = ch.ID
		if ch.Name != "Reception SMS" || ch.Config["accountSid"] != sid || ch.Config["from"] != "+33100000000" {
			t.Errorf("stored channel = %+v, want the name, account SID and sender typed", ch)
		}
		if got := ch.Config["authToken"]; got == authToken || !strings.HasPrefix(got, "••••") {
			t.Errorf("auth token read back as %q, want it masked", got)
		}
	}
	if id == "" {
		t.Fatalf("no SMS channel after creating one: %+v", list.Items)
	}
	if want := th.base + "/hooks/sms/" + id; shown != want {
		t.Errorf("webhook URL shown = %q, want %q", shown, want)
	}
	if ro := eval[bool](tb, "checking the URL field", `document.querySelector('[data-testid=channel-webhook-url][data-key=inbound]').readOnly
		&& !!document.querySelector('[data-testid=channel-webhook-url-copy]')`); !ro {
		t.Error("the webhook URL is not a read-only field with a Copy button")
	}

	// Copy reports what it did (headless Chromium may refuse the clipboard).
	tb.do("copying the webhook URL", chromedp.Click(chromedp.CSS(`[data-testid=channel-webhook-url-copy]`)))
	tb.waitFor("the copy toast, inside the dialog", `document.querySelector('[data-testid=dialog-channel] [data-testid=toast]')`)

	// Done: the list shows the new channel, enabled.
	tb.do("closing the dialog", chromedp.Click(testID("dialog-channel-done")))
	tb.waitFor("the SMS row", `(() => {
		const row = document.querySelector('[data-testid=channel-row][data-id=`+jsString(id)+`]');
		return row && row.textContent.includes('Reception SMS') && row.textContent.includes('Enabled')
			&& !document.querySelector('dialog[open]')
			&& document.getElementById('toasts').parentNode === document.body; // toasts survive the dialog
	})()`)
	eval[chromedp.Void](tb, "dismissing the toasts", `void document.querySelectorAll('[data-testid=toast] .toast-close').forEach((b) => b.click())`)
	tb.fullPageShot("admin-channels.png")

	// The web chat's connection details give the embed snippet.
	tb.do("opening the web chat's details", chromedp.Click(chromedp.CSS(`[data-testid=channel-row][data-type=webchat] [data-testid=channel-details]`)))
	tb.waitFor("the snippet", `document.querySelector('[data-testid=channel-snippet]')`)
	snippet := eval[string](tb, "reading the snippet", `document.querySelector('[data-testid=channel-snippet]').value`)
	if want := `<script src="` + th.base + `/widget.js" data-channel="` + th.demo.Channel.ID + `" async></script>`; snippet != want {
		t.Errorf("snippet = %q, want %q", snippet, want)
	}
	tb.do("closing the details", chromedp.Click(testID("dialog-channel-details-close")))
	tb.noCSPViolations()
}

// TestBrowser_ReportsShowScores: conversations closed and rated show up in
// #/reports: the admin's row has the CSAT average and count, the charts are
// drawn, and the CSV download link (authenticated by the session cookie)
// carries the same numbers.
func TestBrowser_ReportsShowScores(t *testing.T) {
	th := startHub(t)
	token := th.login("admin@hotel.test", adminPassword)
	marieID, _ := th.addAgent(token, "marie@hotel.test", "agent")
	adminID := th.demo.Admin.ID
	chID := th.demo.Channel.ID

	// Events of 2026-11-20, the day before the hub's clock: inside the
	// default range (the last 7 days).
	at := func(clock string) time.Time {
		v, err := time.Parse("2006-01-02 15:04", "2026-11-20 "+clock)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	add := func(conv string, typ inbox.EventType, clock, agent string, to inbox.Status, data map[string]string) {
		t.Helper()
		actor := inbox.Author{Type: inbox.AuthorAgent, ID: agent}
		if agent == "" {
			actor = inbox.Author{Type: inbox.AuthorContact}
		}
		e := &inbox.Event{ID: inbox.NewID(), WorkspaceID: th.demo.Workspace.ID, ConversationID: conv,
			Type: typ, Actor: actor, To: to, Data: data, At: at(clock)}
		if err := th.store.AppendEvent(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	conversation := func(conv, agent, start string, score string) {
		t.Helper()
		h, m := start[:2], start[3:]
		minute := func(d int) string {
			mm := adminAtoi(t, m) + d
			return h + ":" + adminPad2(mm)
		}
		add(conv, inbox.EventCreated, start, "", inbox.StatusOpen, map[string]string{"channelId": chID})
		add(conv, inbox.EventAssigned, minute(1), agent, "", nil)
		add(conv, inbox.EventReplied, minute(3), agent, "", map[string]string{"agentId": agent})
		add(conv, inbox.EventClosed, minute(20), agent, inbox.StatusClosed, map[string]string{"mood": "satisfied", "topic": "Booking"})
		add(conv, inbox.EventCSAT, minute(30), "", "", map[string]string{"agentId": agent, "score": score})
	}
	conversation("conv-a1", adminID, "10:00", "5")
	conversation("conv-a2", adminID, "11:00", "4")
	conversation("conv-m1", marieID, "12:00", "3")

	tb := newTab(t, newBrowser(t), "admin")
	tb.adminViewport()
	signIn(tb, th.base)
	tb.do("opening Reports", chromedp.Click(testID("nav-reports")))
	adminRow := `document.querySelector('[data-testid=report-row][data-agent-id=` + jsString(adminID) + `]')`
	tb.waitFor("the admin's row", adminRow)

	got := eval[map[string]string](tb, "reading the admin's row", `(() => {
		const row = `+adminRow+`;
		const cell = (id) => row.querySelector('[data-testid=' + id + ']').textContent;
		return {csat: cell('report-csat'), count: cell('report-csat-count'), first: cell('report-first-response'), handle: cell('report-handle')};
	})()`)
	want := map[string]string{"csat": "4.5", "count": "2", "first": "3 min 00 s", "handle": "19 min 00 s"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("admin's row %s = %q, want %q (row %v)", k, got[k], v, got)
		}
	}
	if s := eval[string](tb, "reading Marie's CSAT", `document.querySelector('[data-testid=report-row][data-agent-id=`+jsString(marieID)+`] [data-testid=report-csat]').textContent`); s != "3.0" {
		t.Errorf("Marie's CSAT = %q, want 3.0", s)
	}
	if s := eval[string](tb, "reading the summary", `document.querySelector('[data-testid=kpi-csat] .kpi-value').textContent`); s != "4.0 / 5" {
		t.Errorf("workspace CSAT = %q, want 4.0 / 5", s)
	}
	// The charts: three closed-per-agent bars (two agents), five score columns.
	if n := eval[int](tb, "counting bars", `document.querySelectorAll('[data-testid=chart-closed] svg .bar').length`); n != 2 {
		t.Errorf("closed-per-agent chart: %d bars, want 2", n)
	}
	if n := eval[int](tb, "counting columns", `document.querySelectorAll('[data-testid=chart-csat] svg .bar').length`); n != 5 {
		t.Errorf("CSAT chart: %d columns, want 5", n)
	}
	// The range is the server's last 7 days, and the CSV link follows it.
	rng := eval[[]string](tb, "reading the range", `[document.querySelector('[data-testid=report-from]').value, document.querySelector('[data-testid=report-to]').value,
		document.querySelector('[data-testid=report-csv-agents]').getAttribute('href')]`)
	if rng[0] != "2026-11-14" || rng[1] != "2026-11-21" || rng[2] != "/api/v1/reports/agents.csv?from=2026-11-14&to=2026-11-21" {
		t.Errorf("range and CSV link = %q", rng)
	}
	fetchCtx, cancelFetch := context.WithTimeout(tb.ctx, browserStepTimeout)
	defer cancelFetch()
	csv, err := chromedp.Run(fetchCtx, chromedp.Evaluate[string](`fetch(document.querySelector('[data-testid=report-csv-agents]').href, {credentials: 'same-origin'})
		.then((r) => r.text().then((body) => r.status + ' ' + body))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("downloading the CSV with the session cookie: %v", err)
	}
	if !strings.HasPrefix(csv, "200 ") || !strings.Contains(csv, "4.5,2,") {
		t.Errorf("CSV download = %.300q, want a 200 with the admin's 4.5 average over 2 ratings", csv)
	}
	tb.fullPageShot("reports.png")

	// A narrower range without the events empties the table's scores.
	tb.do("choosing 2026-11-21 only",
		chromedp.SetValue(testID("report-from"), "2026-11-21"),
		chromedp.SetValue(testID("report-to"), "2026-11-21"),
		chromedp.Click(testID("report-apply")))
	tb.waitFor("the new range", `document.querySelector('[data-testid=report-csv-agents]').getAttribute('href') === '/api/v1/reports/agents.csv?from=2026-11-21&to=2026-11-21'
		&& `+adminRow+` && `+adminRow+`.querySelector('[data-testid=report-csat]').textContent === '—'`)
	tb.noCSPViolations()
}

// TestBrowser_FrenchUI: the language switch reloads the app in French; the
// inbox and the admin console speak it, and the settings page shows the
// API's field errors next to the field.
func TestBrowser_FrenchUI(t *testing.T) {
	th := startHub(t)
	tb := newTab(t, newBrowser(t), "admin")
	tb.adminViewport()
	signIn(tb, th.base)
	if s := eval[string](tb, "reading the Open tab", ownTextJS(`[data-testid=tab-open]`)); s != "Open" {
		t.Fatalf("Open tab reads %q before switching, want Open", s)
	}
	tb.do("opening Admin → Settings", chromedp.Click(testID("nav-admin")))
	tb.waitFor("the admin menu", `document.querySelector('[data-testid=admin-nav-settings]')`)
	tb.do("choosing Settings", chromedp.Click(testID("admin-nav-settings")))
	tb.waitFor("the settings form", `document.querySelector('[data-testid=settings-form]')
		&& document.querySelector('[data-testid=admin-title]').textContent === 'Settings'`)

	// The keyboard picks the next language in the switch: Français.
	tb.do("switching to French", chromedp.Focus(testID("lang-switch")), chromedp.KeyEvent(arrowDownKey))
	tb.waitFor("the page in French", `document.documentElement.lang === 'fr'
		&& document.querySelector('[data-testid=admin-title]')
		&& document.querySelector('[data-testid=admin-title]').textContent === 'Réglages'
		&& document.querySelector('[data-testid=settings-form]')`)
	fr := eval[map[string]string](tb, "reading French labels", `({
		open: `+ownTextJS(`[data-testid=tab-open]`)+`,
		admin: document.querySelector('[data-testid=nav-admin]').textContent,
		channels: document.querySelector('[data-testid=admin-nav-channels]').textContent,
		save: document.querySelector('[data-testid=settings-save]').textContent,
		lang: document.querySelector('[data-testid=lang-switch]').value,
		zone: document.querySelector('label[for=' + document.querySelector('[data-testid=setting-timeZone]').id + ']').textContent,
	})`)
	for k, v := range map[string]string{"open": "Ouvertes", "admin": "Administration", "channels": "Canaux", "save": "Enregistrer les réglages", "lang": "fr", "zone": "Fuseau horaire"} {
		if fr[k] != v {
			t.Errorf("French UI: %s reads %q, want %q", k, fr[k], v)
		}
	}

	// A time zone the API refuses: its message shows under the field.
	tb.do("typing a bad time zone", chromedp.SetValue(testID("setting-timeZone"), "Mars/Olympus"), chromedp.Click(testID("settings-save")))
	tb.waitFor("the time zone error", `(() => {
		const input = document.querySelector('[data-testid=setting-timeZone]');
		const err = document.getElementById(input.id + '-error');
		return input.getAttribute('aria-invalid') === 'true' && !err.hidden && err.textContent.includes('Mars/Olympus')
			&& document.activeElement === input;
	})()`)
	tb.do("fixing it", chromedp.SetValue(testID("setting-timeZone"), "Europe/Paris"), chromedp.Click(testID("settings-save")))
	tb.waitFor("the saved toast", `[...document.querySelectorAll('[data-testid=toast]')].some((e) => e.textContent.includes('Réglages enregistrés'))`)
	var settings struct {
		TimeZone string `json:"timeZone"`
	}
	th.must(200, "GET", "/api/v1/settings", th.login("admin@hotel.test", adminPassword), nil).json(t, &settings)
	if settings.TimeZone != "Europe/Paris" {
		t.Errorf("time zone after saving = %q, want Europe/Paris", settings.TimeZone)
	}
	tb.adminShot("admin-settings-fr.png", false)

	// Back in the inbox, in French.
	tb.do("opening the inbox", chromedp.Click(testID("nav-inbox")))
	tb.waitFor("the inbox in French", `!document.querySelector('#app-view > .panes').hidden
		&& document.querySelector('[data-testid=section-view]').hidden
		&& `+ownTextJS(`[data-testid=tab-open]`)+` === 'Ouvertes'`)
	tb.noCSPViolations()
}

// TestBrowser_AdminBotRuleErrorsAndTryIt: a bot rule the API refuses shows
// the error next to the field; the "Try it" box explains what fires.
func TestBrowser_AdminBotRuleErrorsAndTryIt(t *testing.T) {
	th := startHub(t)
	tb := newTab(t, newBrowser(t), "admin")
	tb.adminViewport()
	signIn(tb, th.base)
	tb.do("opening the bot rules", chromedp.Navigate(th.base+"/#/admin/bot"))
	tb.waitFor("the rules", `document.querySelectorAll('[data-testid=rule-row]').length === 5`)

	tb.do("opening the rule form", chromedp.Click(testID("rule-add")), chromedp.WaitVisible(testID("dialog-bot-rule")))
	tb.do("writing a rule with a bad pattern",
		chromedp.SendKeys(testID("rule-name"), "Spa"),
		chromedp.SendKeys(testID("rule-patterns"), "spa(("),
		chromedp.SendKeys(testID("rule-answer"), "The spa opens at 9."),
		chromedp.Click(testID("dialog-bot-rule-submit")))
	tb.waitFor("the pattern error", `(() => {
		const input = document.querySelector('[data-testid=rule-patterns]');
		const err = document.getElementById(input.id + '-error');
		return !err.hidden && err.textContent.startsWith('Entry 1: ') && input.getAttribute('aria-invalid') === 'true';
	})()`)
	tb.do("fixing it", chromedp.SetValue(testID("rule-patterns"), `\bspa\b`), chromedp.Click(testID("dialog-bot-rule-submit")))
	tb.waitFor("the new rule in the list", `!document.querySelector('dialog[open]')
		&& [...document.querySelectorAll('[data-testid=rule-row]')].some((r) => r.textContent.includes('Spa'))`)

	tb.do("trying a message", chromedp.SendKeys(testID("try-text"), "is the spa open?"), chromedp.Click(testID("try-submit")))
	tb.waitFor("the explanation", `(() => {
		const rule = document.querySelector('[data-testid=try-rule]');
		const reply = document.querySelector('[data-testid=try-reply]');
		return rule && rule.textContent.includes('Spa') && reply && reply.textContent === 'The spa opens at 9.';
	})()`)
	tb.noCSPViolations()
}

func adminAtoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not a number: %q", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func adminPad2(n int) string {
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

// ownTextJS is a JavaScript expression: the element's own text, without
// its children's (a tab's label without its count badge).
func ownTextJS(selector string) string {
	return `[...document.querySelector(` + jsString(selector) + `).childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('')`
}
