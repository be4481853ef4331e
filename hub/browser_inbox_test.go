package hub_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowser_CannedAnswerAndSnoozeRelease: the agent answers with a canned
// answer picked with "#" and the keyboard, snoozes the conversation for an
// hour from the UI, and sees it come back to the Open tab live when the
// hold is released.
func TestBrowser_CannedAnswerAndSnoozeRelease(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	th.must(201, "POST", "/api/v1/canned", admin, map[string]string{
		"shortcut": "wifi", "text": "Hello {{contact.name}}, the Wi-Fi code is on your key card.",
	})
	th.must(201, "POST", "/api/v1/canned", admin, map[string]string{
		"shortcut": "breakfast", "text": "Breakfast is served from 7:00 to 10:30.",
	})
	browser := newBrowser(t)
	agent := newTab(t, browser, "agent")
	signIn(agent, th.base)
	agent.do("choosing the Open tab", chromedp.Click(testID("tab-open")))
	agent.waitFor("the Open tab, loaded and empty", `document.querySelector('[data-testid=tab-open]').getAttribute('aria-selected') === 'true'
		&& document.querySelector('[data-testid=conv-list]').getAttribute('aria-busy') === 'false'
		&& document.querySelectorAll('[data-testid=conv-row]').length === 0
		&& document.querySelector('[data-testid=count-open]').textContent === '0'`)

	// A visitor asks for a person: a yellow (unassigned), red (awaiting)
	// row appears live, and the Open count goes up.
	v := th.newVisitor(th.demo.Channel.ID)
	convID := v.sayAs("Claire Dubois", "je voudrais parler à un humain").ConversationID
	row := `document.querySelector('[data-testid=conv-row][data-id=` + jsString(convID) + `]')`
	agent.waitFor("the new conversation, highlighted", row+`.dataset.unassigned === 'true' && `+row+`.dataset.awaiting === 'true'
		&& document.querySelector('[data-testid=count-open]').textContent === '1'`)

	agent.do("opening it", chromedp.Click(rowSelector(convID)))
	agent.waitFor("the conversation and its contact panel", `document.querySelector('[data-testid=conv-title]').textContent === 'Claire Dubois'
		&& document.querySelector('[data-testid=contact-name]').textContent === 'Claire Dubois'
		&& document.querySelector('[data-testid=awaiting-timer]')`)
	agent.do("assigning it", chromedp.Click(testID("action-assign")))
	agent.waitFor("the conversation, mine", `!document.querySelector('[data-testid=action-assign]') && document.querySelector('[data-testid=action-release]')
		&& `+row+`.dataset.unassigned === 'false'`)

	// "#wi" opens the picker on the Wi-Fi answer, filled for Claire; Enter
	// inserts it, a second Enter sends it.
	var canned struct {
		Items []struct{ Shortcut, Filled string }
	}
	th.must(200, "GET", "/api/v1/canned?conversationId="+convID, admin, nil).json(t, &canned)
	filled := ""
	for _, c := range canned.Items {
		if c.Shortcut == "wifi" {
			filled = c.Filled
		}
	}
	if filled != "Hello Claire Dubois, the Wi-Fi code is on your key card." {
		t.Fatalf("filled canned answer = %q", filled)
	}
	agent.do("typing #wi", chromedp.SendKeys(testID("composer"), "#wi"))
	agent.waitFor("the picker with the Wi-Fi answer only", `(() => {
		const picker = document.querySelector('[data-testid=canned-picker]');
		const items = [...document.querySelectorAll('[data-testid=canned-item]')];
		return !picker.hidden && items.length === 1 && items[0].dataset.shortcut === 'wifi'
			&& items[0].getAttribute('aria-selected') === 'true'
			&& document.querySelector('[data-testid=composer]').getAttribute('aria-expanded') === 'true';
	})()`)
	agent.do("picking it with Enter", pressEnter())
	agent.waitFor("the filled answer in the composer", `document.querySelector('[data-testid=canned-picker]').hidden
		&& document.querySelector('[data-testid=composer]').value === `+jsString(filled))
	th.clock.Advance(time.Second)
	agent.do("sending it", pressEnter())
	agent.waitFor("the reply in the conversation", jsTexts(`[data-testid=message][data-author=agent] [data-testid=message-text]`)+`.includes(`+jsString(filled)+`)
		&& document.querySelector('[data-testid=composer]').value === ''
		&& !document.querySelector('[data-testid=awaiting-timer]')`)
	if !slices.ContainsFunc(th.messages(admin, convID), func(m msgJSON) bool {
		return m.Author.Type == "agent" && m.Text == filled && !m.Private
	}) {
		t.Fatalf("the API does not show the agent's reply %q", filled)
	}

	// Escape closes the picker without inserting anything.
	agent.do("typing #break", chromedp.SendKeys(testID("composer"), "#break"))
	agent.waitFor("the picker", `!document.querySelector('[data-testid=canned-picker]').hidden`)
	agent.do("closing it", chromedp.KeyEvent(kb.Escape))
	agent.waitFor("the picker closed, the text kept", `document.querySelector('[data-testid=canned-picker]').hidden
		&& document.querySelector('[data-testid=composer]').value === '#break'`)
	eval[chromedp.Void](agent, "clearing the composer", `void (document.querySelector('[data-testid=composer]').value = '')`)

	// Snooze for an hour: the row leaves Open, the conversation is pending.
	agent.do("opening the snooze dialog", chromedp.Click(testID("action-snooze")), chromedp.WaitVisible(testID("dialog-snooze")))
	agent.do("choosing 1 hour", chromedp.Click(testID("snooze-1h")))
	agent.waitFor("the row out of Open, the conversation pending", `!document.querySelector('[data-testid=dialog-snooze]').open
		&& !`+row+`
		&& document.querySelector('[data-testid=conv-status]').dataset.status === 'pending'
		&& document.querySelector('[data-testid=count-open]').textContent === '0'
		&& document.querySelector('[data-testid=count-pending]').textContent === '1'`)
	c := th.conversation(admin, convID)
	if c.Status != "pending" || c.SnoozedUntil == nil || !c.SnoozedUntil.Equal(th.clock.Now().Add(time.Hour)) {
		t.Fatalf("after snooze: %+v, want pending until %s", c, th.clock.Now().Add(time.Hour))
	}
	agent.do("choosing the Pending tab", chromedp.Click(testID("tab-pending")))
	agent.waitFor("the row in Pending", row+` && `+row+`.dataset.status === 'pending'`)
	agent.do("back to the Open tab", chromedp.Click(testID("tab-open")))
	agent.waitFor("Open, without it", `document.querySelector('[data-testid=conv-list]').getAttribute('aria-busy') === 'false' && !`+row)

	// The hour passes: the hold is released and the row comes back live.
	th.clock.Advance(61 * time.Minute)
	if _, err := th.hub.Service().ReleaseDueHolds(context.Background()); err != nil {
		t.Fatal(err)
	}
	agent.waitFor("the row back in Open, live", row+` && `+row+`.dataset.status === 'open'
		&& document.querySelector('[data-testid=conv-status]').dataset.status === 'open'
		&& document.querySelector('[data-testid=count-open]').textContent === '1'
		&& document.querySelector('[data-testid=count-pending]').textContent === '0'`)
	agent.waitFor("the back-from-hold notice", jsTexts(`[data-testid=toast]`)+`.some((s) => s.includes('Claire Dubois'))`)
	c = th.conversation(admin, convID)
	if c.Status != "open" {
		t.Fatalf("after the release: %+v", c)
	}

	// The contact panel keeps details about Claire for the team.
	agent.do("filling in the contact", chromedp.SendKeys(testID("contact-email"), "claire@example.com"),
		chromedp.SendKeys(testID("contact-notes"), "Allergic to feathers: synthetic pillows."),
		chromedp.Click(testID("contact-save")))
	agent.waitFor("the contact saved", `document.querySelector('[data-testid=contact-status]').textContent === 'Saved.'`)
	var contact struct{ Email, Phone, Notes string }
	th.must(200, "GET", "/api/v1/contacts/"+c.Contact.ID, admin, nil).json(t, &contact)
	if contact.Email != "claire@example.com" || contact.Notes != "Allergic to feathers: synthetic pillows." {
		t.Fatalf("contact after saving: %+v", contact)
	}

	// Spam asks first (no browser confirm): cancelling changes nothing.
	agent.do("asking to mark it as spam", chromedp.Click(testID("action-spam")), chromedp.WaitVisible(testID("dialog-spam")))
	agent.do("cancelling", chromedp.Click(testID("spam-cancel")))
	agent.waitFor("the dialog closed", `!document.querySelector('[data-testid=dialog-spam]').open`)
	if c := th.conversation(admin, convID); c.Status != "open" {
		t.Fatalf("after cancelling spam: %+v", c)
	}
	checkCleanConsole(t, agent)
}

// TestBrowser_OfferBannerAcceptsWithCountdown: with automatic routing an
// available agent gets a banner with a countdown; letting it ring makes
// them "rona" (a notice with a button to come back), and the next offer is
// accepted from the banner.
func TestBrowser_OfferBannerAcceptsWithCountdown(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	th.must(200, "PATCH", "/api/v1/settings", admin, map[string]any{"routingMode": "auto", "offerTimeoutSeconds": 30})
	var me struct{ Agent struct{ ID string } }
	th.must(200, "GET", "/api/v1/auth/me", admin, nil).json(t, &me)
	adminID := me.Agent.ID

	browser := newBrowser(t)
	agent := newTab(t, browser, "agent")
	signIn(agent, th.base)
	// Opening the inbox made the agent available; the switch says so.
	agent.waitFor("the status switch, available", `document.querySelector('[data-testid=presence]').dataset.status === 'available'
		&& document.querySelector('[data-testid=status-available]').getAttribute('aria-pressed') === 'true'`)
	agent.do("going away", chromedp.Click(testID("status-away")))
	agent.waitFor("the switch, away", `document.querySelector('[data-testid=presence]').dataset.status === 'away'`)
	eventually(t, "the agent away on the server", 5*time.Second, func() bool { return th.statusOf(admin, adminID) == "away" })
	agent.do("coming back", chromedp.Click(testID("status-available")))
	eventually(t, "the agent available on the server", 5*time.Second, func() bool { return th.statusOf(admin, adminID) == "available" })

	// A handoff is offered to the agent: a banner with a running countdown.
	v := th.newVisitor(th.demo.Channel.ID)
	convID := v.sayAs("Paul Martin", "je voudrais parler à un humain").ConversationID
	banner := `document.querySelector('[data-testid=offer-banner][data-id=` + jsString(convID) + `]')`
	agent.waitFor("the offer banner", banner+` && `+banner+`.dataset.kind === 'route'
		&& `+banner+`.textContent.includes('Paul Martin')`)
	countdown := func(what string) string {
		agent.waitFor(what, banner+` && /^0:[0-3][0-9]$/.test(`+banner+`.querySelector('[data-testid=offer-countdown]').textContent)`)
		return eval[string](agent, "reading the countdown", banner+`.querySelector('[data-testid=offer-countdown]').textContent`)
	}
	first := countdown("a countdown")
	if first < "0:25" || first > "0:30" {
		t.Errorf("countdown %q, want about 0:30 at first", first)
	}
	agent.waitFor("the countdown running", banner+`.querySelector('[data-testid=offer-countdown]').textContent < `+jsString(first))

	// Letting it ring: the offer goes, the agent is "rona".
	th.clock.Advance(31 * time.Second)
	agent.waitFor("the banner gone, the RONA notice", `!`+banner+`
		&& !document.querySelector('[data-testid=rona-notice]').hidden
		&& document.querySelector('[data-testid=presence]').dataset.status === 'rona'`)
	if st := th.statusOf(admin, adminID); st != "rona" {
		t.Fatalf("agent status %q, want rona", st)
	}

	// "Become available": the conversation is offered again, and accepted.
	agent.do("becoming available", chromedp.Click(testID("rona-available")))
	agent.waitFor("the notice gone and a new offer", `document.querySelector('[data-testid=rona-notice]').hidden && `+banner)
	countdown("the new offer's countdown")
	agent.do("accepting", chromedp.Click(fmt.Sprintf(`[data-testid=offer-banner][data-id=%q] [data-testid=offer-accept]`, convID)))
	agent.waitFor("the conversation, accepted and open", `!`+banner+`
		&& document.querySelector('[data-testid=conv-title]').textContent === 'Paul Martin'
		&& document.querySelector('[data-testid=action-release]')
		&& document.querySelector('[data-testid=conv-row][data-id=`+jsString(convID)+`]').dataset.unassigned === 'false'`)
	if o := th.offerOf(admin, convID); o.AssigneeID != adminID || o.Offer != nil {
		t.Fatalf("after accepting: %+v, want assigned to %s with no offer", o, adminID)
	}
	checkCleanConsole(t, agent)
}

// TestBrowser_SMSAttachmentsDeliveryAndOptOut: an MMS shows its image
// inline (loaded through the hub with the session cookie) and its file as
// a link; the agent's reply shows its delivery state live, with the
// provider's error when it fails; after STOP the composer takes notes only.
func TestBrowser_SMSAttachmentsDeliveryAndOptOut(t *testing.T) {
	th, admin, tw, ch := smsSetup(t)
	hook := "/hooks/sms/" + ch.ID
	browser := newBrowser(t)
	agent := newTab(t, browser, "agent")
	signIn(agent, th.base)

	form := inboundSMS("SM50", "+33655555555", "Here is my car and the booking")
	form.Set("NumMedia", "2")
	form.Set("MediaUrl0", th.twilioMediaURL(ch, "ME1"))
	form.Set("MediaContentType0", "image/jpeg")
	form.Set("MediaUrl1", th.twilioMediaURL(ch, "ME2"))
	form.Set("MediaContentType1", "application/pdf")
	if r := th.twilioPost(hook, twilioToken, form, false); r.status != 200 {
		t.Fatalf("mms: %d %s", r.status, r.body)
	}
	conv, _ := th.conversationOf(admin, ch.ID, "+33655555555")
	agent.waitFor("the SMS row", `document.querySelector('[data-testid=conv-row][data-id=`+jsString(conv.ID)+`] [data-testid=conv-channel]').dataset.channel === 'sms'`)
	agent.do("opening it", chromedp.Click(rowSelector(conv.ID)))
	prefix := "/api/v1/conversations/" + conv.ID + "/messages/"
	agent.waitFor("the image inline and the file as a link", `(() => {
		const img = document.querySelector('[data-testid=attachment][data-kind=image] img');
		const file = document.querySelector('[data-testid=attachment][data-kind=file]');
		return img && new URL(img.src).pathname.startsWith(`+jsString(prefix)+`) && img.src.endsWith('/attachments/0')
			&& file && new URL(file.href).pathname.startsWith(`+jsString(prefix)+`) && file.href.endsWith('/attachments/1');
	})()`)
	eval[chromedp.Void](agent, "fetching the image as the page does", `void fetch(document.querySelector('[data-testid=attachment][data-kind=image] img').src, {credentials: 'same-origin'})
		.then((r) => r.ok ? r.text() : 'status ' + r.status).then((b) => { window.fetchedImage = b; })`)
	agent.waitFor("the image's bytes", `typeof window.fetchedImage === 'string'`)
	if body := eval[string](agent, "reading them", `window.fetchedImage`); body != "JPEG-BYTES-ME1" {
		t.Fatalf("the image through the hub: %q", body)
	}
	agent.waitFor("the number as the title and handle", `document.querySelector('[data-testid=conv-title]').textContent === '+33655555555'
		&& document.querySelector('[data-testid=contact-handle]').textContent === '+33655555555'`)

	// The reply: sent, then failed with the provider's error, live.
	agent.do("assigning", chromedp.Click(testID("action-assign")))
	agent.waitFor("assigned", `document.querySelector('[data-testid=action-release]')`)
	agent.do("replying", chromedp.SendKeys(testID("composer"), "Thanks, your car is registered."), pressEnter())
	reply := `document.querySelector('[data-testid=message][data-author=agent] [data-testid=message-delivery]')`
	agent.waitFor("the reply, sent", reply+` && `+reply+`.dataset.delivery === 'sent'`)
	eventually(t, "the reply at the fake Twilio", 10*time.Second, func() bool { return len(tw.messages()) == 1 })
	path := strings.TrimPrefix(tw.messages()[0].Get("StatusCallback"), th.base)
	failed := url.Values{"MessageSid": {"SM00000000000000000000000000000001"}, "AccountSid": {twilioSID}, "MessageStatus": {"undelivered"}, "ErrorCode": {"30003"}}
	if r := th.twilioPost(path, twilioToken, failed, false); r.status != 200 {
		t.Fatalf("status callback: %d %s", r.status, r.body)
	}
	agent.waitFor("the failure and its reason", reply+`.dataset.delivery === 'failed'
		&& document.querySelector('[data-testid=message-delivery-error]').textContent.includes('30003')
		&& `+reply+`.title.includes('30003')`)

	// STOP: opted out, notes only.
	if r := th.twilioPost(hook, twilioToken, inboundSMS("SM51", "+33655555555", "STOP"), false); r.status != 200 {
		t.Fatalf("STOP: %d %s", r.status, r.body)
	}
	agent.waitFor("the opted-out badges and a notes-only composer", `document.querySelector('[data-testid=conv-opted-out]')
		&& !document.querySelector('[data-testid=contact-opted-out]').hidden
		&& !document.querySelector('[data-testid=composer-notice]').hidden
		&& document.querySelector('[data-testid=private-toggle]').checked
		&& document.querySelector('[data-testid=private-toggle]').disabled`)
	agent.do("writing a note", chromedp.SendKeys(testID("composer"), "Guest opted out, call the room instead."), pressEnter())
	agent.waitFor("the note", `[...document.querySelectorAll('[data-testid=message][data-private=true] [data-testid=message-text]')]
		.some((e) => e.textContent === 'Guest opted out, call the room instead.')`)
	checkCleanConsole(t, agent)
}

// TestBrowser_InboxScreenshots stages a busy morning at the hotel and
// writes docs/screenshots/inbox.png and conversation.png (1280×800).
func TestBrowser_InboxScreenshots(t *testing.T) {
	th := startHub(t)
	admin := th.login("admin@hotel.test", adminPassword)
	s := stageMorning(t, th, admin)

	browser := newBrowser(t)
	agent := newTab(t, browser, "agent")
	agent.do("sizing the window", chromedp.EmulateViewport(1280, 800))
	signIn(agent, th.base)
	agent.do("choosing the Open tab", chromedp.Click(testID("tab-open")))
	agent.waitFor("the rows", `document.querySelectorAll('[data-testid=conv-row]').length >= 4
		&& document.querySelector('[data-testid=conv-list]').getAttribute('aria-busy') === 'false'`)

	// A new guest asks for a person; Marie hands Jonas over (an offer with
	// its countdown) and says why in the team chat.
	th.clock.Advance(time.Minute)
	th.newVisitor(th.demo.Channel.ID).sayAs("Lena Hoffmann", "Bonjour, je voudrais parler à quelqu'un pour une réservation de groupe")
	agent.waitFor("the live row", jsTexts(`[data-testid=conv-contact]`)+`.includes('Lena Hoffmann')`)
	th.action(s.marieToken, s.jonas, "transfer", map[string]string{"agentId": s.adminID})
	agent.waitFor("the transfer banner", `document.querySelector('[data-testid=offer-banner][data-kind=transfer]')`)
	th.must(201, "POST", "/api/v1/chat/rooms/team:"+s.teamID+"/messages", s.marieToken, map[string]string{"text": "The breakfast room closes at 10:00 today (wedding brunch)."})
	th.must(201, "POST", "/api/v1/chat/rooms/"+directRoom(s.adminID, s.marieID)+"/messages", s.marieToken, map[string]string{"text": "Can you take Jonas Weber? I'm on the phone with a group booking."})
	agent.waitFor("two unread chat messages", `document.querySelector('[data-testid=chat-unread]').textContent === '2'`)

	agent.do("opening Claire's conversation", chromedp.Click(rowSelector(s.claire)))
	agent.waitFor("the conversation", `document.querySelector('[data-testid=conv-title]').textContent === 'Claire Dubois'
		&& document.querySelectorAll('[data-testid=message]').length >= 2`)
	agent.do("opening the team chat", chromedp.Click(testID("chat-toggle")))
	agent.do("opening Marie's room", chromedp.Click(fmt.Sprintf(`[data-testid=chat-room][data-room=%q]`, directRoom(s.adminID, s.marieID))))
	agent.waitFor("Marie's message", jsTexts(`[data-testid=chat-text]`)+`.some((x) => x.startsWith('Can you take Jonas'))
		&& document.querySelector('[data-testid=chat-unread]').textContent === '1'`)
	agent.do("letting the timers tick", chromedp.Sleep(1100*time.Millisecond))
	dismissToasts(agent)
	writeScreenshot(t, agent, "inbox.png")

	// Sofia's conversation: messages by author, the contact panel, and the
	// canned answers picker open on "#".
	agent.do("closing the team chat", chromedp.Click(testID("chat-close")))
	agent.do("opening Sofia's conversation", chromedp.Click(rowSelector(s.sofia)))
	agent.waitFor("the conversation", `document.querySelectorAll('[data-testid=message]').length >= 5
		&& document.querySelector('[data-testid=contact-email]').value !== ''`)
	agent.do("typing #", chromedp.Click(testID("composer")), chromedp.SendKeys(testID("composer"), "#"))
	agent.waitFor("the canned answers", `document.querySelectorAll('[data-testid=canned-item]').length >= 3`)
	agent.do("moving down", chromedp.KeyEvent(kb.ArrowDown))
	dismissToasts(agent)
	writeScreenshot(t, agent, "conversation.png")
	checkCleanConsole(t, agent)
}

func directRoom(a, b string) string {
	return "dm:" + min(a, b) + ":" + max(a, b)
}

// morning holds what stageMorning created.
type morning struct {
	adminID, marieID, marieToken, teamID string
	claire, jonas, sofia, sms            string
}

// stageMorning fills the demo workspace: colleagues and a team, canned
// answers, wrap-up topics, and conversations on two channels in the states
// an agent meets (waiting in the queue, awaiting a reply, answered, with a
// private note, a bot chat).
func stageMorning(t *testing.T, th *testHub, admin string) morning {
	t.Helper()
	var s morning
	var marie, team struct{ ID string }
	th.must(201, "POST", "/api/v1/agents", admin, map[string]string{"email": "marie@hotel.test", "name": "Marie Laurent", "role": "agent", "password": adminPassword}).json(t, &marie)
	th.must(201, "POST", "/api/v1/agents", admin, map[string]string{"email": "tom@hotel.test", "name": "Tom Girard", "role": "agent", "password": adminPassword})
	s.marieID, s.marieToken = marie.ID, th.login("marie@hotel.test", adminPassword)
	var me struct{ Agent struct{ ID string } }
	th.must(200, "GET", "/api/v1/auth/me", admin, nil).json(t, &me)
	s.adminID = me.Agent.ID
	th.must(201, "POST", "/api/v1/teams", admin, map[string]any{"name": "Front desk", "agentIds": []string{s.adminID, marie.ID}}).json(t, &team)
	s.teamID = team.ID
	th.must(200, "PATCH", "/api/v1/agents/me/status", s.marieToken, map[string]string{"status": "available"})
	for sc, text := range map[string]string{
		"wifi":      "Hello {{contact.name}}, the Wi-Fi code is on your key card.",
		"checkout":  "Check-out is until 11:00; a late check-out until 14:00 costs €30.",
		"breakfast": "Breakfast is served from 7:00 to 10:30 in the garden room.",
		"parking":   "Our garage is at 12 rue des Lilas, €18 per night.",
	} {
		th.must(201, "POST", "/api/v1/canned", admin, map[string]string{"shortcut": sc, "text": text})
	}
	th.must(200, "PUT", "/api/v1/wrapup-topics", admin, map[string]any{"items": []string{"Booking", "Check-out", "Wi-Fi", "Complaint"}})

	step := func() { th.clock.Advance(2 * time.Minute) }
	human := "je voudrais parler à un humain"
	// Claire waits in the queue.
	s.claire = th.newVisitor(th.demo.Channel.ID).sayAs("Claire Dubois", "Hello, is the spa open this evening? I want to talk to someone").ConversationID
	step()
	// Jonas was answered by Marie and wrote again: he awaits a reply.
	jonas := th.newVisitor(th.demo.Channel.ID)
	s.jonas = jonas.sayAs("Jonas Weber", human).ConversationID
	th.action(s.marieToken, s.jonas, "assign", nil)
	th.must(201, "POST", "/api/v1/conversations/"+s.jonas+"/messages", s.marieToken, map[string]any{"text": "Hello Jonas, how can I help?"})
	step()
	jonas.sayAs("Jonas Weber", "Can I get a late check-out tomorrow?")
	step()
	// Sofia is the admin's: a reply, a private note, her answer.
	sofia := th.newVisitor(th.demo.Channel.ID)
	s.sofia = sofia.sayAs("Sofia Rossi", "Hi! I have a question about my booking").ConversationID
	step()
	sofia.sayAs("Sofia Rossi", human)
	th.action(admin, s.sofia, "assign", nil)
	step()
	th.must(201, "POST", "/api/v1/conversations/"+s.sofia+"/messages", admin, map[string]any{"text": "Good morning Sofia, I am looking at your booking for 3 nights from Friday."})
	th.must(201, "POST", "/api/v1/conversations/"+s.sofia+"/messages", admin, map[string]any{"text": "VIP guest: upgrade to a sea view if one is free.", "private": true})
	step()
	sofia.sayAs("Sofia Rossi", "Perfect, thank you! Could we also have a baby cot in the room?")
	sofiaConv := th.conversation(admin, s.sofia)
	th.must(200, "PATCH", "/api/v1/contacts/"+sofiaConv.Contact.ID, admin, map[string]any{
		"email": "sofia.rossi@example.com", "phone": "+39 333 123 4567", "notes": "Returning guest (4th stay). Prefers a quiet room.",
	})

	// An SMS guest, answered by Marie.
	tw := newFakeTwilio(t, twilioSID, twilioToken)
	smsCh := th.createChannel(admin, "sms", false, map[string]string{
		"accountSid": twilioSID, "authToken": twilioToken, "from": "+33100000000", "apiBaseUrl": tw.srv.URL, "mps": "50",
	})
	if r := th.twilioPost("/hooks/sms/"+smsCh.ID, twilioToken, inboundSMS("SM100", "+33611111111", "Is breakfast included with room 12?"), false); r.status != 200 {
		t.Fatalf("inbound SMS: %d %s", r.status, r.body)
	}
	smsConv, _ := th.conversationOf(admin, smsCh.ID, "+33611111111")
	s.sms = smsConv.ID
	th.action(s.marieToken, s.sms, "assign", nil)
	th.must(201, "POST", "/api/v1/conversations/"+s.sms+"/messages", s.marieToken, map[string]any{"text": "Yes, breakfast is included. Enjoy your stay!"})
	step()
	// A chat still with the bot.
	th.newVisitor(th.demo.Channel.ID).sayAs("Noah Petit", "hello")
	step()
	return s
}

// sayAs is say with the visitor's name, as the widget sends it.
func (v *visitor) sayAs(name, text string) msgJSON {
	v.th.t.Helper()
	var m msgJSON
	v.th.must(201, "POST", "/api/v1/widget/"+v.channel+"/messages", v.token, map[string]string{"text": text, "name": name}).json(v.th.t, &m)
	return m
}

func rowSelector(convID string) chromedp.CSS {
	return chromedp.CSS(fmt.Sprintf(`[data-testid=conv-row][data-id=%q]`, convID))
}

// dismissToasts closes the toasts, as their × buttons do.
func dismissToasts(tb *tab) {
	eval[chromedp.Void](tb, "dismissing the toasts", `void document.querySelectorAll('[data-testid=toast] .toast-close').forEach((b) => b.click())`)
}

// writeScreenshot saves the tab's viewport as a PNG under docs/screenshots
// (overwriting it).
func writeScreenshot(t *testing.T, tb *tab, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, browserStepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join("..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

var consoleProblem = regexp.MustCompile(`(?i)uncaught|typeerror|referenceerror|syntaxerror`)

// checkCleanConsole fails on CSP violations, script errors or JavaScript
// dialogs (alert, confirm) in the tab.
func checkCleanConsole(t *testing.T, tb *tab) {
	t.Helper()
	msgs, _ := tb.consoleSince(0)
	if v := cspViolations(msgs); len(v) > 0 {
		t.Errorf("%s tab: CSP violations:\n%s", tb.name, strings.Join(v, "\n"))
	}
	for _, m := range msgs {
		if m.IsException() || consoleProblem.MatchString(m.Text) {
			t.Errorf("%s tab: script error: %s (%s:%d)", tb.name, m, m.URL, m.Line+1)
		}
	}
	if d := tb.dialogsOpened(); len(d) > 0 {
		t.Errorf("%s tab: JavaScript dialogs opened: %q", tb.name, d)
	}
}
