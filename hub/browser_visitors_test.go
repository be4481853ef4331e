package hub_test

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowser_AgentSeesLiveVisitorsAndStartsAChat: a visitor browses the
// demo site; the agent opens Visitors, sees the page, starts a chat from
// the list, and the message opens in the visitor's widget.
func TestBrowser_AgentSeesLiveVisitorsAndStartsAChat(t *testing.T) {
	th := startHub(t)
	browser := newBrowser(t)
	visitor := newTab(t, browser, "visitor")
	agent := newTab(t, browser, "agent")
	demo := th.base + "/demo?channel=" + url.QueryEscape(th.demo.Channel.ID)
	visitor.do("opening the demo page", chromedp.Navigate(demo))

	signIn(agent, th.base)
	agent.do("opening Visitors", chromedp.Click(testID("nav-visitors")))
	agent.waitFor("the visitor's row with the page", `[...document.querySelectorAll('[data-testid=visitor-row] .visitor-url')]
		.some((e) => e.textContent === `+jsString(demo)+`)`)
	agent.do("starting a chat", chromedp.Click(testID("visitor-chat")), chromedp.WaitVisible(testID("visitor-message")))
	const hello = "Bonjour ! Une chambre avec vue ce soir ?"
	agent.do("writing and sending", chromedp.SendKeys(testID("visitor-message"), hello), chromedp.Click(testID("visitor-send")))
	agent.waitFor("the conversation opened in the inbox", `[...document.querySelectorAll('[data-testid=message][data-author=agent] [data-testid=message-text]')]
		.some((e) => e.textContent === `+jsString(hello)+`)`)
	visitor.waitFor("the message in the widget", agentMessagesJS(hello))
}
