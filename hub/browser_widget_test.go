package hub_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// screenshotDir is where the widget's screenshots for the docs go.
var screenshotDir = filepath.Join("..", "docs", "screenshots")

// screenshot saves the tab's viewport as docs/screenshots/name.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, browserStepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("%s tab: screenshot %s: %v", tb.name, name, err)
	}
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir, name), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// widgetState reads what the widget keeps in the page's localStorage.
func widgetState(tb *tab, channelID string) struct{ VisitorID, Token, LastID string } {
	tb.t.Helper()
	return eval[struct{ VisitorID, Token, LastID string }](tb, "reading the widget's storage",
		`(() => { const s = JSON.parse(localStorage.getItem('hub-widget:' + `+jsString(channelID)+`) || '{}');
			return {visitorId: s.visitorId || '', token: s.token || '', lastId: s.lastId || ''}; })()`)
}

// agentMessagesJS is a condition: the widget shows exactly these agent
// messages, in order.
func agentMessagesJS(texts ...string) string {
	want := make([]string, len(texts))
	for i, s := range texts {
		want[i] = jsString(s)
	}
	return shadowJS(`return qa('hub-message').filter((m) => m.dataset.author === 'agent')
		.map((m) => m.querySelector('.bubble').textContent).join('\n') === ` + jsString(strings.Join(texts, "\n")) + `;`)
}

// TestBrowser_ProactiveChatOpensInTheWidget: a visitor on the demo page,
// who never touched the widget, shows in the agents' live list with the page
// they are on; an agent writes first and the widget opens with the message.
// The conversation survives a reload, and what was written while the
// visitor was away is there when they come back.
func TestBrowser_ProactiveChatOpensInTheWidget(t *testing.T) {
	th := startHub(t)
	browser := newBrowser(t)
	visitor := newTab(t, browser, "visitor")
	agent := th.login("admin@hotel.test", adminPassword)
	channel := th.demo.Channel.ID
	demo := th.base + "/demo?channel=" + url.QueryEscape(channel)

	visitor.do("opening the demo page", chromedp.Navigate(demo))
	var live []visitorJSON
	eventually(t, "the visitor in the live list", browserStepTimeout, func() bool {
		live = th.liveVisitors(agent)
		return len(live) == 1 && live[0].Page == demo && live[0].Title == "Hôtel des Tests — Boutique hotel"
	})
	state := widgetState(visitor, channel)
	if live[0].ID != state.VisitorID || state.Token == "" {
		t.Fatalf("live visitor %s, the widget's storage says %+v", live[0].ID, state)
	}
	if eval[bool](visitor, "checking the panel", shadowJS(`return !q('hub-panel').hidden;`)) {
		t.Fatal("the panel opened on page load")
	}

	// Moving within the page is reported.
	visitor.do("following the Rooms link", chromedp.Click(chromedp.CSS(`nav a[href="#rooms"]`)))
	eventually(t, "the new address in the live list", browserStepTimeout, func() bool {
		live = th.liveVisitors(agent)
		return len(live) == 1 && live[0].Page == demo+"#rooms"
	})

	// The agent writes first.
	const hello = "Good morning! Our Suite d’Intégration is free tonight. Any question?"
	var conv convJSON
	th.must(201, "POST", "/api/v1/visitors/"+state.VisitorID+"/chat", agent, map[string]string{"channelId": channel, "text": hello}).json(t, &conv)
	visitor.waitFor("the panel, open with the agent's message", shadowJS(`return !q('hub-panel').hidden
		&& q('hub-panel').getClientRects().length > 0;`)+` && `+agentMessagesJS(hello))
	// It opened without taking the focus from the page.
	if f := eval[string](visitor, "reading the focus", `document.activeElement ? document.activeElement.tagName : ''`); f == "HUB-CHAT" {
		t.Error("the widget took the keyboard focus when the message opened it")
	}
	// The host page's hostile CSS does not reach the widget, nor the widget the page.
	styles := eval[struct{ Input, Transform, Body string }](visitor, "reading styles", shadowJS(`return {
		input: getComputedStyle(q('hub-input')).fontFamily,
		transform: getComputedStyle(q('hub-send')).textTransform,
		body: getComputedStyle(document.body).fontFamily};`))
	if strings.Contains(styles.Input, "Comic") || styles.Transform != "none" || !strings.Contains(styles.Body, "Georgia") {
		t.Errorf("styles leak: %+v", styles)
	}
	labels := eval[struct{ Launcher, Placeholder, Send, Lang string }](visitor, "reading labels", shadowJS(`return {
		launcher: q('hub-launcher').getAttribute('aria-label'), placeholder: q('hub-input').placeholder,
		send: q('hub-send').getAttribute('aria-label'), lang: root.querySelector('.root').lang};`))
	if labels.Launcher != "Open chat" || labels.Placeholder != "Write a message…" || labels.Send != "Send" || labels.Lang != "en" {
		t.Errorf("English labels: %+v", labels)
	}
	visitor.screenshot("widget.png")

	// The visitor answers from the widget.
	visitor.clickShadow("hub-input")
	visitor.do("typing an answer", chromedp.KeyEvent("Is breakfast included?"), pressEnter())
	visitor.waitFor("the answer, sent", shadowJS(`return qa('hub-message').some((m) => m.dataset.author === 'contact'
		&& m.dataset.state === 'sent' && m.querySelector('[data-testid=hub-message-state]').textContent === 'Sent');`))
	eventually(t, "the answer in the conversation", 10*time.Second, func() bool {
		msgs := th.messages(agent, conv.ID)
		return len(msgs) == 2 && msgs[1].Text == "Is breakfast included?"
	})

	// A reload keeps the visitor and the history.
	visitor.do("reloading", chromedp.Reload())
	visitor.waitFor("the history after the reload", agentMessagesJS(hello)+` && `+shadowJS(`return qa('hub-message').length === 2;`))
	if s := widgetState(visitor, channel); s.VisitorID != state.VisitorID {
		t.Fatalf("after a reload the visitor is %s, want %s", s.VisitorID, state.VisitorID)
	}

	// Away from the site: gone from the list. A message written meanwhile is
	// fetched (?after=) when they come back, and opens the panel.
	visitor.do("leaving the site", chromedp.Navigate("about:blank"))
	eventually(t, "the visitor gone from the list", browserStepTimeout, func() bool { return len(th.liveVisitors(agent)) == 0 })
	const later = "Yes, breakfast is included. See you tonight!"
	th.clock.Advance(time.Minute)
	th.must(201, "POST", "/api/v1/conversations/"+conv.ID+"/messages", agent, map[string]any{"text": later})
	visitor.do("coming back", chromedp.Navigate(demo))
	visitor.waitFor("the message written while away, once", agentMessagesJS(hello, later)+` && `+shadowJS(`return !q('hub-panel').hidden;`))
	if got := eval[int](visitor, "counting messages", shadowJS(`return qa('hub-message').length;`)); got != 3 {
		t.Errorf("%d messages in the widget, want 3", got)
	}
	eventually(t, "the visitor back in the list", browserStepTimeout, func() bool {
		live = th.liveVisitors(agent)
		return len(live) == 1 && live[0].ID == state.VisitorID && live[0].ConversationID == conv.ID
	})
	msgs, _ := visitor.consoleSince(0)
	if v := cspViolations(msgs); len(v) > 0 {
		t.Errorf("CSP violations:\n%s", strings.Join(v, "\n"))
	}
}

// TestBrowser_WidgetInFrenchAndMobile: a browser speaking French gets the
// widget in French (data-lang overrides it), it works with the keyboard
// alone, and on a 375 px wide phone the panel fills the screen; a message
// arriving there shows a badge and a preview instead of covering the page.
func TestBrowser_WidgetInFrenchAndMobile(t *testing.T) {
	th := startHub(t)
	browser := newBrowser(t)
	visitor := newTab(t, browser, "visitor")
	agent := th.login("admin@hotel.test", adminPassword)
	channel := th.demo.Channel.ID
	demo := th.base + "/demo?channel=" + url.QueryEscape(channel)

	ua := eval[string](visitor, "reading the user agent", `navigator.userAgent`)
	visitor.do("speaking French", chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ua, AcceptLanguage: "fr-FR,fr"})
		return err
	}))
	visitor.do("opening the demo page", chromedp.Navigate(demo))
	visitor.waitFor("the widget", shadowJS(`return !!q('hub-launcher');`))
	type labelSet struct{ Launcher, Placeholder, Send, Close, Welcome, Lang string }
	readLabels := func() labelSet {
		return eval[labelSet](visitor, "reading labels", shadowJS(`return {
			launcher: q('hub-launcher').getAttribute('aria-label'), placeholder: q('hub-input').placeholder,
			send: q('hub-send').getAttribute('aria-label'), close: q('hub-close').getAttribute('aria-label'),
			welcome: root.querySelector('.welcome').textContent, lang: root.querySelector('.root').lang};`))
	}
	french := labelSet{"Ouvrir la discussion", "Écrivez un message…", "Envoyer", "Fermer la discussion", "Bonjour\u00a0! Comment pouvons-nous vous aider\u00a0?", "fr"}
	if got := readLabels(); got != french {
		t.Fatalf("labels with a French browser:\n got %+v\nwant %+v", got, french)
	}

	// Keyboard only: Shift+Tab from the top of the page reaches the
	// launcher (the widget is last in the page), Enter opens the panel with
	// the focus in the message box, Escape closes it and gives the focus
	// back to the launcher, visibly.
	eval[chromedp.Void](visitor, "starting from the page", `void document.activeElement.blur()`)
	visitor.do("Shift+Tab", chromedp.KeyEvent("\t", chromedp.KeyModifiers(chromedp.ModifierShift)))
	visitor.waitFor("the launcher focused", shadowJS(`return root.activeElement === q('hub-launcher');`))
	visitor.do("Enter", chromedp.KeyEvent("\r"))
	visitor.waitFor("the panel open, the message box focused", shadowJS(`return !q('hub-panel').hidden && root.activeElement === q('hub-input');`))
	visitor.do("typing", chromedp.KeyEvent("bonjour"), pressEnter())
	visitor.waitFor("the message, sent (in French)", shadowJS(`return qa('hub-message').some((m) => m.dataset.author === 'contact'
		&& m.querySelector('[data-testid=hub-message-state]').textContent === 'Envoyé');`))
	visitor.do("Escape", chromedp.KeyEvent("\u001b"))
	visitor.waitFor("the panel closed, the launcher focused and outlined", shadowJS(`const l = q('hub-launcher');
		return q('hub-panel').hidden && root.activeElement === l && l.matches(':focus-visible')
			&& getComputedStyle(l).outlineStyle === 'solid';`))

	// data-lang on the script tag wins over the browser's language.
	visitor.do("opening the page in English", chromedp.Navigate(demo+"&lang=en"))
	visitor.waitFor("English labels", shadowJS(`return q('hub-launcher').getAttribute('aria-label') === 'Open chat'
		&& q('hub-input').placeholder === 'Write a message…' && root.querySelector('.root').lang === 'en';`))

	// A phone, 375 px wide, in French.
	visitor.do("becoming a phone", chromedp.EmulateViewport(375, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile), chromedp.Navigate(demo))
	visitor.waitFor("the history", shadowJS(`return q('hub-launcher').getAttribute('aria-label') === 'Ouvrir la discussion'
		&& qa('hub-message').length >= 1;`))
	if w := eval[int](visitor, "reading the width", `window.innerWidth`); w != 375 {
		t.Fatalf("viewport width %d, want 375", w)
	}

	// An agent writes: on a phone the panel stays closed; a badge and a
	// preview show instead, and the preview opens the chat.
	state := widgetState(visitor, channel)
	eventually(t, "the visitor in the live list", browserStepTimeout, func() bool {
		live := th.liveVisitors(agent)
		return len(live) == 1 && live[0].ID == state.VisitorID && live[0].Page == demo
	})
	const hello = "Bonjour ! Je suis Marie, de la réception. Je peux vous aider ?"
	th.clock.Advance(time.Minute)
	th.must(201, "POST", "/api/v1/visitors/"+state.VisitorID+"/chat", agent, map[string]string{"channelId": channel, "text": hello})
	visitor.waitFor("the badge and the preview", shadowJS(`return q('hub-panel').hidden && !q('hub-unread').hidden
		&& q('hub-unread').textContent === '1' && !q('hub-teaser').hidden
		&& q('hub-teaser').textContent.includes(`+jsString(hello)+`)
		&& q('hub-launcher').getAttribute('aria-label') === 'Ouvrir la discussion, 1 non lu(s)';`))
	visitor.clickShadow("hub-teaser")
	visitor.waitFor("the panel, full screen", shadowJS(`const r = q('hub-panel').getBoundingClientRect();
		return !q('hub-panel').hidden && r.left === 0 && r.top === 0
			&& r.width === window.innerWidth && r.height === window.innerHeight
			&& q('hub-launcher').getClientRects().length === 0;`)+` && `+agentMessagesJS(hello))
	visitor.screenshot("widget-mobile.png")
	visitor.clickShadow("hub-close")
	visitor.waitFor("the panel closed, the launcher back", shadowJS(`return q('hub-panel').hidden && q('hub-launcher').getClientRects().length > 0;`))
}
