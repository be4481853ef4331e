package bot

import "hub/inbox"

// Explanation is a dry run of Decide for an admin's "try it": what the bot
// understood of a message, why, and what it would do.
type Explanation struct {
	// Active is set when the conversation is with the bot; otherwise
	// Decide stays silent and Actions is empty.
	Active bool `json:"active"`
	// Text is what the bot read: the message, or the button a numbered
	// choice picked (cut to MaxMatchBytes).
	Text string `json:"text"`
	// Choice is the number of a numbered choice, 0 for none.
	Choice int `json:"choice,omitempty"`
	// Language is DetectLanguage's guess, "" when unsure.
	Language string `json:"language"`
	// Open tells whether it is business hours at Input.Now.
	Open bool `json:"open"`
	// AsksForPerson is set when the message asks for a person, which
	// wins over every rule.
	AsksForPerson bool `json:"asksForPerson"`
	// Rule is the rule that fires (for an inactive conversation: would
	// fire), nil when none does.
	Rule *RuleMatch `json:"rule,omitempty"`
	// Actions are what Decide returns.
	Actions []Action `json:"actions"`
}

// RuleMatch says which rule fired and which of its triggers did it.
type RuleMatch struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Trigger is "keyword", "phrase" or "pattern"; Index its position in
	// the rule's list of that kind and Term the trigger as written there.
	Trigger TriggerKind `json:"trigger"`
	Index   int         `json:"index"`
	Term    string      `json:"term"`
	// Matched is the part of the message that matched: the folded words
	// for a keyword or phrase, the text as written for a pattern.
	Matched string `json:"matched"`
	// Language is the rule's language restriction, "" for any.
	Language string `json:"language,omitempty"`
}

// Explain runs Decide on in and reports how it decided. The actions are
// exactly Decide's.
func Explain(in Input) Explanation {
	a := analyze(in, true)
	d := decider{in: &in}
	e := Explanation{
		Active:        in.Conversation.Status == inbox.StatusBot,
		Text:          a.text,
		Choice:        a.choice,
		Language:      a.lang,
		Open:          d.isOpen(),
		AsksForPerson: a.person,
		Actions:       []Action{},
	}
	if a.matched {
		r := &a.found.rule.rule
		m := &RuleMatch{ID: r.ID, Name: r.Name, Trigger: a.found.kind, Index: a.found.index,
			Matched: a.found.matched, Language: a.found.rule.lang}
		switch a.found.kind {
		case TriggerKeyword:
			m.Term = r.Keywords[a.found.index]
		case TriggerPhrase:
			m.Term = r.Phrases[a.found.index]
		case TriggerPattern:
			m.Term = r.Patterns[a.found.index]
		}
		e.Rule = m
	}
	if e.Active {
		if out := d.run(&a); out != nil {
			e.Actions = out
		}
	}
	return e
}
