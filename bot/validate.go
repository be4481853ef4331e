package bot

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"hub/inbox"
)

// Limits checked by ValidateRule, in characters.
const (
	MaxTermLength    = 100 // a keyword or a phrase
	MaxPatternLength = 200 // a pattern
	MaxButtonLength  = 64  // a button's text
)

// InvalidError codes returned by ValidateRule.
const (
	CodeTriggerRequired = "trigger_required" // no keyword, phrase or pattern
	CodeInvalidKeyword  = "invalid_keyword"  // a keyword without letters or digits
	CodeInvalidPhrase   = "invalid_phrase"   // a phrase without letters or digits
	CodeInvalidPattern  = "invalid_pattern"  // a pattern that does not compile or matches everything
	CodeInvalidLanguage = "invalid_language" // not "", "en", "fr", "it", "de" or "es"
	CodeAnswerRequired  = "answer_required"  // no answer and no handoff
	CodeTooLong         = "too_long"         // a keyword, phrase, pattern or button over its limit
	CodeTooManyButtons  = "too_many_buttons" // more than MaxButtons
	CodeBlankButton     = "blank_button"     // a button without text
)

// ValidateRule checks a rule before it is saved and returns the first
// problem as an *inbox.InvalidError naming the field ("keywords",
// "patterns[2]", "language", "answer", "buttons[0]", ...):
//
//   - a rule needs a trigger: a keyword, phrase or pattern that is not
//     blank (blank entries are ignored, not refused) → "keywords",
//     trigger_required;
//   - a keyword or phrase has letters or digits (invalid_keyword,
//     invalid_phrase) and at most MaxTermLength characters (too_long);
//   - a pattern compiles as a Go regular expression (RE2), has at most
//     MaxPatternLength characters, and does not match the empty text,
//     since such a pattern ("x*", ".*") fires on every message
//     (invalid_pattern);
//   - the language is "", "en", "fr", "it", "de" or "es" (invalid_language);
//   - a rule that does not hand off has an answer (answer_required);
//   - at most MaxButtons buttons (too_many_buttons, naming the first one
//     too many), none blank (blank_button), each at most MaxButtonLength
//     characters (too_long).
func ValidateRule(r inbox.BotRule) error {
	triggers := 0
	for i, kw := range r.Keywords {
		kw = strings.TrimSpace(kw)
		if kw == "" {
			continue
		}
		field := fmt.Sprintf("keywords[%d]", i)
		if n := utf8.RuneCountInString(kw); n > MaxTermLength {
			return inbox.InvalidCode(CodeTooLong, field, "a keyword has at most %d characters, not %d", MaxTermLength, n)
		}
		if Fold(strings.TrimRight(kw, "*")) == "" {
			return inbox.InvalidCode(CodeInvalidKeyword, field, "keyword %q has no letters or digits", kw)
		}
		triggers++
	}
	for i, ph := range r.Phrases {
		ph = strings.TrimSpace(ph)
		if ph == "" {
			continue
		}
		field := fmt.Sprintf("phrases[%d]", i)
		if n := utf8.RuneCountInString(ph); n > MaxTermLength {
			return inbox.InvalidCode(CodeTooLong, field, "a phrase has at most %d characters, not %d", MaxTermLength, n)
		}
		if Fold(ph) == "" {
			return inbox.InvalidCode(CodeInvalidPhrase, field, "phrase %q has no letters or digits", ph)
		}
		triggers++
	}
	for i, p := range r.Patterns {
		if strings.TrimSpace(p) == "" {
			continue
		}
		field := fmt.Sprintf("patterns[%d]", i)
		if n := utf8.RuneCountInString(p); n > MaxPatternLength {
			return inbox.InvalidCode(CodeTooLong, field, "a pattern has at most %d characters, not %d", MaxPatternLength, n)
		}
		re, err := regexp.Compile("(?i)" + p)
		if err != nil {
			return inbox.InvalidCode(CodeInvalidPattern, field, "%v", err)
		}
		if re.MatchString("") {
			return inbox.InvalidCode(CodeInvalidPattern, field, "pattern %q matches an empty message, so it would fire on every message", p)
		}
		triggers++
	}
	if triggers == 0 {
		return inbox.InvalidCode(CodeTriggerRequired, "keywords", "a rule needs at least one keyword, phrase or pattern")
	}
	if _, ok := languageOf(r.Language); !ok {
		return inbox.InvalidCode(CodeInvalidLanguage, "language", "language must be empty (any) or one of %s, not %q",
			strings.Join(Languages(), ", "), r.Language)
	}
	if !r.Handoff && strings.TrimSpace(r.Answer) == "" {
		return inbox.InvalidCode(CodeAnswerRequired, "answer", "a rule that does not hand off needs an answer")
	}
	for i, b := range r.Buttons {
		field := fmt.Sprintf("buttons[%d]", i)
		if i >= MaxButtons {
			return inbox.InvalidCode(CodeTooManyButtons, field, "a rule has at most %d buttons, not %d", MaxButtons, len(r.Buttons))
		}
		b = strings.TrimSpace(b)
		if b == "" {
			return inbox.InvalidCode(CodeBlankButton, field, "a button needs a text")
		}
		if n := utf8.RuneCountInString(b); n > MaxButtonLength {
			return inbox.InvalidCode(CodeTooLong, field, "a button has at most %d characters, not %d", MaxButtonLength, n)
		}
	}
	return nil
}
