package bot

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"hub/inbox"
)

// DefaultHandoffAfter is how many unmatched customer messages in a row make
// the bot hand off when WorkspaceSettings.BotHandoffAfter is 0.
const DefaultHandoffAfter = 2

// Texts used when the workspace settings leave them empty.
const (
	DefaultHandoffNotice = "Thanks, a member of our team will be with you shortly."
	DefaultFallback      = "Sorry, I did not understand. Could you rephrase? You can also ask for an agent."
)

// Handoff reasons (Action.Reason).
const (
	ReasonRequested = "requested" // the customer asked for a person
	ReasonUnmatched = "unmatched" // no rule matched BotHandoffAfter times in a row
	ReasonRule      = "rule"      // the matching rule hands off
)

// MaxMatchBytes is how much of a message is read for matching: the rest of
// a very long message (a quoted e-mail, a pasted document) is ignored, so
// no message can make matching slow.
const MaxMatchBytes = 4096

// MaxActions is the most actions Decide returns for one message: a choice,
// the greeting, a match, its answer, the out-of-hours notice and a handoff.
const MaxActions = 6

// Input is everything Decide needs; the caller loads it.
type Input struct {
	// Conversation: Status, BotMisses and LastButtons matter.
	Conversation inbox.Conversation
	// Message is the customer's new message.
	Message inbox.Message
	// First is set for the first message of a new conversation: the
	// greeting is sent.
	First bool
	// RuleSet is the workspace's rules compiled by Compile. Build it once
	// per change of the rules and share it: Decide only reads it.
	RuleSet *RuleSet
	// Rules are the workspace's bot rules, in any order, enabled or not.
	// They are only used when RuleSet is nil, and then compiled for this
	// one call (slower).
	Rules []inbox.BotRule
	// Settings: BotGreeting, BotHandoffAfter, BotFallback, HandoffNotice,
	// TimeZone, BusinessHours, OutOfHoursNotice.
	Settings      inbox.WorkspaceSettings
	ContactName   string
	WorkspaceName string
	// LastButtons are the buttons of the bot's previous message, for
	// numbered choices ("2" picks the second). Nil means
	// Conversation.LastButtons; an empty non-nil slice means none.
	LastButtons []string
	// Now is when the message arrived, for business hours. Zero means
	// unknown, taken as open.
	Now time.Time
}

// ActionType says what the caller must do.
type ActionType string

// Action types.
const (
	// ActionReply: send Text to the customer as the bot, with Buttons as
	// quick replies when there are any. The caller stores the buttons of
	// its latest reply as Conversation.LastButtons (none: clear them).
	ActionReply ActionType = "reply"
	// ActionHandoff: move the conversation to open, to TeamID's queue or
	// the workspace queue; the bot goes silent. Reason says why;
	// OutOfHours is set outside business hours.
	ActionHandoff ActionType = "handoff"
	// ActionMiss: no rule matched; increment Conversation.BotMisses.
	ActionMiss ActionType = "miss"
	// ActionMatched: rule RuleID matched; reset Conversation.BotMisses.
	ActionMatched ActionType = "matched"
	// ActionChoice: the message was a numbered choice; Choice is the
	// number and Text the button it picked, which is what the bot
	// understood. Informative: there is nothing to do.
	ActionChoice ActionType = "choice"
)

// Action is one thing the caller must do, in order.
type Action struct {
	Type       ActionType `json:"type"`
	Text       string     `json:"text,omitempty"`       // reply text (variables filled), or the chosen button
	Buttons    []string   `json:"buttons,omitempty"`    // quick replies offered with a reply
	TeamID     string     `json:"teamId,omitempty"`     // handoff target team, "" = workspace queue
	Reason     string     `json:"reason,omitempty"`     // handoff reason: "requested", "unmatched", "rule"
	RuleID     string     `json:"ruleId,omitempty"`     // the rule that matched, if any
	Choice     int        `json:"choice,omitempty"`     // the number of a numbered choice
	OutOfHours bool       `json:"outOfHours,omitempty"` // a handoff outside business hours
}

// Decide returns what the bot does with the customer's new message. It is
// pure: the same Input always gives the same actions, and nothing is read or
// written. It returns nil when the conversation is not with the bot, or when
// there is nothing to say (a message without words or attachments, such as
// a lone emoji, outside the first message). It never returns more than
// MaxActions actions.
func Decide(in Input) []Action {
	if in.Conversation.Status != inbox.StatusBot {
		return nil
	}
	a := analyze(in, false)
	d := decider{in: &in}
	return d.run(&a)
}

// analysis is what the bot understood of a message.
type analysis struct {
	text    string // the message as written, or the chosen button
	choice  int
	words   []string
	person  bool
	found   match
	matched bool
	lang    string // set when detected (always for Explain)
}

// analyze reads the message: numbered choice, folding, a request for a
// person, the rule that fires. With explain set the language is detected
// even when no rule needs it.
func analyze(in Input, explain bool) analysis {
	rs := in.RuleSet
	if rs == nil {
		rs = Compile(in.Rules)
	}
	buttons := in.LastButtons
	if buttons == nil {
		buttons = in.Conversation.LastButtons
	}
	a := analysis{text: in.Message.Text}
	if n, b, ok := Choice(a.text, buttons); ok {
		a.choice, a.text = n, b
	}
	a.text = cut(a.text, MaxMatchBytes)
	a.words = splitWords(Fold(a.text), make([]string, 0, 32))
	a.person = asksForPersonWords(a.words)
	m := matcher{rs: rs, text: a.text, words: a.words}
	if explain {
		m.lang, m.langDone = detectWords(a.words), true
	}
	if !a.person {
		a.found, a.matched = m.find()
	}
	a.lang = m.lang
	return a
}

// cut returns s shortened to at most n bytes, at a character boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// decider accumulates the actions of one Decide call.
type decider struct {
	in       *Input
	out      []Action
	open     bool
	openDone bool
}

func (d *decider) add(a Action) { d.out = append(d.out, a) }

// reply adds a reply with the variables filled, unless it comes out empty.
func (d *decider) reply(text string, buttons []string) bool {
	text = Fill(text, d.in.ContactName, d.in.WorkspaceName)
	if text == "" {
		return false
	}
	d.add(Action{Type: ActionReply, Text: text, Buttons: slices.Clone(buttons)})
	return true
}

// isOpen reports business hours, computed on first need.
func (d *decider) isOpen() bool {
	if !d.openDone {
		d.open, d.openDone = IsOpen(d.in.Settings, d.in.Now), true
	}
	return d.open
}

// handoff adds the handoff h. Outside business hours the out-of-hours
// notice goes first (withNotice or not) and h is marked; in hours the
// handoff notice goes first when withNotice is set.
func (d *decider) handoff(h Action, withNotice bool) {
	s := d.in.Settings
	if !d.isOpen() {
		d.reply(orDefault(s.OutOfHoursNotice, DefaultOutOfHoursNotice), nil)
		h.OutOfHours = true
	} else if withNotice {
		d.reply(orDefault(s.HandoffNotice, DefaultHandoffNotice), nil)
	}
	d.add(h)
}

// run turns the analysis into actions; see the package documentation for
// the order.
func (d *decider) run(a *analysis) []Action {
	in := d.in
	if a.choice > 0 {
		d.add(Action{Type: ActionChoice, Choice: a.choice, Text: a.text})
	}
	greeted := false
	if in.First && strings.TrimSpace(in.Settings.BotGreeting) != "" {
		greeted = d.reply(in.Settings.BotGreeting, nil)
	}

	if a.person {
		d.handoff(Action{Type: ActionHandoff, Reason: ReasonRequested}, true)
		return d.out
	}

	if a.matched {
		r := &a.found.rule.rule
		d.add(Action{Type: ActionMatched, RuleID: r.ID})
		d.reply(r.Answer, a.found.rule.buttons)
		if r.Handoff {
			d.handoff(Action{Type: ActionHandoff, TeamID: r.TeamID, Reason: ReasonRule, RuleID: r.ID}, false)
		}
		return d.out
	}

	if greeted && onlyGreeting(a.words) {
		// The greeting answers a first "hello"; no miss is counted. A
		// first message with a question the rules do not know is a miss
		// like any other.
		return d.out
	}
	if len(a.words) == 0 && len(in.Message.Attachments) == 0 {
		// Nothing to understand (an emoji, a thumbs-up): stay quiet.
		return d.out
	}

	after := in.Settings.BotHandoffAfter
	if after <= 0 {
		after = DefaultHandoffAfter
	}
	if in.Conversation.BotMisses+1 >= after {
		d.handoff(Action{Type: ActionHandoff, Reason: ReasonUnmatched}, true)
		return d.out
	}
	d.add(Action{Type: ActionMiss})
	d.reply(orDefault(in.Settings.BotFallback, DefaultFallback), nil)
	return d.out
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
