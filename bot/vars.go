package bot

import "strings"

// Variables an answer may contain. Spaces inside the braces and the case of
// the name do not matter ("{{ Contact.Name }}" works too).
const (
	VarContactName   = "contact.name"
	VarWorkspaceName = "workspace.name"
)

// Fill replaces {{contact.name}} and {{workspace.name}} in text. Values are
// inserted once and never expanded again, so a contact called "{{x}}" stays
// "{{x}}". Unknown variables are left as written. When a value is empty the
// space before the variable goes with it, so "Hello {{contact.name}}, welcome"
// becomes "Hello, welcome", "Thanks, {{contact.name}}!" becomes "Thanks!" and
// "Bonjour {{contact.name}} !" becomes "Bonjour !". The result is trimmed.
func Fill(text, contactName, workspaceName string) string {
	if !strings.Contains(text, "{{") {
		return strings.TrimSpace(text)
	}
	contactName = strings.TrimSpace(contactName)
	workspaceName = strings.TrimSpace(workspaceName)
	out := make([]byte, 0, len(text)+len(contactName)+len(workspaceName))
	for {
		open := strings.Index(text, "{{")
		if open < 0 {
			out = append(out, text...)
			break
		}
		closing := strings.Index(text[open+2:], "}}")
		if closing < 0 {
			out = append(out, text...)
			break
		}
		end := open + 2 + closing + 2
		var value string
		switch strings.ToLower(strings.TrimSpace(text[open+2 : end-2])) {
		case VarContactName:
			value = contactName
		case VarWorkspaceName:
			value = workspaceName
		default:
			out = append(out, text[:end]...)
			text = text[end:]
			continue
		}
		out = append(out, text[:open]...)
		text = text[end:]
		if value != "" {
			out = append(out, value...)
			continue
		}
		// Empty value: drop the blank before it when what follows is a
		// blank, punctuation or the end, so no double space or " ," is left.
		if text == "" || strings.IndexByte(" \t,.;:!?)", text[0]) >= 0 {
			out = trimRightBlanks(out)
		}
		// "Thanks, {{contact.name}}!" → "Thanks!": a comma that introduced
		// the missing name goes too when punctuation or the end follows.
		if rest := strings.TrimLeft(text, " \t"); rest == "" || strings.IndexByte(",.;:!?)", rest[0]) >= 0 {
			if n := len(out); n > 0 && (out[n-1] == ',' || out[n-1] == ';') {
				out = trimRightBlanks(out[:n-1])
			}
		}
		// At the very start, a following ", " has nothing to separate.
		if len(trimRightBlanks(out)) == 0 {
			text = strings.TrimLeft(text, " \t,;:")
		}
	}
	return strings.TrimSpace(string(out))
}

func trimRightBlanks(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}
