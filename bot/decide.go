package bot

import (
	"cmp"
	"slices"
	"strings"

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

// Input is everything Decide needs; the caller loads it.
type Input struct {
	// Conversation: Status and BotMisses matter.
	Conversation inbox.Conversation
	// Message is the customer's new message.
	Message inbox.Message
	// First is set for the first message of a new conversation: the
	// greeting is sent.
	First bool
	// Rules are the workspace's bot rules, in any order, enabled or not.
	Rules []inbox.BotRule
	// Settings: BotGreeting, BotHandoffAfter, BotFallback, HandoffNotice.
	Settings      inbox.WorkspaceSettings
	ContactName   string
	WorkspaceName string
}

// ActionType says what the caller must do.
type ActionType string

// Action types.
const (
	// ActionReply: send Text to the customer as the bot.
	ActionReply ActionType = "reply"
	// ActionHandoff: move the conversation to open, to TeamID's queue or
	// the workspace queue; the bot goes silent. Reason says why.
	ActionHandoff ActionType = "handoff"
	// ActionMiss: no rule matched; increment Conversation.BotMisses.
	ActionMiss ActionType = "miss"
	// ActionMatched: rule RuleID matched; reset Conversation.BotMisses.
	ActionMatched ActionType = "matched"
)

// Action is one thing the caller must do, in order.
type Action struct {
	Type   ActionType
	Text   string // reply text (variables already filled)
	TeamID string // handoff target team, "" = workspace queue
	Reason string // handoff reason: "requested", "unmatched", "rule"
	RuleID string // the rule that matched, if any
}

// Decide returns what the bot does with the customer's new message. It is
// pure: the same Input always gives the same actions, and nothing is read or
// written. It returns nil when the conversation is not with the bot, or when
// there is nothing to say (a message without words or attachments, such as
// a lone emoji, outside the first message).
func Decide(in Input) []Action {
	if in.Conversation.Status != inbox.StatusBot {
		return nil
	}
	d := decider{in: in}
	text := Fold(in.Message.Text)

	greeted := false
	if in.First && strings.TrimSpace(in.Settings.BotGreeting) != "" {
		greeted = d.reply(in.Settings.BotGreeting)
	}

	if asksForPersonFolded(text) {
		d.reply(orDefault(in.Settings.HandoffNotice, DefaultHandoffNotice))
		d.add(Action{Type: ActionHandoff, Reason: ReasonRequested})
		return d.out
	}

	if r := matchRule(text, in.Rules); r != nil {
		d.add(Action{Type: ActionMatched, RuleID: r.ID})
		d.reply(r.Answer)
		if r.Handoff {
			d.add(Action{Type: ActionHandoff, TeamID: r.TeamID, Reason: ReasonRule, RuleID: r.ID})
		}
		return d.out
	}

	if greeted {
		// The greeting answers a first "hello"; no miss is counted.
		return d.out
	}
	if text == "" && len(in.Message.Attachments) == 0 {
		// Nothing to understand (an emoji, a thumbs-up): stay quiet.
		return d.out
	}

	after := in.Settings.BotHandoffAfter
	if after <= 0 {
		after = DefaultHandoffAfter
	}
	if in.Conversation.BotMisses+1 >= after {
		d.reply(orDefault(in.Settings.HandoffNotice, DefaultHandoffNotice))
		d.add(Action{Type: ActionHandoff, Reason: ReasonUnmatched})
		return d.out
	}
	d.add(Action{Type: ActionMiss})
	d.reply(orDefault(in.Settings.BotFallback, DefaultFallback))
	return d.out
}

// decider accumulates the actions of one Decide call.
type decider struct {
	in  Input
	out []Action
}

func (d *decider) add(a Action) { d.out = append(d.out, a) }

// reply adds a reply with the variables filled, unless it comes out empty.
func (d *decider) reply(text string) bool {
	text = Fill(text, d.in.ContactName, d.in.WorkspaceName)
	if text == "" {
		return false
	}
	d.add(Action{Type: ActionReply, Text: text})
	return true
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// matchRule returns the first rule, in evaluation order, whose keywords
// occur in the folded text, or nil.
func matchRule(text string, rules []inbox.BotRule) *inbox.BotRule {
	if text == "" {
		return nil
	}
	order := make([]int, 0, len(rules))
	for i := range rules {
		r := &rules[i]
		if r.Enabled && (r.Handoff || strings.TrimSpace(r.Answer) != "") {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return compareRules(&rules[a], &rules[b]) })
	for _, i := range order {
		if ruleMatches(text, &rules[i]) {
			return &rules[i]
		}
	}
	return nil
}

// compareRules orders rules by Priority (highest first), then CreatedAt
// (oldest first), then ID, so the order never depends on how the store
// returned them.
func compareRules(a, b *inbox.BotRule) int {
	if c := cmp.Compare(b.Priority, a.Priority); c != 0 {
		return c
	}
	if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// ruleMatches reports whether any keyword of r occurs in the folded text as
// whole words. A keyword ending in "*" matches words starting with it.
func ruleMatches(text string, r *inbox.BotRule) bool {
	for _, kw := range r.Keywords {
		kw = strings.TrimSpace(kw)
		prefix := strings.HasSuffix(kw, "*")
		if prefix {
			kw = strings.TrimRight(kw, "*")
		}
		if containsPhrase(text, Fold(kw), prefix) {
			return true
		}
	}
	return false
}
