package hub_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowser_WidgetVisitorTalksToBotAndAgent drives real Chromium: a
// visitor on the demo hotel page chats with the bot, asks for a person, and
// an agent in the inbox takes the conversation, answers and closes it.
func TestBrowser_WidgetVisitorTalksToBotAndAgent(t *testing.T) {
	th := startHub(t)
	browser := newBrowser(t)
	agent := newTab(t, browser, "agent")
	visitor := newTab(t, browser, "visitor")
	apiToken := th.login("admin@hotel.test", adminPassword)
	th.must(201, "POST", "/api/v1/canned", apiToken, map[string]string{
		"shortcut": "chambre", "text": "Bienvenue au {{workspace.name}} ! Je suis Marie, votre chambre 12 est prête.",
	})

	// The agent signs in with the form and watches the Open tab, live.
	signIn(agent, th.base)
	agent.do("choosing the Open tab", chromedp.Click(testID("tab-open")))
	agent.waitFor("the Open tab, loaded and empty", `document.querySelector('[data-testid=tab-open]').getAttribute('aria-selected') === 'true'
		&& document.querySelector('[data-testid=conv-list]').getAttribute('aria-busy') === 'false'
		&& document.querySelectorAll('[data-testid=conv-row]').length === 0`)

	// The visitor opens the widget on the demo page and says hello.
	visitor.do("opening the demo page", chromedp.Navigate(th.base+"/demo?channel="+url.QueryEscape(th.demo.Channel.ID)))
	visitor.clickShadow("hub-launcher")
	visitor.waitFor("the chat panel", shadowJS(`return !q('hub-panel').hidden && q('hub-panel').getClientRects().length > 0;`))
	visitor.clickShadow("hub-input")
	visitor.do("typing hello", chromedp.KeyEvent("hello"))
	visitor.clickShadow("hub-send") // focus stays in the input for what follows
	visitor.waitFor("the bot's answer", shadowJS(`return qa('hub-message').some((m) => m.dataset.author === 'bot'
		&& m.querySelector('.bubble').textContent.trim() !== '');`))
	if in := eval[string](visitor, "reading the input", shadowJS(`return q('hub-input').value;`)); in != "" {
		t.Errorf("widget input after sending = %q, want it empty", in)
	}

	// Asking for a person hands the conversation to the agents. (The hub's
	// clock is manual: each turn moves it on, as a real conversation would.)
	th.clock.Advance(time.Second)
	visitor.do("typing the request", chromedp.KeyEvent("je voudrais parler à un humain"))
	asked := time.Now()
	visitor.do("sending it", pressEnter())

	// It shows up in the agent's Open tab without a reload, within a second.
	agent.waitFor("the conversation in the Open tab", `document.querySelector('[data-testid=conv-row][data-status=open]')`)
	if took := time.Since(asked); took > time.Second {
		t.Errorf("the customer's message reached the agent's list after %s, want within 1 s", took)
	} else {
		t.Logf("the customer's message reached the agent's list in %s", took)
	}
	visitor.waitFor("the request, sent", shadowJS(`return qa('hub-message').some((m) => m.dataset.author === 'contact'
		&& m.dataset.state === 'sent' && m.querySelector('.bubble').textContent === 'je voudrais parler à un humain');`))
	convID := eval[string](agent, "reading the row", `document.querySelector('[data-testid=conv-row][data-status=open]').dataset.id`)
	if c := th.conversation(apiToken, convID); c.Status != "open" || c.Channel.ID != th.demo.Channel.ID {
		t.Fatalf("row %s: server says %+v, want an open web chat conversation", convID, c)
	}
	row := chromedp.CSS(fmt.Sprintf(`[data-testid=conv-row][data-id=%q]`, convID))
	agent.do("opening the conversation", chromedp.Click(row))
	agent.waitFor("the visitor's messages", `[...document.querySelectorAll('[data-testid=message][data-author=contact] [data-testid=message-text]')]
		.map((e) => e.textContent).join('|') === 'hello|je voudrais parler à un humain'`)

	// The agent takes it and answers with Enter.
	agent.do("assigning it", chromedp.Click(testID("action-assign")))
	agent.waitFor("the conversation, assigned", `!document.querySelector('[data-testid=action-assign]')
		&& document.querySelector('[data-testid=action-release]')`)
	if c := th.conversation(apiToken, convID); c.AssigneeID == "" {
		t.Fatalf("after assign: %+v, want an assignee", c)
	}
	// The answer is a canned one (created up front), picked with "#" and
	// its variables filled.
	const reply = "Bienvenue au Demo Hotel ! Je suis Marie, votre chambre 12 est prête."
	th.clock.Advance(time.Second)
	agent.do("typing # and the start of the shortcut", chromedp.SendKeys(testID("composer"), "#cham"))
	agent.waitFor("the canned answer in the picker", `[...document.querySelectorAll('[data-testid=canned-item]')].length === 1`)
	agent.do("picking it", pressEnter())
	agent.waitFor("the filled answer in the composer", `document.querySelector('[data-testid=composer]').value === `+jsString(reply))
	// An impatient second Enter must not send it twice.
	agent.do("sending the reply", pressEnter(), pressEnter())
	agent.waitFor("the reply in the agent's list, the composer emptied", jsTexts(`[data-testid=message][data-author=agent] [data-testid=message-text]`)+`.includes(`+jsString(reply)+`)
		&& document.querySelector('[data-testid=composer]').value === ''`)

	// The visitor sees exactly that text from the agent.
	visitor.waitFor("the agent's reply", shadowJS(`return qa('hub-message').some((m) => m.dataset.author === 'agent'
		&& m.querySelector('.bubble').textContent === `+jsString(reply)+`);`))

	// Markup from the visitor stays text for the agent: no element, no script.
	const markup = `<img src=x onerror=alert(1)>`
	th.clock.Advance(time.Second)
	visitor.do("sending markup", chromedp.KeyEvent(markup), pressEnter())
	agent.waitFor("the markup, shown as text", jsTexts(`[data-testid=message][data-author=contact] [data-testid=message-text]`)+`.includes(`+jsString(markup)+`)`)
	if n := eval[int](agent, "counting images", `document.querySelectorAll('[data-testid=messages] img, [data-testid=conv-list] img').length`); n != 0 {
		t.Errorf("agent page: %d <img> elements in the messages and list, want none", n)
	}
	if n := eval[int](visitor, "counting images", shadowJS(`return root.querySelectorAll('img').length;`)); n != 0 {
		t.Errorf("widget: %d <img> elements, want none", n)
	}
	// Both sides show the whole conversation in order.
	want := []string{
		"contact: hello", "bot: …", "contact: je voudrais parler à un humain", "bot: …",
		"agent: " + reply, "contact: " + markup,
	}
	if got := eval[[]string](agent, "reading the messages", `[...document.querySelectorAll('[data-testid=message]')]
		.map((m) => m.dataset.author + ': ' + (m.dataset.author === 'bot' ? '…' : m.querySelector('[data-testid=message-text]').textContent))`); !slices.Equal(got, want) {
		t.Errorf("agent's messages:\n got %q\nwant %q", got, want)
	}
	visitor.waitFor("the markup, sent", shadowJS(`return qa('hub-message').every((m) => m.dataset.state === 'sent');`))
	if got := eval[[]string](visitor, "reading the messages", shadowJS(`return qa('hub-message')
		.map((m) => m.dataset.author + ': ' + (m.dataset.author === 'bot' ? '…' : m.querySelector('.bubble').textContent));`)); !slices.Equal(got, want) {
		t.Errorf("visitor's messages:\n got %q\nwant %q", got, want)
	}
	agent.waitFor("the markup as the row's last message", `document.querySelector('[data-testid=conv-row][data-id=`+jsString(convID)+`] [data-testid=conv-last]').textContent === `+jsString(markup))

	// The agent closes it with a wrap-up.
	agent.do("opening the close dialog", chromedp.Click(testID("action-close")), chromedp.WaitVisible(testID("dialog-close")))
	agent.do("closing", chromedp.SetValue(testID("close-mood"), "satisfied"), chromedp.Click(testID("close-submit")))
	agent.waitFor("the closed status, out of the Open tab", `document.querySelector('[data-testid=conv-status]').dataset.status === 'closed'
		&& !document.querySelector('[data-testid=dialog-close]').open
		&& !document.querySelector('[data-testid=conv-row][data-id=`+jsString(convID)+`]')`)
	if c := th.conversation(apiToken, convID); c.Status != "closed" || c.WrapUp == nil || c.WrapUp.Mood != "satisfied" {
		t.Errorf("after close: %+v, want closed with mood satisfied", c)
	}

	// The survey shows as stars in the widget; the fourth star rates 4.
	visitor.waitFor("the survey stars", shadowJS(`return qa('hub-star').length === 5;`))
	eval[bool](visitor, "clicking the fourth star", shadowJS(`qa('hub-star')[3].click(); return true;`))
	eventually(t, "the rating stored", 10*time.Second, func() bool {
		var conv struct {
			Status string
			CSAT   *struct{ Score int } `json:"csat"`
		}
		th.must(200, "GET", "/api/v1/conversations/"+convID, apiToken, nil).json(t, &conv)
		return conv.Status == "closed" && conv.CSAT != nil && conv.CSAT.Score == 4
	})
	// The score shows in Reports.
	agent.do("opening Reports", chromedp.Click(testID("nav-reports")))
	agent.waitFor("the admin's CSAT in the agent table", `[...document.querySelectorAll('[data-testid=report-row]')]
		.some((r) => parseFloat(r.querySelector('[data-testid=report-csat]').textContent.replace(',', '.')) === 4
			&& r.querySelector('[data-testid=report-csat-count]').textContent.trim() === '1')`)

	// No dialog opened; a deliberate alert proves they are being watched.
	eval[chromedp.Void](agent, "raising the canary alert", `void setTimeout(() => alert('dialog canary'), 0)`)
	agent.waitForDialog("dialog canary")
	for _, tb := range []*tab{agent, visitor} {
		d := slices.DeleteFunc(tb.dialogsOpened(), func(d string) bool { return d == "alert: dialog canary" })
		if len(d) > 0 {
			t.Errorf("%s tab: JavaScript dialogs opened: %q", tb.name, d)
		}
		msgs, _ := tb.consoleSince(0)
		if v := cspViolations(msgs); len(v) > 0 {
			t.Errorf("%s tab: CSP violations:\n%s", tb.name, strings.Join(v, "\n"))
		}
	}
}

// TestBrowser_PagesHaveNoCSPViolations loads the inbox and the demo page
// under the hub's Content-Security-Policy, uses them a little, and checks the
// console has no violation. A deliberate violation at the end of each page
// proves the console is really being read.
func TestBrowser_PagesHaveNoCSPViolations(t *testing.T) {
	th := startHub(t)
	browser := newBrowser(t)
	tb := newTab(t, browser, "page")

	checkPage := func(page string, use func()) {
		t.Helper()
		_, from := tb.consoleSince(0)
		use()
		// The canary: an image from a host the CSP does not allow.
		const canary = "http://csp-canary.invalid/canary.png"
		eval[chromedp.Void](tb, "adding the canary", `void (new Image().src = `+jsString(canary)+`)`)
		tb.waitForConsole(page+": the canary's CSP violation", from, func(m chromedp.ConsoleMessage) bool {
			return strings.Contains(m.Text, "Content Security Policy") && strings.Contains(m.Text, canary)
		})
		msgs, _ := tb.consoleSince(from)
		var real []chromedp.ConsoleMessage
		for _, m := range msgs {
			if !strings.Contains(m.Text, canary) {
				real = append(real, m)
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				t.Logf("%s: console: %s (%s)", page, m, m.URL)
			}
		}
		if v := cspViolations(real); len(v) > 0 {
			t.Errorf("%s: CSP violations:\n%s", page, strings.Join(v, "\n"))
		}
	}

	checkPage("/", func() {
		signIn(tb, th.base)
		tb.waitFor("the list, loaded", `document.querySelector('[data-testid=conv-list]').getAttribute('aria-busy') === 'false'`)
	})
	checkPage("/demo", func() {
		tb.do("opening the demo page", chromedp.Navigate(th.base+"/demo?channel="+url.QueryEscape(th.demo.Channel.ID)))
		tb.clickShadow("hub-launcher")
		tb.clickShadow("hub-input")
		tb.do("typing hello", chromedp.KeyEvent("hello"), pressEnter())
		tb.waitFor("the bot's answer", shadowJS(`return qa('hub-message').some((m) => m.dataset.author === 'bot');`))
	})
}

// signIn opens the inbox and signs in as the demo admin with the form.
func signIn(tb *tab, base string) {
	tb.t.Helper()
	tb.do("opening the inbox", chromedp.Navigate(base+"/"), chromedp.WaitVisible(testID("login-email")))
	tb.do("signing in",
		chromedp.SendKeys(testID("login-email"), "admin@hotel.test"),
		chromedp.SendKeys(testID("login-password"), adminPassword),
		chromedp.Click(testID("login-submit")),
		chromedp.WaitVisible(testID("tab-open")),
	)
	tb.waitFor("the live feed", `document.querySelector('[data-testid=ws-status]').dataset.state === 'online'`)
}
