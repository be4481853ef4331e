package hub_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// An agent attaches a picture with the paperclip and sends it without
// text: the chip shows, then the image shows inline from its public link.
func TestBrowser_UploadAttachmentInline(t *testing.T) {
	th := startHub(t)
	pic := filepath.Join(t.TempDir(), "room.png")
	if err := os.WriteFile(pic, tinyPNG(t), 0o600); err != nil {
		t.Fatal(err)
	}
	browser := newBrowser(t)
	agent := newTab(t, browser, "agent")
	signIn(agent, th.base)
	agent.do("choosing the Open tab", chromedp.Click(testID("tab-open")))
	// Asking for a person takes the conversation from the bot to Open.
	convID := th.newVisitor(th.demo.Channel.ID).say("je voudrais parler à un humain").ConversationID
	agent.waitFor("the conversation row", `document.querySelector(`+jsString(string(rowSelector(convID)))+`)`)
	agent.do("opening it", chromedp.Click(rowSelector(convID)))
	agent.waitFor("the attach button", `document.querySelector('[data-testid=attach]').getAttribute('aria-label') !== ''`)
	agent.do("choosing the picture", chromedp.SetUploadFiles(testID("attach-input"), []string{pic}))
	agent.waitFor("the chip", `(() => {
		const chip = document.querySelector('[data-testid=attachment-chip]');
		return chip && chip.textContent.includes('room.png') && chip.querySelector('[data-testid=attachment-remove]');
	})()`)
	agent.do("sending", chromedp.Click(testID("send")))
	agent.waitFor("the image inline from its public link", `(() => {
		const img = document.querySelector('[data-testid=message][data-author=agent] [data-testid=attachment-image]');
		return img && new URL(img.src).pathname.startsWith('/files/') && img.complete && img.naturalWidth === 2;
	})()`)
	agent.waitFor("the chips cleared", `!document.querySelector('[data-testid=attachment-chip]')`)
}
